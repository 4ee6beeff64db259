import type { Plugin, PluginKind, PluginProducts } from './plugin';
import { RegistryError } from './errors';

/** A set of plugins by id. Registration is idempotent; lookups fail with the ids on offer. */
export class Registry {
  private readonly plugins = new Map<string, Plugin>();

  register(...plugins: Plugin[]): this {
    for (const p of plugins) {
      const taken = this.plugins.get(p.id);
      if (taken && taken !== p && !(taken.kind === p.kind && taken.version === p.version && taken.description === p.description)) {
        throw new RegistryError('ID_TAKEN', `Plugin id "${p.id}" is taken by another ${taken.kind} plugin (version ${taken.version}); choose another id.`);
      }
      if (!taken) this.plugins.set(p.id, p);
    }
    return this;
  }

  has(id: string): boolean {
    return this.plugins.has(id);
  }

  get<K extends PluginKind = PluginKind>(id: string, kind?: K): Plugin<K> {
    const p = this.plugins.get(id);
    if (!p || (kind && p.kind !== kind)) {
      const offered = this.list(kind).map((x) => x.id);
      throw new RegistryError(
        'UNKNOWN_PLUGIN',
        `No ${kind ?? 'plugin'} "${id}" is registered. ${offered.length ? `Available: ${offered.join(', ')}.` : 'None are registered.'}`,
      );
    }
    return p as Plugin<K>;
  }

  /** Plugins sorted by id, optionally of one kind. */
  list(kind?: PluginKind): Plugin[] {
    return [...this.plugins.values()].filter((p) => !kind || p.kind === kind).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Validates the config against the plugin's schema and builds the product. */
  create<K extends PluginKind>(id: string, config: Record<string, unknown> = {}, kind?: K): PluginProducts[K] {
    return this.get(id, kind).create(config) as PluginProducts[K];
  }
}
