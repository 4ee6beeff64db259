import { join } from 'node:path';
import {
  tf,
  Rng,
  toTfOptimizer,
  checkGradients,
  checkNumber,
  InvalidParameterError,
  type GradientTransform,
  type NonFinitePolicy,
  type GradientCheck,
  type ParamMap,
  type TransformOptimizer,
} from '@descent/tensor';
import type { Batch, DataSource } from './data';
import { softmaxCrossEntropy, countCorrect } from './losses';
import { denseStackPlan, fusedDenseStep } from './fused-step';
import { writeResults, type EpochRecord } from './results';
import { saveCheckpoint, loadCheckpoint, latestCheckpoint } from './checkpoint';
import { createProgress, type ProgressMode } from './progress';
import { writeFileAtomic } from './atomic';

export interface BatchEvent {
  epoch: number;
  batch: number;
  globalStep: number;
  loss: number;
  gradNorm: number;
}

export interface TrainCallbacks {
  onBatchEnd?(event: BatchEvent): void;
  onEpochEnd?(record: EpochRecord): void | Promise<void>;
}

/** A Hessian-diagonal estimator called every `every` steps; its result reaches the transform as `extras.hessianDiag`. */
export interface HessianSchedule {
  every: number;
  estimate(args: { model: tf.LayersModel; params: ParamMap; batch: Batch; rng: Rng; loss: (logits: tf.Tensor, labels: tf.Tensor) => tf.Scalar }): ParamMap;
}

export interface TrainOptions {
  /** A tfjs-layers model that outputs logits. */
  model: tf.LayersModel;
  optimizer: GradientTransform<any>;
  train: DataSource;
  test?: DataSource;
  epochs: number;
  batchSize: number;
  /** Seeds shuffling, augmentation and estimators; the same seed gives the same run. */
  seed?: number;
  evalBatchSize?: number;
  /** What to do with NaN/Inf gradients: 'error' (default) ends the run as diverged, 'skip' skips the step. */
  nonFinite?: NonFinitePolicy;
  /** Folder for results.jsonl, results.csv, summary.json and checkpoints/. */
  outDir?: string;
  /**
   * Checkpoint after every `every` epochs (default 1) into outDir/checkpoints, keeping the newest
   * `keep` (default 2; `Infinity` keeps all, e.g. for trajectory analyses).
   */
  checkpoint?: { every?: number; keep?: number } | false;
  /**
   * Fuse the training step where possible (default true): a chain of dense layers trained with
   * the default softmax cross-entropy gets its loss and gradients from one native call when
   * @descent/native-blas is active; same results up to float32 rounding. False always takes
   * TensorFlow.js' autodiff.
   */
  fusedStep?: boolean;
  /** Continue from the newest checkpoint in outDir/checkpoints, if there is one. */
  resume?: boolean;
  progress?: ProgressMode;
  callbacks?: TrainCallbacks;
  /** Learning rate per epoch (0-based), set through the transform's 'lr' hyperparameter before the epoch. */
  lrSchedule?: (epoch: number) => number;
  /** Reduce the learning rate when the test (or train) loss stops improving. */
  reduceOnPlateau?: { factor?: number; patience?: number; minLr?: number; threshold?: number };
  hessian?: HessianSchedule;
  /** Stops between batches; completed epochs are kept (checkpointed and written). */
  signal?: AbortSignal;
  augment?: boolean;
  /** Written into summary.json and the checkpoints, e.g. the CLI arguments. */
  meta?: Record<string, unknown>;
  loss?: (logits: tf.Tensor, labels: tf.Tensor) => tf.Scalar;
}

export interface TrainResult {
  status: 'completed' | 'diverged' | 'interrupted';
  epochs: EpochRecord[];
  diverged?: { epoch: number; batch: number; reason: string };
  /** Epoch the run resumed after, if it did. */
  resumedFrom?: number;
  seconds: number;
  optimizer: TransformOptimizer;
}

/** Shuffling for epoch e depends only on (seed, e), so a resumed run sees the same order. */
const epochRng = (seed: number, epoch: number, what: string) => new Rng(`${seed}:${what}:${epoch}`);

/** Evaluates mean loss and accuracy over a data source (no gradients). */
export function evaluate(model: tf.LayersModel, data: DataSource, batchSize = 1000, loss = softmaxCrossEntropy): { loss: number; accuracy: number } {
  let lossSum = 0;
  let correct = 0;
  let n = 0;
  for (const batch of data.batches({ batchSize, shuffle: false })) {
    const out = tf.tidy(() => {
      const logits = model.apply(batch.x, { training: false }) as tf.Tensor;
      return tf.stack([tf.mul(loss(logits, batch.y), batch.size), countCorrect(logits, batch.y)]);
    });
    const [l, c] = out.dataSync();
    tf.dispose([out, batch.x, batch.y]);
    lossSum += l;
    correct += c;
    n += batch.size;
  }
  return { loss: lossSum / n, accuracy: correct / n };
}

