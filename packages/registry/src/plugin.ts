import { registerTransformFactory, type GradientTransform, type Initializer } from '@descent/tensor';
import type { TSchema } from '@sinclair/typebox';
import { validateAgainst } from './validate';
import { ConfigError } from './errors';

export type PluginKind = 'optimizer' | 'initializer' | 'analysis';

/** What `create` returns for each kind. */
export interface PluginProducts {
  optimizer: GradientTransform<any>;
  initializer: Initializer;
  analysis: unknown;
}

export interface PluginDefinition<K extends PluginKind, C extends object> {
  /** Registry id, lower-case with dashes: 'adam', 'kaiming-normal'. */
  id: string;
  kind: K;
  version: string;
  description?: string;
  /** Paper or reference the implementation follows. */
  reference?: string;
  /** Complete default config; user configs are merged over it. */
  defaults: C;
  /** JSON Schema of the config (see `schema`); unknown keys and out-of-range values are rejected. */
  schema: TSchema;
  /** Cross-field checks the schema cannot express; throw a ConfigError. */
  check?: (config: C) => void;
  create(config: C): PluginProducts[K];
}

export interface Plugin<K extends PluginKind = PluginKind, C extends object = any> extends Readonly<Omit<PluginDefinition<K, C>, 'create'>> {
  /** Validates `config` (merged over the defaults) and builds the product. */
  create(config?: Partial<C> | Record<string, unknown>): PluginProducts[K];
  /** Merges over the defaults and validates, without building. */
  resolveConfig(config?: Partial<C> | Record<string, unknown>): C;
  /** The raw factory, for callers that validated already. */
  readonly build: (config: C) => PluginProducts[K];
}

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Declares a plugin. Optimizers it creates carry `spec = { id, config }`, so a model saved with
 * such an optimizer can be rebuilt by `fromConfig` once the plugin is loaded.
 */
export function definePlugin<K extends PluginKind, C extends object>(def: PluginDefinition<K, C>): Plugin<K, C> {
  if (!ID.test(def.id)) throw new ConfigError('id', def.id, 'lower-case words joined by dashes, e.g. "kaiming-normal"');
  if (!['optimizer', 'initializer', 'analysis'].includes(def.kind)) throw new ConfigError('kind', def.kind, 'optimizer, initializer or analysis');
  validateAgainst(def.schema, def.defaults, def.id);
  const resolveConfig = (config: Record<string, unknown> = {}): C => {
    if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new ConfigError('(config)', config, 'an object', def.id);
    validateAgainst(def.schema, config, def.id);
    const merged = { ...def.defaults, ...config } as C;
    def.check?.(merged);
    return merged;
  };
  const plugin: Plugin<K, C> = Object.freeze({
    ...def,
    build: def.create,
    resolveConfig,
    create(config: Record<string, unknown> = {}) {
      const resolved = resolveConfig(config);
      const product = def.create(resolved);
      if (def.kind === 'optimizer') {
        (product as GradientTransform<any>).spec = { id: def.id, config: resolved as Record<string, unknown> };
        registerTransformFactory(def.id, (c) => plugin.create(c) as GradientTransform<any>);
      }
      return product;
    },
  });
  return plugin;
}

/** True for objects made by `definePlugin` (also across duplicated module copies). */
export function isPlugin(x: unknown): x is Plugin {
  return !!x && typeof x === 'object' && typeof (x as Plugin).id === 'string' && typeof (x as Plugin).create === 'function' && typeof (x as Plugin).resolveConfig === 'function' && 'schema' in (x as object);
}
