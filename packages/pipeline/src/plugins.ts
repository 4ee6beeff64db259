import { Registry, discoverPlugins, isPlugin, type Plugin } from '@descent/registry';
import { BUILTIN_ANALYSES } from './analyses/index';

/** Where plugins come from: a Registry, a list of plugins, or (default) the dependencies of the nearest package.json. */
export type PluginSource = Registry | readonly Plugin[] | undefined;

/**
 * A registry holding the given plugins plus the built-in analyses. Without plugins, those declared
 * by the nearest package.json of `cwd` are discovered (as `descent` does).
 */
export async function pipelineRegistry(plugins?: PluginSource, cwd = process.cwd()): Promise<Registry> {
  const registry = new Registry();
  if (plugins instanceof Registry) registry.register(...plugins.list());
  else if (Array.isArray(plugins)) registry.register(...plugins.filter((p) => isPlugin(p)));
  else {
    try {
      await discoverPlugins({ cwd, registry });
    } catch (e) {
      if ((e as { code?: string }).code !== 'NO_MANIFEST') throw e;
    }
  }
  for (const a of BUILTIN_ANALYSES) if (!registry.has(a.id)) registry.register(a);
  return registry;
}

/** The same, synchronously, for a Registry or a list (no discovery). */
export function registryOf(plugins: Registry | readonly Plugin[]): Registry {
  const registry = new Registry();
  registry.register(...(plugins instanceof Registry ? plugins.list() : plugins));
  for (const a of BUILTIN_ANALYSES) if (!registry.has(a.id)) registry.register(a);
  return registry;
}
