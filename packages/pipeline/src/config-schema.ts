import { Type, type TSchema, type TProperties } from '@sinclair/typebox';
import { ConfigError, listProblems, type Registry, type Plugin } from '@descent/registry';
import { DATA_STEPS } from './data';
import { registryOf } from './plugins';
import { MODEL_STEPS, TRANSFORM_STEPS, SCHEDULE_STEPS } from './steps';
import type { PipelineConfig } from './types';

const int = (min: number, description: string) => Type.Integer({ minimum: min, description });
const opt = Type.Optional;

/** training: how long and in which batches; unknown keys are rejected. */
export const TRAINING_SCHEMA = Type.Object(
  {
    epochs: int(1, 'epochs'),
    batchSize: int(1, 'examples per batch'),
    seed: opt(int(0, 'seed of initialisation, shuffling and estimators (default 0)')),
    nonFinite: opt(Type.Union([Type.Literal('error'), Type.Literal('skip')], { description: "NaN/Inf gradients: 'error' ends the run as diverged, 'skip' skips the step" })),
    augment: opt(Type.Boolean({ description: 'train-time augmentation (flip and rotation)' })),
    evalBatchSize: opt(int(1, 'batch size of evaluation (default 1000)')),
    checkpoint: opt(Type.Object({ every: opt(int(1, 'epochs between checkpoints (default 1)')), keep: opt(int(1, 'checkpoints kept (default 2)')) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const SWEEP_SCHEMA = Type.Object(
  {
    grid: opt(Type.Record(Type.String(), Type.Array(Type.Unknown(), { minItems: 1 }), { description: 'path (e.g. optimizer.config.lr, or seed, lr, optimizer, init) → values; every combination runs' })),
    list: opt(Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1, description: 'sets of path → value overrides, one run each (crossed with grid)' })),
  },
  { additionalProperties: false, description: 'runs to expand this config into; each gets its own folder under <out>/runs' },
);

const NAME = '^[A-Za-z0-9][A-Za-z0-9._-]*$';
const TOP_KEYS = ['$schema', 'name', 'out', 'data', 'model', 'init', 'optimizer', 'training', 'analyses', 'sweep'] as const;
const REQUIRED = ['data', 'model', 'optimizer', 'training'] as const;

const TOP_SCHEMA = Type.Object(
  {
    $schema: opt(Type.String()),
    name: opt(Type.String({ pattern: NAME })),
    out: opt(Type.String()),
    data: Type.Unknown(),
    model: Type.Unknown(),
    init: opt(Type.Unknown()),
    optimizer: Type.Unknown(),
    training: Type.Unknown(),
    analyses: opt(Type.Array(Type.Unknown())),
    sweep: opt(Type.Unknown()),
  },
  { additionalProperties: false },
);

/** The shape of a step: { id, config } plus `extra` keys. */
export function stepShape(extra: TProperties = {}): TSchema {
  return Type.Object({ id: Type.String({ minLength: 1 }), config: opt(Type.Record(Type.String(), Type.Unknown())), ...extra }, { additionalProperties: false });
}

export const OPTIMIZER_EXTRA: TProperties = { transforms: opt(Type.Array(Type.Unknown())), schedule: opt(Type.Unknown()) };
export const ANALYSIS_EXTRA: TProperties = { name: opt(Type.String({ pattern: NAME, description: 'output name (default: the id); results go to analyses/<name>.json' })) };

/** `a` + `b` as a key path: "optimizer" + "lr" → "optimizer.lr", + "[1]" → "optimizer[1]". */
export function joinPath(prefix: string, path: string): string {
  if (!path || path === '(config)') return prefix || '(config)';
  if (!prefix) return path;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

/** Runs `fn`; a ConfigError it throws is thrown again with its path under `prefix`. */
export function under<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(joinPath(prefix, e.path), e.value, e.allowed);
    throw e;
  }
}

/**
 * Validates `value` against `schema`, naming the offending key under `prefix`. An unknown key is
 * reported before anything else (a typo'd key also leaves a required key missing).
 */
export function checkAt(prefix: string, schema: TSchema, value: unknown): void {
  const problems = listProblems(schema, value);
  if (problems.length === 0) return;
  const first = problems.find((p) => p.allowed.startsWith('no such key')) ?? problems[0];
  under(prefix, () => {
    throw first;
  });
}

function isObject(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === 'object' && !Array.isArray(x);
}

/**
 * Structural checks of a config file's content (before any plugin is consulted): an object with
 * the known top-level keys, required keys present, training and sweep well formed, every step an
 * `{ id, config }` object. Throws a ConfigError naming the key path.
 */
export function checkStructure(raw: unknown): PipelineConfig {
  if (!isObject(raw)) throw new ConfigError('(config)', raw, 'an object with keys data, model, optimizer, training (and init, analyses, sweep, name, out)');
  for (const key of Object.keys(raw)) if (!(TOP_KEYS as readonly string[]).includes(key)) throw new ConfigError(key, raw[key], `no such key; known keys: ${TOP_KEYS.join(', ')}`);
  for (const key of REQUIRED) if (!(key in raw)) throw new ConfigError(key, undefined, `a ${key} section (required)`);
  checkAt('', TOP_SCHEMA, raw);
  checkAt('data', stepShape(), raw.data);
  checkAt('model', stepShape(), raw.model);
  if (raw.init !== undefined && raw.init !== null) checkAt('init', stepShape(), raw.init);
  checkAt('optimizer', stepShape(OPTIMIZER_EXTRA), raw.optimizer);
  const optimizer = raw.optimizer as Record<string, unknown>;
  (optimizer.transforms as unknown[] | undefined)?.forEach((t, i) => checkAt(`optimizer.transforms[${i}]`, stepShape(), t));
  if (optimizer.schedule !== undefined) checkAt('optimizer.schedule', stepShape(), optimizer.schedule);
  checkAt('training', TRAINING_SCHEMA, raw.training);
  (raw.analyses as unknown[] | undefined)?.forEach((a, i) => checkAt(`analyses[${i}]`, stepShape(ANALYSIS_EXTRA), a));
  if (raw.sweep !== undefined) checkAt('sweep', SWEEP_SCHEMA, raw.sweep);
  return raw as unknown as PipelineConfig;
}

/** A step catalog for the JSON Schema: ids with their config schemas. */
interface Entry {
  id: string;
  description?: string;
  schema: TSchema;
}

const json = (s: unknown) => JSON.parse(JSON.stringify(s)) as Record<string, unknown>;

function stepJsonSchema(what: string, entries: Entry[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'object',
    description: `${what}: { id, config }`,
    additionalProperties: false,
    required: ['id'],
    properties: {
      id: { enum: entries.map((e) => e.id), description: entries.map((e) => `${e.id}${e.description ? `: ${e.description}` : ''}`).join('\n') },
      config: { type: 'object' },
      ...extra,
    },
    allOf: entries.map((e) => ({
      if: { properties: { id: { const: e.id } }, required: ['id'] },
      then: { properties: { config: json(e.schema) } },
    })),
  };
}

const fromCatalog = (catalog: Record<string, { description: string; schema: TSchema }>): Entry[] => Object.entries(catalog).map(([id, e]) => ({ id, description: e.description, schema: e.schema }));
const fromPlugins = (plugins: Plugin[]): Entry[] => plugins.map((p) => ({ id: p.id, description: p.description, schema: p.schema }));

/**
 * The JSON Schema (draft-07) of pipeline config files, assembled from the registry: each
 * optimizer, initializer and analysis plugin contributes its config schema, chosen by `id`
 * (if/then), so an editor completes and checks `optimizer.config` for the chosen optimizer.
 */
export function pipelineJsonSchema(plugins: Registry | readonly Plugin[]): Record<string, unknown> {
  const registry = registryOf(plugins);
  const init = stepJsonSchema('initializer plugin', fromPlugins(registry.list('initializer')));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://descent.dev/schemas/pipeline.json',
    title: 'Descent pipeline',
    description: 'dataset → model → initializer → optimizer → training → analyses; `descent run <file>` runs it',
    type: 'object',
    additionalProperties: false,
    required: [...REQUIRED],
    properties: {
      $schema: { type: 'string' },
      name: { type: 'string', pattern: NAME, description: 'names the run' },
      out: { type: 'string', description: 'output folder (descent run --out overrides it)' },
      data: stepJsonSchema('data set', fromCatalog(DATA_STEPS)),
      model: stepJsonSchema('model', fromCatalog(MODEL_STEPS)),
      init: { oneOf: [{ type: 'null' }, init], description: "initializer plugin (default: the model's own initializers)" },
      optimizer: stepJsonSchema('optimizer plugin', fromPlugins(registry.list('optimizer')), {
        transforms: { type: 'array', description: 'gradient transforms applied before the optimizer, in order', items: stepJsonSchema('gradient transform', fromCatalog(TRANSFORM_STEPS)) },
        schedule: stepJsonSchema('learning-rate schedule over epochs', fromCatalog(SCHEDULE_STEPS)),
      }),
      training: json(TRAINING_SCHEMA),
      analyses: { type: 'array', description: 'analyses of the trained model, in order', items: stepJsonSchema('analysis plugin', fromPlugins(registry.list('analysis')), json(ANALYSIS_EXTRA)) },
      sweep: json(SWEEP_SCHEMA),
    },
  };
}

export { TOP_KEYS };
