import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { tf, type ParamMap } from '@descent/tensor';
import { listCheckpoints, loadCheckpointWeights, pickCheckpointEntry, type CheckpointEntry } from '@descent/train';
import { buildModel } from '@descent/models';
import { snapshot, type LandscapeProblem } from '@descent/landscape';
import { loadData } from '../data';
import { UsageError } from '../errors';

export type Checkpoint = CheckpointEntry;

/** A run of `descent train --out`: its folder, the run config, and its checkpoints in epoch order. */
export interface RunFolder {
  dir: string;
  config: RunConfig;
  checkpoints: Checkpoint[];
}

/** What `descent train` stores as the checkpoints' `extra` (and config.json): enough to rebuild the model. */
export interface RunConfig {
  dataset?: string;
  model?: string;
  activation?: string;
  hidden?: string | null;
  seed?: number;
  [key: string]: unknown;
}

const EPOCH_DIR = /^epoch-(\d{4,})$/;

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * Opens a run folder (with checkpoints/), a checkpoints folder, or one checkpoint folder
 * (epoch-NNNN with meta.json). The config comes from the newest checkpoint's `extra`, else from
 * the run's config.json.
 */
export function openRun(arg: string): RunFolder {
  const path = resolve(arg);
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new UsageError(`"${arg}" is not a folder (give a run folder of \`descent train --out\`, or a checkpoint folder)`);
  let checkpoints: Checkpoint[];
  let dir: string;
  if (existsSync(join(path, 'meta.json')) && EPOCH_DIR.test(basename(path))) {
    checkpoints = [{ path, epoch: Number(EPOCH_DIR.exec(basename(path))![1]) }];
    dir = dirname(dirname(path));
  } else {
    const ckDir = existsSync(join(path, 'checkpoints')) ? join(path, 'checkpoints') : path;
    dir = ckDir === path ? dirname(path) : path;
    checkpoints = listCheckpoints(ckDir);
  }
  if (checkpoints.length === 0) throw new UsageError(`no checkpoints in "${arg}" (expected checkpoints/epoch-NNNN/meta.json, as \`descent train --out\` writes)`);
  const meta = readJson(join(checkpoints[checkpoints.length - 1].path, 'meta.json'));
  let config = (meta.extra ?? undefined) as RunConfig | undefined;
  if (!config && existsSync(join(dir, 'config.json'))) config = readJson(join(dir, 'config.json')) as RunConfig;
  if (!config || typeof config.model !== 'string') throw new UsageError(`"${arg}": its checkpoints carry no run config (model, dataset, ...) and there is no config.json beside them`);
  return { dir, config, checkpoints };
}

/** A checkpoint by 'latest', 'first' or epoch number. */
export function pickCheckpoint(run: RunFolder, spec: string | undefined): Checkpoint {
  const s = spec ?? 'latest';
  const found = pickCheckpointEntry(run.checkpoints, s === 'latest' || s === 'first' ? s : Number(s));
  if (!found) throw new UsageError(`no checkpoint of epoch "${s}" in ${run.dir}; there are: ${run.checkpoints.map((c) => c.epoch).join(', ')} (or latest, first)`);
  return found;
}

export interface Samples {
  inputs: tf.Tensor;
  labels: tf.Tensor;
  shape: [number, number, number];
  numClasses: number;
  notes: string[];
}

/** The first `n` examples of a split of the run's data set (the book: the first 256 test images). */
export async function loadSamples(config: RunConfig, options: { split: 'train' | 'test'; samples: number; dataDir?: string }): Promise<Samples> {
  const data = await loadData(String(config.dataset ?? 'fashion-mnist'), options.dataDir, {});
  const set = options.split === 'train' ? data.train : data.test;
  const part = set.subset(0, Math.min(options.samples, set.size));
  const batch = part.toTensors();
  const notes = [...data.notes, `samples: the first ${part.size} ${options.split} examples of ${set.name}`];
  return { inputs: batch.x, labels: batch.y, shape: [...set.shape] as [number, number, number], numClasses: set.numClasses, notes };
}

/** The run's model, rebuilt with `buildModel` from the run config (weights still to be loaded). */
export function buildRunModel(config: RunConfig, samples: Pick<Samples, 'shape' | 'numClasses'>): tf.LayersModel {
  const hidden = typeof config.hidden === 'string' && config.hidden ? config.hidden.split(',').map(Number) : undefined;
  return buildModel(String(config.model), {
    ...(config.activation ? { activation: String(config.activation) } : {}),
    ...(hidden ? { hiddenSizes: hidden } : {}),
    inputShape: samples.shape,
    numClasses: samples.numClasses,
    seed: typeof config.seed === 'number' ? config.seed : 0,
  });
}

/** Writes a checkpoint's weights into the model (matched by position and shape) and returns its meta. */
export async function loadWeights(model: tf.LayersModel, checkpoint: Checkpoint): Promise<Record<string, unknown>> {
  return (await loadCheckpointWeights(checkpoint.path, model)) as unknown as Record<string, unknown>;
}

/** Loads each checkpoint into the problem's model in turn and keeps a copy of its trainable weights. */
export async function checkpointWeights(problem: LandscapeProblem & { model: tf.LayersModel }, checkpoints: Checkpoint[]): Promise<ParamMap[]> {
  const out: ParamMap[] = [];
  for (const c of checkpoints) {
    await loadWeights(problem.model, c);
    out.push(snapshot(problem));
  }
  return out;
}
