import { type Initializer } from '@descent/tensor';
import { definePlugin, schema, ConfigError, type Plugin } from '@descent/registry';
import { kaimingNormalPlugin, kaimingUniformPlugin } from '@descent/init-kaiming';
import { xavierNormalPlugin, xavierUniformPlugin } from '@descent/init-xavier';
import { lecunNormalPlugin, lecunUniformPlugin } from '@descent/init-lecun';
import { orthogonalPlugin } from '@descent/init-orthogonal';
import { metaInit, metaInitDefaults, type MetaInitOptions, type MetaInitModel, type MetaInitLoss, type MetaInitBatch, type MetaInitResult, type MetaInitRunOptions } from './metainit';

/** The base initializers MetaInit can start from, by registry id. */
export const METAINIT_BASES = {
  'kaiming-normal': kaimingNormalPlugin,
  'kaiming-uniform': kaimingUniformPlugin,
  'xavier-normal': xavierNormalPlugin,
  'xavier-uniform': xavierUniformPlugin,
  'lecun-normal': lecunNormalPlugin,
  'lecun-uniform': lecunUniformPlugin,
  orthogonal: orthogonalPlugin,
} as const satisfies Record<string, Plugin<'initializer'>>;
export type MetaInitBaseId = keyof typeof METAINIT_BASES;

export interface MetaInitConfig extends MetaInitOptions {
  /** Registry id of the initializer that draws the starting weights (default 'kaiming-normal'). */
  base: MetaInitBaseId;
  /** Its config (validated by it). */
  baseConfig: Record<string, unknown>;
}

/** The marker a `metainit` initializer carries: run MetaInit with this config once the model is built. */
export interface MetaInitPostInit {
  kind: 'metainit';
  config: MetaInitOptions;
}

/** An initializer that draws with the base initializer and asks for MetaInit tuning afterwards. */
export type MetaInitInitializer = Initializer & { readonly postInit: MetaInitPostInit };

export const metaInitConfigDefaults: MetaInitConfig = Object.freeze({ ...metaInitDefaults, base: 'kaiming-normal', baseConfig: {} });

function build(c: MetaInitConfig): MetaInitInitializer {
  const base = METAINIT_BASES[c.base].create(c.baseConfig);
  const init: Initializer = (shape, ctx) => base(shape, ctx);
  const postInit: MetaInitPostInit = Object.freeze({ kind: 'metainit', config: Object.freeze({ steps: c.steps, lr: c.lr, momentum: c.momentum, eps: c.eps, hvpStep: c.hvpStep, scaleStep: c.scaleStep, quotient: c.quotient }) });
  return Object.assign(init, { postInit });
}

/**
 * Registry plugin `metainit`. MetaInit needs a model and data, which an initializer never sees,
 * so `create(config)` returns an initializer that draws with the base initializer and carries
 * `postInit = { kind: 'metainit', config }`; whoever builds the model (a training loop, a study)
 * runs the tuning afterwards — `runPostInit(init, model, lossFn, batch)` does exactly that.
 */
export const metaInitPlugin = definePlugin({
  id: 'metainit',
  kind: 'initializer',
  version: '0.1.0',
  description: 'MetaInit: draw with a base initializer (default kaiming-normal), then tune each weight norm to minimise the gradient quotient (runs after model construction, see postInit).',
  reference: 'Dauphin & Schoenholz (2019), MetaInit: Initializing learning by learning to initialize, NeurIPS',
  defaults: metaInitConfigDefaults,
  schema: schema.object({
    base: schema.enum(Object.keys(METAINIT_BASES) as MetaInitBaseId[], { description: 'registry id of the initializer that draws the starting weights' }),
    baseConfig: schema.any({ description: 'config object of the base initializer, validated by it' }),
    steps: schema.integer({ min: 0, description: 'signSGD steps on the weight norms (paper: 200–1000)' }),
    lr: schema.number({ min: 0, exclusiveMin: true, description: 'step size on each weight norm' }),
    momentum: schema.number({ min: 0, max: 1, exclusiveMax: true, description: 'momentum of the norm updates' }),
    eps: schema.number({ min: 0, exclusiveMin: true, description: 'stabiliser of the gradient quotient denominator' }),
    hvpStep: schema.number({ min: 0, exclusiveMin: true, max: 1, description: 'finite-difference step of the Hessian-vector product, relative to ‖θ‖' }),
    scaleStep: schema.number({ min: 0, exclusiveMin: true, max: 0.5, description: 'relative norm change of the central difference of GQ' }),
    quotient: schema.enum(['hvp', 'step'] as const, { description: "'hvp': first-order quotient with a finite-difference Hessian-vector product (the paper's code); 'step': g(θ − g)/g − 1 unlinearised" }),
  }),
  check: (c) => {
    if (c.baseConfig === null || typeof c.baseConfig !== 'object' || Array.isArray(c.baseConfig)) throw new ConfigError('baseConfig', c.baseConfig, 'an object', 'metainit');
    METAINIT_BASES[c.base].resolveConfig(c.baseConfig);
  },
  create: build,
});

/** The `metainit` initializer from a config (validated like the plugin's): base draw + `postInit` marker. */
export function metaInitInitializer(config: Partial<MetaInitConfig> = {}): MetaInitInitializer {
  return build(metaInitPlugin.resolveConfig(config));
}

/** True for initializers that ask for MetaInit tuning after the model is built. */
export function hasMetaInitPostInit(init: unknown): init is MetaInitInitializer {
  const p = (init as { postInit?: { kind?: unknown } } | null)?.postInit;
  return typeof init === 'function' && !!p && p.kind === 'metainit';
}

/**
 * Runs the tuning an initializer asked for: `metaInit(model, lossFn, batch, init.postInit.config)`
 * if `init` carries a MetaInit marker (returns its result), otherwise nothing (returns undefined).
 * Call it after `initializeModel(model, init)`.
 */
export function runPostInit(init: Initializer, model: MetaInitModel, lossFn: MetaInitLoss, batch: MetaInitBatch | ((step: number) => MetaInitBatch), options: Omit<MetaInitRunOptions, keyof MetaInitOptions> = {}): MetaInitResult | undefined {
  if (!hasMetaInitPostInit(init)) return undefined;
  return metaInit(model, lossFn, batch, { ...init.postInit.config, ...options });
}
