import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Registry } from './registry';
import { isPlugin, type Plugin } from './plugin';
import { RegistryError } from './errors';

export interface DiscoverOptions {
  /** Where to start looking for the nearest package.json (default: process.cwd()). */
  cwd?: string;
  /** Registry to fill (default: a new one). */
  registry?: Registry;
  /** Dependency fields to read (default: dependencies, devDependencies, optionalDependencies). */
  fields?: string[];
}

export interface DiscoveredPlugin {
  package: string;
  id: string;
  kind: string;
  version: string;
}

export interface DiscoverResult {
  registry: Registry;
  /** The package.json whose dependencies were read. */
  manifest: string;
  plugins: DiscoveredPlugin[];
}

function findManifest(start: string): string {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new RegistryError('NO_MANIFEST', `No package.json found in ${start} or any folder above it.`);
    dir = up;
  }
}

/** Finds a dependency's folder by walking node_modules upward, as Node does. */
function findPackageDir(name: string, from: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The ESM entry of a package (exports["."].import, then module, then main). */
function esmEntry(pkgDir: string, manifest: Record<string, any>): string {
  const dot = manifest.exports?.['.'] ?? manifest.exports;
  const fromExports = typeof dot === 'string' ? dot : (dot?.import?.default ?? dot?.import ?? dot?.default);
  const rel = (typeof fromExports === 'string' ? fromExports : undefined) ?? manifest.module ?? manifest.main ?? 'index.js';
  return join(pkgDir, rel);
}

/**
 * Registers the plugins of the packages the nearest package.json declares as dependencies and
 * that carry `"descent": { "plugins": ["exportName", ...] }` in their own package.json. Nothing
 * outside the declared dependencies is loaded.
 */
export async function discoverPlugins(options: DiscoverOptions = {}): Promise<DiscoverResult> {
  const manifestPath = findManifest(options.cwd ?? process.cwd());
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, any>;
  const registry = options.registry ?? new Registry();
  const fields = options.fields ?? ['dependencies', 'devDependencies', 'optionalDependencies'];
  const names = [...new Set(fields.flatMap((f) => Object.keys(manifest[f] ?? {})))].sort();
  const found: DiscoveredPlugin[] = [];
  for (const name of names) {
    const dir = findPackageDir(name, dirname(manifestPath));
    if (!dir) continue; // declared but not installed: nothing to load
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, any>;
    const exportsList = pkg.descent?.plugins;
    if (!Array.isArray(exportsList)) continue;
    let mod: Record<string, unknown>;
    try {
      mod = await import(pathToFileURL(esmEntry(dir, pkg)).href);
    } catch (e) {
      throw new RegistryError('LOAD_FAILED', `Could not load plugin package ${name} (${dir}): ${(e as Error).message}. Is it built?`);
    }
    for (const exportName of exportsList) {
      const plugin = mod[exportName];
      if (!isPlugin(plugin)) {
        throw new RegistryError('NOT_A_PLUGIN', `${name} lists "${exportName}" in descent.plugins, but its export of that name is not a plugin made by definePlugin.`);
      }
      registry.register(plugin as Plugin);
      found.push({ package: name, id: plugin.id, kind: plugin.kind, version: plugin.version });
    }
  }
  return { registry, manifest: manifestPath, plugins: found };
}
