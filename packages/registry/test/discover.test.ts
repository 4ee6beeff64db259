import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverPlugins, RegistryError } from '@descent/registry';

// A plugin package on disk: duck-typed plugin objects (what definePlugin makes), so this test
// needs no build. The real packages are discovered in test/discover-real.test.ts.
function fakePackage(root: string, name: string, pkg: Record<string, unknown>, source: string) {
  const dir = join(root, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', main: 'index.js', ...pkg }));
  writeFileSync(join(dir, 'index.js'), source);
}
const pluginSource = (id: string) =>
  `export const p = { id: '${id}', kind: 'optimizer', version: '1.0.0', schema: {}, defaults: {}, create() {}, resolveConfig() {} };\n`;

describe('discoverPlugins', () => {
  it('loads only declared dependencies that carry a descent field', async () => {
    const root = mkdtempSync(join(tmpdir(), 'descent-discover-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'app', dependencies: { 'plug-a': '1', 'plain-lib': '1' }, devDependencies: { 'plug-b': '1' } }));
    fakePackage(root, 'plug-a', { descent: { plugins: ['p'] } }, pluginSource('alpha'));
    fakePackage(root, 'plug-b', { descent: { plugins: ['p'] } }, pluginSource('beta'));
    fakePackage(root, 'plain-lib', {}, 'throw new Error("must not be loaded")');
    fakePackage(root, 'undeclared', { descent: { plugins: ['p'] } }, pluginSource('gamma'));
    const sub = join(root, 'src', 'deep');
    mkdirSync(sub, { recursive: true });
    const { registry, plugins, manifest } = await discoverPlugins({ cwd: sub });
    expect(manifest).toBe(join(root, 'package.json'));
    expect(plugins.map((p) => p.id)).toEqual(['alpha', 'beta']);
    expect(registry.has('gamma')).toBe(false);
  });
  it('fails clearly when a listed export is not a plugin', async () => {
    const root = mkdtempSync(join(tmpdir(), 'descent-discover-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'app', dependencies: { bad: '1' } }));
    fakePackage(root, 'bad', { descent: { plugins: ['nothing'] } }, 'export const other = 1;');
    await expect(discoverPlugins({ cwd: root })).rejects.toThrow(RegistryError);
    await expect(discoverPlugins({ cwd: root })).rejects.toThrow(/bad lists "nothing"/);
  });
});
