import { chain, InvalidParameterError, type GradientTransform, type Initializer, type tf } from '@descent/tensor';
import { ConfigError, type Registry, type Plugin, type PluginKind, type TSchema } from '@descent/registry';
import { DATA_STEPS, type PipelineData } from './data';
import { MODEL_STEPS, TRANSFORM_STEPS, SCHEDULE_STEPS, type ModelContext } from './steps';
import { TRAINING_SCHEMA, checkAt, under } from './config-schema';
import type { Analysis, ResolvedAnalysis } from './analyses';
import type { Pipeline, StepRef, TrainingSettings, AnalysisStep } from './types';

/** A step as recorded in config.json: its id and resolved config, or "custom" for your own function. */
export type StepRecord = { id: string; config: Record<string, unknown> } | { custom: string };

/** A pipeline with every step validated and ready to build. */
export interface ResolvedPipeline {
  name?: string;
  loadData(): Promise<PipelineData>;
  buildModel(ctx: ModelContext): tf.LayersModel;
  initializer?: Initializer;
  /** The optimizer chain (transforms, then the optimizer) and the epoch → lr schedule, if any. */
  buildOptimizer(): { transform: GradientTransform<any>; lrSchedule?: (epoch: number) => number };
  training: Required<Pick<TrainingSettings, 'epochs' | 'batchSize' | 'seed'>> & TrainingSettings;
  analyses: ResolvedAnalysis[];
  /** JSON description of every step (written to config.json, hashed to recognise the run). */
  record: {
    name: string | null;
    data: StepRecord;
    model: StepRecord;
    init: StepRecord | null;
    optimizer: StepRecord & { transforms: StepRecord[]; schedule: StepRecord | null };
    training: TrainingSettings;
    analyses: Array<StepRecord & { name: string }>;
  };
}

export function isStepRef(x: unknown): x is StepRef {
  return !!x && typeof x === 'object' && !Array.isArray(x) && typeof (x as StepRef).id === 'string' && typeof (x as { run?: unknown }).run !== 'function' && typeof (x as { update?: unknown }).update !== 'function';
}

function isTransform(x: unknown): x is GradientTransform<any> {
  return !!x && typeof x === 'object' && typeof (x as GradientTransform).init === 'function' && typeof (x as GradientTransform).update === 'function';
}

const custom = (what: string): StepRecord => ({ custom: what });

/** Validates a built-in step's config; unknown ids are rejected with the ids on offer. */
function catalogStep<E extends { schema: TSchema }>(path: string, ref: StepRef, catalog: Record<string, E>, what: string): { entry: E; config: Record<string, any> } {
  const entry = Object.prototype.hasOwnProperty.call(catalog, ref.id) ? catalog[ref.id] : undefined;
  if (!entry) throw new ConfigError(`${path}.id`, ref.id, `a ${what}: ${Object.keys(catalog).join(', ')}`);
  const config = ref.config ?? {};
  checkAt(`${path}.config`, entry.schema, config);
  return { entry, config };
}

/** Validates a plugin step's config against the plugin's schema (merged over its defaults). */
function pluginStep<K extends PluginKind>(path: string, ref: StepRef, registry: Registry, kind: K, what: string): { plugin: Plugin<K>; config: Record<string, unknown> } {
  if (!registry.has(ref.id) || registry.get(ref.id).kind !== kind) {
    const offered = registry.list(kind).map((p) => p.id);
    throw new ConfigError(`${path}.id`, ref.id, offered.length ? `an installed ${what}: ${offered.join(', ')}` : `an installed ${what} (none found: add a plugin package to your dependencies)`);
  }
  const plugin = registry.get(ref.id, kind);
  const config = under(`${path}.config`, () => plugin.resolveConfig(ref.config ?? {})) as Record<string, unknown>;
  return { plugin, config };
}

function resolveAnalysis(step: AnalysisStep, i: number, registry: Registry): ResolvedAnalysis {
  const path = `analyses[${i}]`;
  if (isStepRef(step)) {
    const { plugin, config } = pluginStep(path, step, registry, 'analysis', 'analysis');
    const analysis = plugin.build(config as never) as Analysis;
    if (!analysis || typeof analysis.run !== 'function') throw new ConfigError(`${path}.id`, step.id, 'an analysis plugin whose create() returns { run(ctx) }');
    return { name: step.name ?? step.id, id: step.id, config, analysis };
  }
  if (!step || typeof (step as Analysis).run !== 'function' || typeof (step as Analysis).id !== 'string') throw new ConfigError(path, step, '{ id, config } of an analysis plugin, or { id, name?, run(ctx) }');
  return { name: step.name ?? step.id, id: step.id, config: {}, analysis: step };
}

/**
 * Checks every step of a pipeline against the registry and the built-in catalogs and returns what
 * runs it. Problems are ConfigErrors naming the key path (`optimizer.config.lr`).
 */
