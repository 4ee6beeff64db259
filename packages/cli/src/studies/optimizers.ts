import { join } from 'node:path';
import { tf, type GradientTransform } from '@descent/tensor';
import { train, type DataSource, type EpochRecord, type HessianSchedule, type ProgressMode, type TrainResult } from '@descent/train';
import { lineChart, metricsPanels, formatValue, type Plot } from '@descent/report';
import { downsample, slug } from './common';

/**
 * The chapter's optimizer comparison (FashionMNIST, GELU SimpleNetwork, 20 epochs): each
 * optimizer with the book's settings. Optimizers not listed here run with their plugin defaults.
 */
export const BOOK_OPTIMIZER_CONFIGS: Readonly<Record<string, Record<string, unknown>>> = Object.freeze({
  sgd: { lr: 0.01, momentum: 0.9 },
  'sgd-book': { lr: 0.01, momentum: 0.9 },
  adam: { lr: 1e-3 },
  lion: { lr: 1e-4 },
  'lion-book': { lr: 1e-4 },
});

/** One optimizer to run: a display name (unique), its registry id and config, and a factory. */
export interface OptimizerRunSpec {
  name: string;
  id: string;
  /** The settings given (the book's, --config, --set): what the table shows. */
  config: Record<string, unknown>;
  /** The full config after the plugin's defaults, for the record. */
  resolved?: Record<string, unknown>;
  create(): GradientTransform<any>;
  /** A Hessian-diagonal estimator for the loop (Sophia). */
  hessian?: HessianSchedule;
}

