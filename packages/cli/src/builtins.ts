import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { Registry, discoverPlugins, type DiscoveredPlugin } from '@descent/registry';

export interface LoadedRegistry {
  registry: Registry;
  /** Plugins the CLI ships with: the plugin packages among its own dependencies. */
  builtin: DiscoveredPlugin[];
  /** Plugins declared by the project the command runs in. */
  discovered: DiscoveredPlugin[];
}

/** The folder of @descent/cli's package.json, from the built file or the source file. */
function cliPackageDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/**
 * The CLI's registry: the plugin packages @descent/cli depends on (so a plugin added to its
 * dependencies is built in, with no code change) plus those declared by the nearest package.json
 * of the working directory.
 */
export async function loadRegistry(cwd = process.cwd()): Promise<LoadedRegistry> {
  const registry = new Registry();
  const builtin = (await discoverPlugins({ cwd: cliPackageDir(), registry, fields: ['dependencies'] })).plugins;
  let discovered: DiscoveredPlugin[] = [];
  try {
    const own = new Set(builtin.map((p) => p.id));
    discovered = (await discoverPlugins({ cwd, registry })).plugins.filter((p) => !own.has(p.id));
  } catch (e) {
    if ((e as { code?: string }).code !== 'NO_MANIFEST') throw e;
  }
  return { registry, builtin, discovered };
}
