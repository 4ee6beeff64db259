import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tf, useBackend, backendReport, DescentError } from '@descent/tensor';
import { listCheckpoints, loadCheckpointWeights, pickCheckpointEntry } from '@descent/train';
import { ConfigError } from '@descent/registry';
import { pipelineRegistry, type PluginSource } from './plugins';
import { resolvePipeline } from './resolve';
import { executeAnalyses, type AnalysisRecord, type Samples } from './analyses';
import { DATA_STEPS, type PipelineData } from './data';
import { MODEL_STEPS, type ModelContext } from './steps';
import type { AnalysisStep, DataStep, ModelStep } from './types';

export interface RunAnalysesOptions {
  /** Analysis plugins beyond the built-in ones (default: those the nearest package.json depends on). */
  plugins?: PluginSource;
  /** Which checkpoint: 'latest' (default), 'first' or an epoch number. */
  checkpoint?: 'latest' | 'first' | number;
  /** The data, when the run used your own data function (else the run's config names it). */
  data?: DataStep;
  /** The model builder, when the run used your own (else the run's config names it). */
  model?: ModelStep;
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Run analyses again even where their results exist. */
  force?: boolean;
}

export interface AnalysesResult {
  runDir: string;
  checkpoint: number;
  analyses: Record<string, Record<string, unknown>>;
  ranAnalyses: string[];
  interrupted: boolean;
}


function stepOf(x: unknown): { id: string; config: Record<string, unknown> } | undefined {
  return x && typeof x === 'object' && typeof (x as { id?: unknown }).id === 'string' ? { id: (x as { id: string }).id, config: ((x as { config?: Record<string, unknown> }).config ?? {}) } : undefined;
}

/**
 * Runs analyses on a saved run folder alone (one of `runPipeline` or `descent train`): the model
 * is rebuilt from config.json and loaded from a checkpoint; results go to `<runDir>/analyses`.
 */
export async function runAnalyses(runDir: string, analyses: AnalysisStep[], options: RunAnalysesOptions = {}): Promise<AnalysesResult> {
  const dir = resolve(runDir);
  const configPath = join(dir, 'config.json');
  if (!existsSync(configPath)) throw new ConfigError('runDir', runDir, 'a run folder with config.json (made by runPipeline or descent train)');
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, any>;
  const ckDir = join(dir, 'checkpoints');
  const checkpoints = listCheckpoints(ckDir);
  if (checkpoints.length === 0) throw new DescentError('NO_CHECKPOINT', `no checkpoints in ${ckDir}`);
  const want = options.checkpoint ?? 'latest';
  const checkpoint = pickCheckpointEntry(checkpoints, want);
  if (!checkpoint) throw new ConfigError('checkpoint', want, `latest, first or one of the saved epochs: ${checkpoints.map((c) => c.epoch).join(', ')}`);

  // The steps the run was made from: the pipeline record, else `descent train`'s keys.
  const rec = (config.pipeline ?? {}) as Record<string, unknown>;
  const dataStep: DataStep | undefined = options.data ?? stepOf(rec.data) ?? (typeof config.dataset === 'string' && config.dataset in DATA_STEPS ? { id: config.dataset } : undefined);
  const modelStep: ModelStep | undefined =
    options.model ??
    stepOf(rec.model) ??
    (typeof config.model === 'string' && config.model in MODEL_STEPS
      ? { id: config.model, config: { ...(config.activation ? { activation: config.activation } : {}), ...(config.hidden ? { hiddenSizes: String(config.hidden).split(',').map(Number) } : {}) } }
      : undefined);
  if (!modelStep) throw new ConfigError('model', config.model, 'a model builder (options.model): the run was made with your own model function');
  if (!dataStep) throw new ConfigError('data', config.dataset, 'a data step (options.data): the run was made with your own data function');

  const registry = await pipelineRegistry(options.plugins);
  // A stand-in optimizer: only the data, model and analyses steps matter here.
  const resolved = resolvePipeline(
    { data: dataStep, model: modelStep, optimizer: { init: () => ({}), update: (g) => ({ updates: g, state: {} }) }, training: { epochs: 1, batchSize: 1 }, analyses },
    registry,
  );
  if (!backendReport()) await useBackend('auto');
  let data: PipelineData | undefined;
  const loadData = async () => (data ??= await resolved.loadData());
  let model: tf.LayersModel | undefined;
  const seed = typeof config.seed === 'number' ? config.seed : 0;
  try {
    const done = await executeAnalyses(
      dir,
      resolved.analyses,
      {
        runConfig: config,
        checkpoint,
        seed,
        model: async () => {
          if (model) return model;
          let ctx: ModelContext;
          if (Array.isArray(config.inputShape) && typeof config.numClasses === 'number') ctx = { inputShape: config.inputShape, numClasses: config.numClasses, seed };
          else {
            const d = await loadData();
            ctx = { inputShape: [...d.train.shape], numClasses: d.train.numClasses, seed };
          }
          model = resolved.buildModel(ctx);
          await loadCheckpointWeights(checkpoint.path, model);
          return model;
        },
        samples: async (n): Promise<Samples> => {
          const d = await loadData();
          const source = d.test ?? d.train;
          const first = source.batches({ batchSize: n, shuffle: false })[Symbol.iterator]().next();
          if (first.done) throw new DescentError('NO_DATA', 'the data source yields no batches');
          return { inputs: first.value.x, labels: first.value.y };
        },
      },
      { log: options.log, signal: options.signal, force: options.force },
    );
    const records = Object.values(done.records) as AnalysisRecord[];
    return { runDir: dir, checkpoint: checkpoint.epoch, analyses: Object.fromEntries(records.map((r) => [r.name, r.result])), ranAnalyses: done.ran, interrupted: done.interrupted };
  } finally {
    (model as tf.LayersModel | undefined)?.dispose();
  }
}