export interface OptimizerStudyOptions {
  runs: OptimizerRunSpec[];
  /** A fresh model with the same initial weights for every run (same seed). */
  buildModel: () => tf.LayersModel;
  train: DataSource;
  test?: DataSource;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Each run's results.jsonl/csv and summary.json go to outDir/runs/<name>. */
  outDir?: string;
  progress?: ProgressMode;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface OptimizerRun {
  name: string;
  id: string;
  config: Record<string, unknown>;
  resolved?: Record<string, unknown>;
  status: TrainResult['status'];
  diverged?: { epoch: number; batch: number; reason: string };
  epochs: EpochRecord[];
  /** Training loss of every step. */
  batchLosses: number[];
  seconds: number;
}

/** A summary line per optimizer. Nulls where the run has no such epoch. */
export interface OptimizerRow {
  name: string;
  id: string;
  config: Record<string, unknown>;
  status: TrainResult['status'];
  divergedEpoch: number | null;
  epochs: number;
  /** After the first epoch: how fast each optimizer starts. */
  firstTrainLoss: number | null;
  firstTestAccuracy: number | null;
  trainLoss: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
  bestTestAccuracy: number | null;
  /** Mean global gradient norm √Σ‖g‖² over the last epoch's steps. */
  gradNorm: number | null;
  optimizerStateBytes: number | null;
  /** Mean over epochs of the time per optimizer step (forward, backward, update). */
  msPerStep: number | null;
  seconds: number;
}

/**
 * Trains the same model (same initial weights, same batches) once per optimizer and records the
 * loop's per-epoch metrics (loss, accuracy, global gradient norm, optimizer-state bytes, time per
 * step) plus every step's training loss.
 */
export async function runOptimizerStudy(options: OptimizerStudyOptions): Promise<{ runs: OptimizerRun[]; rows: OptimizerRow[]; plots: Plot[]; interrupted: boolean }> {
  const log = options.log ?? (() => {});
  const runs: OptimizerRun[] = [];
  let interrupted = false;
  for (const [i, spec] of options.runs.entries()) {
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    log(`[${i + 1}/${options.runs.length}] ${spec.name} (${spec.id} ${JSON.stringify(spec.config)})`);
    const model = options.buildModel();
    const batchLosses: number[] = [];
    try {
      const result = await train({
        model,
        optimizer: spec.create(),
        train: options.train,
        test: options.test,
        epochs: options.epochs,
        batchSize: options.batchSize,
        seed: options.seed,
        hessian: spec.hessian,
        outDir: options.outDir ? join(options.outDir, 'runs', slug(spec.name)) : undefined,
        checkpoint: false,
        progress: options.progress ?? 'none',
        signal: options.signal,
        callbacks: { onBatchEnd: (e) => void batchLosses.push(e.loss) },
        meta: { study: 'optimizers', optimizer: { id: spec.id, config: spec.resolved ?? spec.config }, seed: options.seed },
      });
      result.optimizer.dispose();
      runs.push({ name: spec.name, id: spec.id, config: spec.config, ...(spec.resolved ? { resolved: spec.resolved } : {}), status: result.status, ...(result.diverged ? { diverged: result.diverged } : {}), epochs: result.epochs, batchLosses, seconds: result.seconds });
      const last = result.epochs[result.epochs.length - 1];
      if (result.status === 'interrupted') {
        interrupted = true;
        break;
      }
      if (result.status === 'diverged') {
        if ((options.progress ?? 'none') === 'none') log(`  diverged at epoch ${result.diverged!.epoch}, batch ${result.diverged!.batch}: ${result.diverged!.reason}`);
      } else log(`  train loss ${last.trainLoss.toFixed(4)}, test accuracy ${last.testAccuracy === null ? '—' : (100 * last.testAccuracy).toFixed(2) + ' %'}, ${result.seconds.toFixed(1)} s`);
    } finally {
      model.dispose();
    }
  }
  const done = runs.filter((r) => r.status !== 'interrupted' || r.epochs.length > 0);
  return { runs, rows: done.map(optimizerRow), plots: optimizerPlots(done), interrupted };
}

export function optimizerRow(run: OptimizerRun): OptimizerRow {
  const e = run.epochs;
  const first = e[0];
  const last = e[e.length - 1];
  const accs = e.map((r) => r.testAccuracy).filter((a): a is number => a !== null);
  return {
    name: run.name,
    id: run.id,
    config: run.config,
    status: run.status,
    divergedEpoch: run.diverged?.epoch ?? null,
    epochs: e.length,
    firstTrainLoss: first?.trainLoss ?? null,
    firstTestAccuracy: first?.testAccuracy ?? null,
    trainLoss: last?.trainLoss ?? null,
    testLoss: last?.testLoss ?? null,
    testAccuracy: last?.testAccuracy ?? null,
    bestTestAccuracy: accs.length ? Math.max(...accs) : null,
    gradNorm: last?.gradNorm ?? null,
    optimizerStateBytes: last?.optimizerStateBytes ?? null,
    msPerStep: e.length ? e.reduce((a, r) => a + r.msPerStep, 0) / e.length : null,
    seconds: run.seconds,
  };
}

const positive = (v: number) => (Number.isFinite(v) && v > 0 ? v : null);

/** The chapter's four panels (loss, accuracy, gradient norm, memory), the test-side panels and per-step loss. */
export function optimizerPlots(runs: OptimizerRun[]): Plot[] {
  const withEpochs = runs.filter((r) => r.epochs.length > 0);
  const plots: Plot[] = [];
  if (withEpochs.length > 0) {
    const series = withEpochs.map((r) => ({ name: r.name, records: r.epochs }));
    plots.push(
      metricsPanels(series, [{ metric: 'trainLoss', scale: 'log' }, 'trainAccuracy', 'gradNorm', 'optimizerStateBytes'], {
        title: 'Optimizer comparison (training)',
        subtitle: 'the chapter\'s four panels: loss, accuracy, global gradient norm √Σ‖g‖² (epoch mean), optimizer state',
        seriesTitle: 'Optimizer',
      }),
      metricsPanels(series, [{ metric: 'testLoss', scale: 'log' }, 'testAccuracy', 'msPerStep', 'seconds'], {
        title: 'Optimizer comparison (test set and time)',
        seriesTitle: 'Optimizer',
      }),
    );
  }
  const stepData = runs.flatMap((r) => downsample(r.batchLosses, 200).map((p) => ({ step: p.step, loss: positive(p.value), optimizer: r.name })));
  if (stepData.some((d) => d.loss !== null)) {
    plots.push(
      lineChart({
        title: 'Training loss per step',
        subtitle: 'mean over windows of steps: how fast each optimizer starts',
        x: { field: 'step', title: 'step' },
        y: { field: 'loss', title: 'cross-entropy', scale: 'log' },
        series: { field: 'optimizer', title: 'Optimizer' },
        data: stepData,
      }),
    );
  }
  return plots;
}

/** Table cells (strings) of the summary rows. */
export function optimizerTableRows(rows: OptimizerRow[]): Array<Record<string, string>> {
  const f = (v: number | null, d: number) => (v === null ? '—' : v.toFixed(d));
  const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(2)} %`);
  return rows.map((r) => ({
    optimizer: r.name,
    settings: configText(r.id, r.config),
    'epoch-1 train loss': f(r.firstTrainLoss, 4),
    'epoch-1 test acc': pct(r.firstTestAccuracy),
    'final train loss': r.status === 'diverged' ? `diverged (epoch ${r.divergedEpoch})` : f(r.trainLoss, 4),
    'final test loss': r.status === 'diverged' ? '—' : f(r.testLoss, 4),
    'final test acc': r.status === 'diverged' ? '—' : pct(r.testAccuracy),
    'grad norm': f(r.gradNorm, 3),
    'optimizer state': r.optimizerStateBytes === null ? '—' : formatValue(r.optimizerStateBytes, 'bytes'),
    'ms/step': f(r.msPerStep, 1),
    'time (s)': r.seconds.toFixed(1),
  }));
}

/** "sgd lr=0.01 momentum=0.9": the id and the settings given (the rest are the plugin's defaults). */
export function configText(id: string, config: Record<string, unknown>): string {
  const parts = Object.entries(config).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return [id, ...parts].join(' ');
}
