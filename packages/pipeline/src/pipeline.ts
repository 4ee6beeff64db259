import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tf, useBackend, backendReport, initializeModel, Rng, DescentError, type BackendChoice } from '@descent/tensor';
import { train, writeFileAtomic, latestCheckpoint, type EpochRecord, type TrainCallbacks, type ProgressMode } from '@descent/train';
import { pipelineRegistry, type PluginSource } from './plugins';
import { resolvePipeline, type ResolvedPipeline } from './resolve';
import { executeAnalyses, type AnalysisRecord, type Samples } from './analyses';
import type { ShapedDataSource } from './data';
import { hashOf } from './stable-json';
import { writeRunReport } from './report';
import type { Pipeline } from './types';

/** Declares a pipeline; the identity, typed, so editors check every step. */
export function definePipeline<P extends Pipeline>(pipeline: P): P {
  return pipeline;
}

export interface RunPipelineOptions {
  /** The run folder (created): config.json, results, summary.json, checkpoints/, analyses/, report.html. */
  outDir: string;
  /** Stops between batches (or between analyses); completed epochs and analyses are kept. */
  signal?: AbortSignal;
  /** Optimizer, initializer and analysis plugins; default: those the nearest package.json depends on. */
  plugins?: PluginSource;
  /** Continue an unfinished run from its newest checkpoint (default true). */
  resume?: boolean;
  /** Run the analyses again even where their results exist. */
  force?: boolean;
  /** Progress of training (default 'none'). */
  progress?: ProgressMode;
  /** Lines for the user (data notes, analysis summaries). */
  log?: (line: string) => void;
  callbacks?: TrainCallbacks;
  /** Backend when none is chosen yet (default 'auto'). */
  backend?: BackendChoice;
  /** Write report.html (default true). */
  report?: boolean;
}

export interface PipelineResult {
  status: 'completed' | 'diverged' | 'interrupted';
  runDir: string;
  /** True when the run folder held this run finished already: nothing was run. */
  skipped: boolean;
  epochs: EpochRecord[];
  diverged?: { epoch: number; batch: number; reason: string } | null;
  /** Results by analysis name. */
  analyses: Record<string, Record<string, unknown>>;
  /** Names of the analyses run now (the rest were found done). */
  ranAnalyses: string[];
  seconds: number;
}

/** What pipeline.json in a run folder says: the run's status and what it was made from. */
export interface PipelineMarker {
  format: 1;
  status: 'running' | 'completed' | 'diverged' | 'interrupted';
  /** Hash of data, model, init, optimizer and training: a run folder holds one such run. */
  trainingHash: string;
  analyses: string[];
  updatedAt: string;
}

export const MARKER = 'pipeline.json';

export function readMarker(dir: string): PipelineMarker | undefined {
  const path = join(dir, MARKER);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as PipelineMarker) : undefined;
}

function trainingHash(r: ResolvedPipeline): string {
  const { data, model, init, optimizer, training } = r.record;
  return hashOf({ data, model, init, optimizer, training });
}

/** True when the folder holds this pipeline finished: training completed and every analysis done. */
export function isFinished(dir: string, r: ResolvedPipeline): boolean {
  const m = readMarker(dir);
  return !!m && m.status === 'completed' && m.trainingHash === trainingHash(r) && r.analyses.every((a) => m.analyses.includes(a.name));
}

function firstBatch(source: ShapedDataSource, n: number): Samples {
  const it = source.batches({ batchSize: n, shuffle: false })[Symbol.iterator]();
  const first = it.next();
  if (first.done) throw new DescentError('NO_DATA', 'the data source yields no batches');
  return { inputs: first.value.x, labels: first.value.y };
}

/** The keys `descent train` writes to config.json, so the CLI's landscape commands open pipeline runs too. */
function runConfig(r: ResolvedPipeline, data: { train: ShapedDataSource; test?: ShapedDataSource }, parameters: number, hash: string): Record<string, unknown> {
  const rec = r.record;
  const ref = (s: unknown) => (s && typeof s === 'object' && 'id' in s ? (s as { id: string; config: Record<string, unknown> }) : undefined);
  const model = ref(rec.model);
  const hidden = model?.config.hiddenSizes as number[] | undefined;
  return {
    dataset: ref(rec.data)?.id ?? 'custom',
    model: model?.id ?? 'custom',
    activation: (model?.config.activation as string | undefined) ?? (model?.id === 'simple-mlp' ? 'relu' : undefined),
    hidden: hidden ? hidden.join(',') : null,
    init: rec.init,
    optimizer: rec.optimizer,
    epochs: r.training.epochs,
    batchSize: r.training.batchSize,
    seed: r.training.seed,
    trainSize: data.train.size,
    testSize: data.test?.size ?? null,
    inputShape: [...data.train.shape],
    numClasses: data.train.numClasses,
    backend: backendReport()?.backend ?? tf.getBackend(),
    parameters,
    pipeline: rec,
    trainingHash: hash,
  };
}

