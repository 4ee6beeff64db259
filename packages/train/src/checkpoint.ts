import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf, DescentError, renameStateKeys, type TransformOptimizer } from '@descent/tensor';
import { writeFileAtomic } from './atomic';
import type { EpochRecord } from './results';

interface TensorEntry {
  name: string;
  shape: number[];
  dtype: string;
  offset: number;
}

export interface CheckpointMeta {
  format: 1;
  epoch: number;
  globalStep: number;
  seed: number;
  history: EpochRecord[];
  weights: TensorEntry[];
  optimizer: TensorEntry[];
  /** Anything the caller wants back on resume (the run's config). */
  extra?: Record<string, unknown>;
}

export class CheckpointError extends DescentError {}

async function pack(entries: Array<{ name: string; tensor: tf.Tensor }>): Promise<{ index: TensorEntry[]; bytes: Uint8Array }> {
  const index: TensorEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const { name, tensor } of entries) {
    const data = await tensor.data();
    const buf = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    index.push({ name, shape: tensor.shape, dtype: tensor.dtype, offset });
    chunks.push(buf);
    offset += buf.byteLength;
  }
  const bytes = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { index, bytes };
}

function unpack(index: TensorEntry[], bytes: Uint8Array): Array<{ name: string; tensor: tf.Tensor }> {
  return index.map((e) => {
    const n = e.shape.reduce((a, b) => a * b, 1);
    // A copy, aligned for the typed-array view (a Buffer slice would share memory at any offset).
    const copy = new Uint8Array(bytes.subarray(e.offset, e.offset + n * 4));
    if (copy.byteLength !== n * 4) throw new CheckpointError('CHECKPOINT_TRUNCATED', `checkpoint data for "${e.name}" is truncated`);
    const values = e.dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer);
    return { name: e.name, tensor: tf.tensor(values, e.shape, e.dtype as 'float32' | 'int32') };
  });
}

/**
 * Saves model weights, optimizer state, epoch and history under `dir/epoch-NNNN`, written to a
 * temporary folder and renamed into place, then points `dir/latest` at it (atomically). Keeps
 * the newest `keep` checkpoints.
 */
export async function saveCheckpoint(
  dir: string,
  state: { model: tf.LayersModel; optimizer: TransformOptimizer; epoch: number; globalStep: number; seed: number; history: EpochRecord[]; extra?: Record<string, unknown> },
  keep = 2,
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const name = `epoch-${String(state.epoch).padStart(4, '0')}`;
  const weights = await pack(state.model.weights.map((w) => ({ name: w.name, tensor: w.read() })));
  const optEntries = await state.optimizer.getWeights();
  const optimizer = await pack(optEntries);
  optEntries.forEach((e) => e.tensor.dispose());
  const meta: CheckpointMeta = {
    format: 1,
    epoch: state.epoch,
    globalStep: state.globalStep,
    seed: state.seed,
    history: state.history,
    weights: weights.index,
    optimizer: optimizer.index,
    extra: state.extra,
  };
  const tmp = join(dir, `.tmp-${name}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  writeFileSync(join(tmp, 'weights.bin'), weights.bytes);
  writeFileSync(join(tmp, 'optimizer.bin'), optimizer.bytes);
  writeFileSync(join(tmp, 'meta.json'), JSON.stringify(meta));
  const target = join(dir, name);
  rmSync(target, { recursive: true, force: true });
  renameSync(tmp, target);
  writeFileAtomic(join(dir, 'latest'), name);
  const all = readdirSync(dir).filter((f) => /^epoch-\d{4}$/.test(f)).sort();
  for (const old of all.slice(0, Math.max(0, all.length - keep))) rmSync(join(dir, old), { recursive: true, force: true });
  return target;
}

/** The newest checkpoint's folder, or undefined when there is none. */
export function latestCheckpoint(dir: string): string | undefined {
  const pointer = join(dir, 'latest');
  if (!existsSync(pointer)) return undefined;
  const path = join(dir, readFileSync(pointer, 'utf8').trim());
  return existsSync(join(path, 'meta.json')) ? path : undefined;
}

/** A saved checkpoint: its folder (`epoch-NNNN`, with meta.json) and epoch. */
export interface CheckpointEntry {
  path: string;
  epoch: number;
}

const EPOCH_DIR = /^epoch-(\d{4,})$/;

/**
 * The checkpoints `saveCheckpoint` left in `dir` (folders epoch-NNNN with meta.json), oldest first;
 * empty when `dir` does not exist. Run folders keep them in `<run>/checkpoints`.
 */
export function listCheckpoints(dir: string): CheckpointEntry[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => EPOCH_DIR.test(f) && existsSync(join(dir, f, 'meta.json')))
    .map((f) => ({ path: join(dir, f), epoch: Number(EPOCH_DIR.exec(f)![1]) }))
    .sort((a, b) => a.epoch - b.epoch);
}

/** The checkpoint of a list by 'latest' (the default), 'first' or epoch number; undefined when that epoch is not there. */
export function pickCheckpointEntry(checkpoints: readonly CheckpointEntry[], which: 'latest' | 'first' | number = 'latest'): CheckpointEntry | undefined {
  if (which === 'latest') return checkpoints.at(-1);
  if (which === 'first') return checkpoints[0];
  return checkpoints.find((c) => c.epoch === which);
}

/** Only the weights are wanted: the optimizer state in the checkpoint is read and dropped. */
const NO_OPTIMIZER = { setWeights: async () => {} } as unknown as TransformOptimizer;

/** Restores only the model's weights from a checkpoint (its optimizer state is read and dropped); returns the metadata. */
export function loadCheckpointWeights(path: string, model: tf.LayersModel): Promise<CheckpointMeta> {
  return loadCheckpoint(path, model, NO_OPTIMIZER);
}

/** Restores weights and optimizer state in place and returns the metadata. */
export async function loadCheckpoint(path: string, model: tf.LayersModel, optimizer: TransformOptimizer): Promise<CheckpointMeta> {
  const meta = JSON.parse(readFileSync(join(path, 'meta.json'), 'utf8')) as CheckpointMeta;
  if (meta.format !== 1) throw new CheckpointError('CHECKPOINT_FORMAT', `unknown checkpoint format ${meta.format} in ${path}`);
  const weights = unpack(meta.weights, readFileSync(join(path, 'weights.bin')));
  if (weights.length !== model.weights.length) {
    weights.forEach((w) => w.tensor.dispose());
    throw new CheckpointError('CHECKPOINT_MISMATCH', `checkpoint ${path} has ${weights.length} weights, the model ${model.weights.length}: was it made with another model?`);
  }
  // Weights are matched by position and shape: tfjs numbers auto-generated names per process,
  // so a rebuilt model may name the same weights differently. The optimizer state follows.
  const renames: Record<string, string> = {};
  model.weights.forEach((w, i) => {
    const saved = weights[i];
    if (saved.name !== w.name) renames[saved.name] = w.name;
    if (!tf.util.arraysEqual(saved.tensor.shape, w.shape as number[])) {
      throw new CheckpointError('CHECKPOINT_MISMATCH', `checkpoint weight ${i} is "${saved.name}" [${saved.tensor.shape}], the model's "${w.name}" [${w.shape}]`);
    }
    w.write(saved.tensor);
  });
  weights.forEach((w) => w.tensor.dispose());
  const opt = unpack(meta.optimizer, readFileSync(join(path, 'optimizer.bin')));
  await optimizer.setWeights(renameStateKeys(opt, renames));
  opt.forEach((e) => e.tensor.dispose());
  return meta;
}
