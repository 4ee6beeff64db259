import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { discoverPlugins } from '@descent/registry';

const repo = resolve(import.meta.dirname, '../../..');
const plugins = ['optim-sgd', 'optim-adam', 'init-kaiming'];

// A user's project that depends on the three first plugin packages, installed as npm would
// (node_modules/@descent/<name> → the built package). Needs `npm run build` first.
describe('discoverPlugins on a sample project', () => {
  it('finds sgd, sgd-book, adam, adamw, kaiming-normal and kaiming-uniform, and builds them', async () => {
    for (const p of plugins) {
      expect(existsSync(join(repo, 'packages', p, 'dist', 'index.js')), `packages/${p}/dist is missing: run npm run build`).toBe(true);
    }
    const app = mkdtempSync(join(tmpdir(), 'descent-app-'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'my-study', private: true, dependencies: Object.fromEntries(plugins.map((p) => [`@descent/${p}`, '^0.1.0'])) }));
    mkdirSync(join(app, 'node_modules', '@descent'), { recursive: true });
    for (const p of plugins) symlinkSync(join(repo, 'packages', p), join(app, 'node_modules', '@descent', p), 'dir');
    const { registry, plugins: found } = await discoverPlugins({ cwd: app });
    expect(found.map((f) => f.id).sort()).toEqual(['adam', 'adamw', 'kaiming-normal', 'kaiming-uniform', 'sgd', 'sgd-book']);
    expect(found.find((f) => f.id === 'adam')!.package).toBe('@descent/optim-adam');
    const adam = registry.create('adam', { lr: 0.01 }, 'optimizer');
    expect(adam.spec).toEqual({ id: 'adam', config: expect.objectContaining({ lr: 0.01 }) });
    expect(() => registry.create('sgd', { lr: -1 })).toThrow(/lr/);
    expect(typeof registry.create('kaiming-uniform', {}, 'initializer')).toBe('function');
  });
});
