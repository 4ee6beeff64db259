import { Registry, discoverPlugins, isPlugin, type DiscoveredPlugin } from '@descent/registry';
import * as sgd from '@descent/optim-sgd';
import * as adam from '@descent/optim-adam';
import * as kaiming from '@descent/init-kaiming';

/** Plugin packages the CLI ships with; a project's own dependencies are discovered on top. */
const BUILTIN_MODULES: Array<[string, Record<string, unknown>]> = [
  ['@descent/optim-sgd', sgd],
  ['@descent/optim-adam', adam],
  ['@descent/init-kaiming', kaiming],
];

export interface LoadedRegistry {
  registry: Registry;
  builtin: DiscoveredPlugin[];
  discovered: DiscoveredPlugin[];
}

/** The CLI's registry: built-in plugins plus those declared by the nearest package.json. */
export async function loadRegistry(cwd = process.cwd()): Promise<LoadedRegistry> {
  const registry = new Registry();
  const builtin: DiscoveredPlugin[] = [];
  for (const [pkg, mod] of BUILTIN_MODULES) {
    for (const value of Object.values(mod)) {
      if (!isPlugin(value)) continue;
      registry.register(value);
      builtin.push({ package: pkg, id: value.id, kind: value.kind, version: value.version });
    }
  }
  let discovered: DiscoveredPlugin[] = [];
  try {
    discovered = (await discoverPlugins({ cwd, registry })).plugins;
  } catch (e) {
    if ((e as { code?: string }).code !== 'NO_MANIFEST') throw e;
  }
  return { registry, builtin, discovered };
}
