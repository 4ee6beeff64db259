import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Options } from 'tsup';
import packageConfig from '../tsup.config';
import { embeddedDataDir, packageDir } from '../src/package-dir';

const PKG = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const inPackage = mkdtempSync(join(PKG, '.test-build-'));
const outside = mkdtempSync(join(tmpdir(), 'descent-bundle-'));
afterAll(() => {
  rmSync(inPackage, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** Builds src/package-dir.ts with the package's own tsup config and asks each format where data/ is. */
async function dataDirFromBuilds(outDir: string): Promise<{ esm: string; cjs: string }> {
  const config = packageConfig as Options;
  expect(config.format).toEqual(['esm', 'cjs']);
  await build({ ...config, entry: { probe: join(PKG, 'src/package-dir.ts') }, outDir, dts: false, sourcemap: false, clean: false, silent: true, config: false });
  const run = (code: string) => execFileSync(process.execPath, ['-e', code], { cwd: tmpdir(), encoding: 'utf8' }).trim();
  return {
    esm: run(`import(${JSON.stringify(`file://${join(outDir, 'probe.js')}`)}).then((m) => console.log(m.embeddedDataDir() ?? 'undefined'))`),
    cjs: run(`console.log(require(${JSON.stringify(join(outDir, 'probe.cjs'))}).embeddedDataDir() ?? 'undefined')`),
  };
}

describe('locating the package data directory', () => {
  it('from src (under vitest)', () => {
    expect(packageDir()).toBe(PKG);
    expect(embeddedDataDir()).toBe(join(PKG, 'data'));
  });

  it('from the ESM and the CJS build', async () => {
    expect(await dataDirFromBuilds(inPackage)).toEqual({ esm: join(PKG, 'data'), cjs: join(PKG, 'data') });
  });

  it('from a bundle outside the package, through node_modules resolution', async () => {
    mkdirSync(join(outside, 'node_modules/@descent'), { recursive: true });
    symlinkSync(PKG, join(outside, 'node_modules/@descent/datasets'));
    expect(await dataDirFromBuilds(join(outside, 'app'))).toEqual({ esm: join(PKG, 'data'), cjs: join(PKG, 'data') });
  });

  it('gives undefined, not a wrong directory, when the package cannot be found', () => {
    expect(packageDir(`file://${join(tmpdir(), 'nowhere', 'x.js')}`)).toBeUndefined();
    expect(packageDir('not a url')).toBeUndefined();
  });
});
