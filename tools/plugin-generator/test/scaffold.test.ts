import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain ESM module without types
import { scaffold } from '../scaffold.mjs';

function fakeRoot() {
  const root = mkdtempSync(join(tmpdir(), 'descent-gen-'));
  for (const p of ['tensor', 'registry', 'testkit']) {
    mkdirSync(join(root, 'packages', p), { recursive: true });
    writeFileSync(join(root, 'packages', p, 'package.json'), JSON.stringify({ name: `@descent/${p}`, version: '1.2.3' }));
  }
  return root;
}

describe('plugin generator', () => {
  it('scaffolds an optimizer package that declares its plugin for discovery', () => {
    const root = fakeRoot();
    const { dir, files } = scaffold({ kind: 'optimizer', name: 'my-opt', rootDir: root });
    expect(dir).toBe('packages/optim-my-opt');
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('@descent/optim-my-opt');
    expect(pkg.descent).toEqual({ plugins: ['myOpt'] });
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.exports['.'].import.default).toBe('./dist/index.js');
    expect(pkg.peerDependencies).toEqual({ '@descent/tensor': '^1.2.3', '@descent/registry': '^1.2.3' });
    expect(readFileSync(join(root, dir, 'src/my-opt.ts'), 'utf8')).toContain("id: 'my-opt'");
    expect(readFileSync(join(root, dir, 'test/my-opt.test.ts'), 'utf8')).toContain('optimizerConformance');
    expect(files).toContain('.changeset/new-optim-my-opt.md');
    expect(existsSync(join(root, dir, 'README.md'))).toBe(true);
  });
  it('adds a new plugin to the descent command\'s dependencies', () => {
    const root = fakeRoot();
    mkdirSync(join(root, 'packages', 'cli'), { recursive: true });
    writeFileSync(join(root, 'packages', 'cli', 'package.json'), JSON.stringify({ name: '@descent/cli', dependencies: { '@descent/tensor': '^1.0.0' } }));
    scaffold({ kind: 'optimizer', name: 'zed', rootDir: root });
    const cli = JSON.parse(readFileSync(join(root, 'packages', 'cli', 'package.json'), 'utf8'));
    expect(cli.dependencies['@descent/optim-zed']).toBe('^0.1.0');
  });
  it('scaffolds initializers with a chosen id', () => {
    const root = fakeRoot();
    const { dir } = scaffold({ kind: 'initializer', name: 'foo', id: 'foo-normal', rootDir: root });
    expect(JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).descent.plugins).toEqual(['fooNormal']);
    expect(readFileSync(join(root, dir, 'test/foo-normal.test.ts'), 'utf8')).toContain('initializerConformance');
  });
  it('refuses bad names, unknown kinds and existing folders', () => {
    const root = fakeRoot();
    expect(() => scaffold({ kind: 'optimizer', name: 'Bad_Name', rootDir: root })).toThrow(/lower-case/);
    expect(() => scaffold({ kind: 'loss', name: 'x', rootDir: root })).toThrow(/kind must be/);
    scaffold({ kind: 'optimizer', name: 'twice', rootDir: root });
    expect(() => scaffold({ kind: 'optimizer', name: 'twice', rootDir: root })).toThrow(/exists already/);
  });
});