/**
 * Runs a pipeline into `outDir`: trains with @descent/train (the folder layout of `descent
 * train`: config.json, results.jsonl/csv, summary.json, checkpoints/, report.html), then runs the
 * analyses into `analyses/<name>.json`. A folder holding this run finished is left untouched; an
 * unfinished one resumes from its newest checkpoint and skips analyses already done.
 */
export async function runPipeline(pipeline: Pipeline, options: RunPipelineOptions): Promise<PipelineResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const registry = await pipelineRegistry(options.plugins);
  const resolved = resolvePipeline(pipeline, registry);
  const dir = resolve(options.outDir);
  const hash = trainingHash(resolved);
  const previous = readMarker(dir);
  if (previous && previous.trainingHash !== hash) {
    throw new DescentError('RUN_FOLDER_TAKEN', `${dir} holds another run (its data, model, optimizer or training settings differ); choose another output folder or delete it`);
  }
  if (isFinished(dir, resolved)) {
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { status: PipelineResult['status'] };
    const epochs = readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as EpochRecord);
    const analyses = Object.fromEntries(resolved.analyses.map((a) => [a.name, JSON.parse(readFileSync(join(dir, 'analyses', `${a.name}.json`), 'utf8')).result]));
    log(`${dir}: finished already, skipped`);
    return { status: summary.status, runDir: dir, skipped: true, epochs, analyses, ranAnalyses: [], seconds: 0 };
  }
  if (!backendReport()) await useBackend(options.backend ?? 'auto');
  mkdirSync(dir, { recursive: true });
  const marker = (status: PipelineMarker['status'], analyses: string[] = []) =>
    writeFileAtomic(join(dir, 'pipeline.json'), JSON.stringify({ format: 1, status, trainingHash: hash, analyses, updatedAt: new Date().toISOString() } satisfies PipelineMarker, null, 2));

  const data = await resolved.loadData();
  data.notes?.forEach(log);
  const { seed } = resolved.training;
  const model = resolved.buildModel({ inputShape: [...data.train.shape], numClasses: data.train.numClasses, seed });
  const { transform, lrSchedule } = resolved.buildOptimizer();
  let optimizerToDispose: { dispose(): void } | undefined;
  try {
    if (resolved.initializer) initializeModel(model, resolved.initializer, { rng: new Rng(seed).fork('init') });
    const config = runConfig(resolved, data, model.countParams(), hash);
    writeFileAtomic(join(dir, 'config.json'), JSON.stringify(config, null, 2));
    marker('running');
    const t = resolved.training;
    const result = await train({
      model,
      optimizer: transform,
      train: data.train,
      test: data.test,
      epochs: t.epochs,
      batchSize: t.batchSize,
      seed,
      nonFinite: t.nonFinite,
      augment: t.augment,
      evalBatchSize: t.evalBatchSize,
      checkpoint: t.checkpoint,
      outDir: dir,
      resume: options.resume ?? true,
      progress: options.progress ?? 'none',
      callbacks: options.callbacks,
      lrSchedule,
      signal: options.signal,
      meta: config,
    });
    optimizerToDispose = result.optimizer;
    const base = { runDir: dir, skipped: false, epochs: result.epochs, diverged: result.diverged ?? null };
    if (result.status !== 'completed') {
      marker(result.status);
      if (options.report !== false) await writeRunReport(dir, { title: `${resolved.name ?? 'pipeline'} — ${result.status}`, status: `${result.status} after ${result.epochs.length} epochs`, config, epochs: result.epochs, analyses: [] });
      return { ...base, status: result.status, analyses: {}, ranAnalyses: [], seconds: (performance.now() - started) / 1000 };
    }
    const ckpt = latestCheckpoint(join(dir, 'checkpoints'));
    const test = data.test ?? data.train;
    const done = await executeAnalyses(
      dir,
      resolved.analyses,
      {
        runConfig: config,
        checkpoint: ckpt ? { epoch: result.epochs.length, path: ckpt } : undefined,
        seed,
        model: async () => model,
        samples: async (n) => firstBatch(test, n),
      },
      { log, signal: options.signal, force: options.force },
    );
    const records = Object.values(done.records) as AnalysisRecord[];
    const status = done.interrupted ? 'interrupted' : 'completed';
    if (options.report !== false) {
      await writeRunReport(dir, { title: resolved.name ?? `pipeline — ${String((config.optimizer as { id?: string }).id ?? 'custom')}`, status: `Completed ${result.epochs.length} epochs; ${records.length} of ${resolved.analyses.length} analyses done.`, config, epochs: result.epochs, analyses: records });
    }
    marker(status, Object.keys(done.records));
    return { ...base, status, analyses: Object.fromEntries(records.map((r) => [r.name, r.result])), ranAnalyses: done.ran, seconds: (performance.now() - started) / 1000 };
  } finally {
    model.dispose();
    optimizerToDispose?.dispose();
  }
}