export function resolvePipeline(pipeline: Pipeline, registry: Registry): ResolvedPipeline {
  if (!pipeline || typeof pipeline !== 'object') throw new ConfigError('(pipeline)', pipeline, 'an object with data, model, optimizer, training');
  // data
  const dataStep = pipeline.data;
  let loadData: () => Promise<PipelineData>;
  let dataRecord: StepRecord;
  if (typeof dataStep === 'function') [loadData, dataRecord] = [async () => dataStep(), custom('data function')];
  else if (isStepRef(dataStep)) {
    const { entry, config } = catalogStep('data', dataStep, DATA_STEPS, 'data set');
    [loadData, dataRecord] = [() => entry.load(config), { id: dataStep.id, config }];
  } else if (dataStep && typeof dataStep === 'object' && 'train' in dataStep) [loadData, dataRecord] = [async () => dataStep, custom('data object')];
  else throw new ConfigError('data', dataStep, '{ id, config } of a data set, { train, test }, or a function returning one');

  // model
  const modelStep = pipeline.model;
  let buildModel: (ctx: ModelContext) => tf.LayersModel;
  let modelRecord: StepRecord;
  if (typeof modelStep === 'function') [buildModel, modelRecord] = [modelStep, custom('model function')];
  else if (isStepRef(modelStep)) {
    const { entry, config } = catalogStep('model', modelStep, MODEL_STEPS, 'model');
    [buildModel, modelRecord] = [(ctx) => entry.build(config, ctx), { id: modelStep.id, config }];
  } else throw new ConfigError('model', modelStep, '{ id, config } of a model, or a function (ctx) => tf.LayersModel');

  // initializer
  const initStep = pipeline.init;
  let initializer: Initializer | undefined;
  let initRecord: StepRecord | null = null;
  if (typeof initStep === 'function') [initializer, initRecord] = [initStep, custom('initializer function')];
  else if (isStepRef(initStep)) {
    const { plugin, config } = pluginStep('init', initStep, registry, 'initializer', 'initializer plugin');
    [initializer, initRecord] = [plugin.build(config as never) as Initializer, { id: initStep.id, config }];
  } else if (initStep !== undefined && initStep !== null) throw new ConfigError('init', initStep, '{ id, config } of an initializer plugin, an Initializer function, or null');

  // training
  const training = pipeline.training;
  checkAt('training', TRAINING_SCHEMA, training);
  const resolvedTraining = { ...training, seed: training.seed ?? 0 };

  // optimizer, its transforms and schedule
  const opt = pipeline.optimizer;
  let optimizerRecord: ResolvedPipeline['record']['optimizer'];
  let buildOptimizer: ResolvedPipeline['buildOptimizer'];
  if (isTransform(opt)) {
    optimizerRecord = { ...(opt.spec ? { id: opt.spec.id, config: opt.spec.config } : custom('gradient transform')), transforms: [], schedule: null };
    buildOptimizer = () => ({ transform: opt });
  } else if (isStepRef(opt)) {
    const { plugin, config } = pluginStep('optimizer', opt, registry, 'optimizer', 'optimizer plugin');
    const transforms = (opt.transforms ?? []).map((t, i) => {
      const path = `optimizer.transforms[${i}]`;
      if (isTransform(t)) return { build: () => t, record: custom('gradient transform') };
      if (!isStepRef(t)) throw new ConfigError(path, t, '{ id, config } of a gradient transform, or a GradientTransform');
      const { entry, config: c } = catalogStep(path, t, TRANSFORM_STEPS, 'gradient transform');
      return { build: () => entry.build(c, undefined), record: { id: t.id, config: c } as StepRecord };
    });
    const s = opt.schedule;
    let schedule: { build: () => (epoch: number) => number; record: StepRecord } | undefined;
    if (typeof s === 'function') schedule = { build: () => s, record: custom('schedule function') };
    else if (isStepRef(s)) {
      const { entry, config: c } = catalogStep('optimizer.schedule', s, SCHEDULE_STEPS, 'schedule');
      const lr = typeof c.lr === 'number' ? c.lr : (config as { lr?: unknown }).lr;
      if (typeof lr !== 'number') throw new ConfigError('optimizer.schedule.config.lr', c.lr, `a base learning rate (optimizer "${opt.id}" has no lr)`);
      // Built now, so a bad combination (warmupEpochs ≥ epochs) is reported before training.
      const fn = under('optimizer.schedule.config', () => {
        try {
          return entry.build(c, { lr, epochs: resolvedTraining.epochs });
        } catch (e) {
          if (e instanceof InvalidParameterError && !(e instanceof ConfigError)) throw new ConfigError(e.parameter, e.value, e.allowed);
          throw e;
        }
      });
      schedule = { build: () => fn, record: { id: s.id, config: c } };
    } else if (s !== undefined) throw new ConfigError('optimizer.schedule', s, '{ id, config } of a schedule, or a function epoch → lr');
    optimizerRecord = { id: opt.id, config, transforms: transforms.map((t) => t.record), schedule: schedule?.record ?? null };
    buildOptimizer = () => {
      const main = plugin.create(config) as GradientTransform<any>;
      const transform = transforms.length ? chain(...transforms.map((t) => t.build()), main) : main;
      return { transform, ...(schedule ? { lrSchedule: schedule.build() } : {}) };
    };
  } else throw new ConfigError('optimizer', opt, '{ id, config, transforms?, schedule? } of an optimizer plugin, or a GradientTransform');

  // analyses
  if (pipeline.analyses !== undefined && !Array.isArray(pipeline.analyses)) throw new ConfigError('analyses', pipeline.analyses, 'an array of analyses');
  const analyses = (pipeline.analyses ?? []).map((a, i) => resolveAnalysis(a, i, registry));
  const seen = new Map<string, number>();
  analyses.forEach((a, i) => {
    if (seen.has(a.name)) throw new ConfigError(`analyses[${i}].name`, a.name, `a name not used by analyses[${seen.get(a.name)}] (give one of them a name)`);
    seen.set(a.name, i);
  });

  return {
    name: pipeline.name,
    loadData,
    buildModel,
    initializer,
    buildOptimizer,
    training: resolvedTraining,
    analyses,
    record: {
      name: pipeline.name ?? null,
      data: dataRecord,
      model: modelRecord,
      init: initRecord,
      optimizer: optimizerRecord,
      training: resolvedTraining,
      analyses: analyses.map((a) => (isStepRef(pipeline.analyses![analyses.indexOf(a)]) ? { id: a.id, config: a.config, name: a.name } : { custom: a.id, name: a.name })),
    },
  };
}