/**
 * Trains `model` with any gradient transform: per-epoch train/test loss and accuracy
 * (sample-weighted), mean global gradient norm, learning rate, time and memory; results and
 * checkpoints written atomically; divergence reported instead of a table of NaN.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { model, train: trainData, test } = options;
  const epochs = checkNumber('epochs', options.epochs, { min: 1, integer: true });
  const batchSize = checkNumber('batchSize', options.batchSize, { min: 1, integer: true });
  const seed = checkNumber('seed', options.seed ?? 0, { integer: true });
  const nonFinite = options.nonFinite ?? 'error';
  if (!['error', 'skip'].includes(nonFinite)) throw new InvalidParameterError('nonFinite', nonFinite, "'error' or 'skip'");
  if (options.hessian) checkNumber('hessian.every', options.hessian.every, { min: 1, integer: true });
  const lossFn = options.loss ?? softmaxCrossEntropy;
  const optimizer = toTfOptimizer(options.optimizer, { nonFinite: 'ignore' });
  const progress = createProgress(options.progress ?? 'auto');
  const ckptDir = options.outDir ? join(options.outDir, 'checkpoints') : undefined;
  const ckptEvery = options.checkpoint === false ? 0 : checkNumber('checkpoint.every', options.checkpoint?.every ?? 1, { min: 1, integer: true });
  const ckptKeep = options.checkpoint === false ? 2 : options.checkpoint?.keep ?? 2;
  if (ckptKeep !== Number.POSITIVE_INFINITY) checkNumber('checkpoint.keep', ckptKeep, { min: 1, integer: true });
  const started = performance.now();

  let history: EpochRecord[] = [];
  let startEpoch = 0;
  let globalStep = 0;
  let resumedFrom: number | undefined;
  if (options.resume && ckptDir) {
    const latest = latestCheckpoint(ckptDir);
    if (latest) {
      const meta = await loadCheckpoint(latest, model, optimizer);
      if (meta.seed !== seed) throw new InvalidParameterError('seed', seed, `the checkpoint's seed ${meta.seed} (resume with the same seed)`);
      history = meta.history;
      startEpoch = meta.epoch;
      globalStep = meta.globalStep;
      resumedFrom = meta.epoch;
      progress.message(`resumed from ${latest} (epoch ${meta.epoch} of ${epochs})`);
    }
  }

  const vars = () => model.trainableWeights.map((w) => w.read() as tf.Variable);
  const plan = options.fusedStep !== false && lossFn === softmaxCrossEntropy ? denseStackPlan(model) : undefined;
  // State exists before the first step, so schedules and resumed hyperparameters apply at once.
  optimizer.prepare(Object.fromEntries(vars().map((v) => [v.name, v])));
  let plateauBest = Infinity;
  let plateauWait = 0;
  const finish = (status: TrainResult['status'], diverged?: TrainResult['diverged']): TrainResult => {
    progress.close();
    const result = { status, epochs: history, diverged, resumedFrom, seconds: (performance.now() - started) / 1000, optimizer };
    if (options.outDir) {
      writeFileAtomic(
        join(options.outDir, 'summary.json'),
        JSON.stringify({ status, diverged: diverged ?? null, epochs: history.length, final: history.at(-1) ?? null, resumedFrom: resumedFrom ?? null, meta: options.meta ?? {} }, null, 2),
      );
    }
    return result;
  };

  for (let epoch = startEpoch; epoch < epochs; epoch++) {
    if (options.lrSchedule) setLr(optimizer, options.lrSchedule(epoch));
    const t0 = performance.now();
    let lossSum = 0;
    let correctSum = 0;
    let seen = 0;
    let normSum = 0;
    let steps = 0;
    const skippedBefore = optimizer.skippedSteps;
    const total = Math.ceil(trainData.size / batchSize);
    let batchIndex = 0;
    const iterator = trainData.batches({ batchSize, shuffle: true, rng: epochRng(seed, epoch, 'shuffle'), augment: options.augment })[Symbol.iterator]();
    for (;;) {
      if (options.signal?.aborted) {
        return finish('interrupted');
      }
      const next = iterator.next();
      if (next.done) break;
      const batch = next.value;
      batchIndex++;
      const fused = plan?.ok ? fusedDenseStep(plan, batch.x, batch.y) : undefined;
      let grads: ParamMap, check: GradientCheck, loss: number, nCorrect: number;
      let value: tf.Tensor | undefined, correct: tf.Tensor | undefined;
      if (fused) {
        ({ grads, check, loss, correct: nCorrect } = fused);
      } else {
        let logits: tf.Tensor | undefined;
        ({ value, grads } = tf.variableGrads(() => {
          // Kept past the gradient scope so accuracy comes from the same forward pass.
          logits = tf.keep(model.apply(batch.x, { training: true }) as tf.Tensor);
          return lossFn(logits, batch.y);
        }, vars()));
        correct = countCorrect(logits!, batch.y);
        logits!.dispose();
        const checked = checkGradients(grads, [value, correct]);
        check = checked;
        [loss, nCorrect] = checked.also;
      }
      if (!Number.isFinite(loss) || (check.nonFinite.length > 0 && nonFinite === 'error')) {
        tf.dispose([value, correct, batch.x, batch.y].filter((t): t is tf.Tensor => t !== undefined));
        tf.dispose(grads);
        const reason = !Number.isFinite(loss) ? `loss is ${loss}` : `non-finite gradient for ${check.nonFinite.join(', ')}`;
        progress.message(`diverged at epoch ${epoch + 1}, batch ${batchIndex}: ${reason}`);
        return finish('diverged', { epoch: epoch + 1, batch: batchIndex, reason });
      }
      if (check.nonFinite.length > 0) {
        optimizer.skippedSteps++;
      } else {
        let hessianDiag: ParamMap | undefined;
        if (options.hessian && globalStep % options.hessian.every === 0) {
          const params: ParamMap = Object.fromEntries(vars().map((v) => [v.name, v]));
          hessianDiag = options.hessian.estimate({ model, params, batch, rng: new Rng(`${seed}:hessian:${globalStep}`), loss: lossFn });
          optimizer.nextExtras = { hessianDiag };
        }
        optimizer.applyGradients(grads);
        if (hessianDiag) tf.dispose(Object.values(hessianDiag));
      }
      tf.dispose([value, correct, batch.x, batch.y].filter((t): t is tf.Tensor => t !== undefined));
      tf.dispose(grads);
      globalStep++;
      steps++;
      lossSum += loss * batch.size;
      correctSum += nCorrect;
      seen += batch.size;
      normSum += check.norm;
      progress.batch(epoch + 1, epochs, batchIndex, total, lossSum / seen);
      options.callbacks?.onBatchEnd?.({ epoch: epoch + 1, batch: batchIndex, globalStep, loss, gradNorm: check.norm });
    }
    const trainSeconds = (performance.now() - t0) / 1000;
    const evalResult = test ? evaluate(model, test, options.evalBatchSize ?? 1000, lossFn) : undefined;
    const record: EpochRecord = {
      epoch: epoch + 1,
      trainLoss: lossSum / seen,
      trainAccuracy: correctSum / seen,
      testLoss: evalResult?.loss ?? null,
      testAccuracy: evalResult?.accuracy ?? null,
      gradNorm: normSum / Math.max(1, steps),
      lr: optimizer.getHyperparam('lr') ?? null,
      seconds: (performance.now() - t0) / 1000,
      msPerStep: (trainSeconds * 1000) / Math.max(1, steps),
      tensorBytes: tf.memory().numBytes,
      optimizerStateBytes: optimizer.stateBytes(),
      rssBytes: process.memoryUsage().rss,
      skippedSteps: optimizer.skippedSteps - skippedBefore,
    };
    history = [...history, record];
    progress.epoch(formatEpoch(record, epochs));
    if (options.reduceOnPlateau) {
      const { factor = 0.1, patience = 2, minLr = 0, threshold = 1e-4 } = options.reduceOnPlateau;
      const monitored = record.testLoss ?? record.trainLoss;
      if (monitored < plateauBest * (1 - threshold)) {
        plateauBest = monitored;
        plateauWait = 0;
      } else if (++plateauWait > patience) {
        const lr = optimizer.getHyperparam('lr');
        if (lr !== undefined) setLr(optimizer, Math.max(minLr, lr * factor));
        plateauWait = 0;
      }
    }
    if (options.outDir) writeResults(options.outDir, history);
    if (ckptDir && ckptEvery > 0 && ((epoch + 1) % ckptEvery === 0 || epoch + 1 === epochs)) {
      await saveCheckpoint(ckptDir, { model, optimizer, epoch: epoch + 1, globalStep, seed, history, extra: options.meta }, ckptKeep);
    }
    await options.callbacks?.onEpochEnd?.(record);
  }
  return finish('completed');
}

function setLr(optimizer: TransformOptimizer, lr: number) {
  checkNumber('lr', lr, { min: 0 });
  if (optimizer.setHyperparam('lr', lr) === 0) throw new InvalidParameterError('lrSchedule', lr, "a transform with an 'lr' hyperparameter");
}

export function formatEpoch(r: EpochRecord, epochs: number): string {
  const test = r.testLoss === null ? '' : ` | test loss ${r.testLoss.toFixed(4)} acc ${(100 * (r.testAccuracy ?? 0)).toFixed(2)}%`;
  return `epoch ${r.epoch}/${epochs} | train loss ${r.trainLoss.toFixed(4)} acc ${(100 * r.trainAccuracy).toFixed(2)}%${test} | grad ${r.gradNorm.toFixed(3)} | ${r.seconds.toFixed(1)} s (${r.msPerStep.toFixed(1)} ms/step)`;
}
