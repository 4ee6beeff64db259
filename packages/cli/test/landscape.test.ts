import { describe, it, expect, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The built command, as a user runs it (`npm run build` first): two tiny runs, then every
// landscape subcommand on them with small grids.
const bin = resolve(import.meta.dirname, '../bin/descent.js');
const built = existsSync(resolve(import.meta.dirname, '../dist/bin.js'));

function descent(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const root = mkdtempSync(join(tmpdir(), 'descent-landscape-'));
const runA = join(root, 'a');
const runB = join(root, 'b');
const runC = join(root, 'c');
const small = ['--hidden', '32,16', '--epochs', '2', '--train-size', '1024', '--test-size', '256', '--quiet'];

describe.skipIf(!built)('descent landscape (built command)', () => {
  beforeAll(async () => {
    const [a, b] = await Promise.all([descent(['train', ...small, '--seed', '0', '--out', runA]), descent(['train', ...small, '--seed', '1', '--out', runB])]);
    const c = await descent(['train', ...small, '--epochs', '3', '--keep-checkpoints', 'all', '--seed', '2', '--out', runC]);
    expect(c.code, c.stderr).toBe(0);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
  }, 120_000);

  it('help, and usage errors exit 2', async () => {
    const help = await descent(['landscape', '--help']);
    expect(help.code).toBe(0);
    for (const sub of ['interp', 'surface', 'hessian', 'trajectory', 'fit', 'dynamics', 'connect']) expect(help.stdout).toContain(sub);
    expect((await descent(['landscape', 'surface', '--help'])).stdout).toContain('--directions');
    expect((await descent(['landscape'])).code).toBe(2);
    expect((await descent(['landscape', 'nope'])).code).toBe(2);
    const missing = await descent(['landscape', 'surface', join(root, 'missing'), '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error.message).toMatch(/not a folder/);
    expect((await descent(['landscape', 'surface', runA, '--directions', 'hessian', '--top', '3'])).code).toBe(2);
    expect((await descent(['landscape', 'trajectory', runA])).stderr).toMatch(/at least 3 checkpoints.*--keep-checkpoints all/);
    // A run that kept every checkpoint has a trajectory of its own.
    const own = await descent(['landscape', 'trajectory', runC, '--out', join(root, 'trajectory-c'), '--json', '--quiet']);
    expect(own.code, own.stderr).toBe(0);
    expect(existsSync(join(root, 'trajectory-c', 'trajectory-pca.svg'))).toBe(true);
  });

  it('surface (Hessian directions, 2 worker threads) writes the grid, its JSON and a contour SVG', async () => {
    const out = join(root, 'surface');
    const r = await descent(['landscape', 'surface', runA, '--directions', 'hessian', '--top', '2', '--grid', '6', '--samples', '64', '--max-iterations', '20', '--workers', '2', '--out', out, '--json', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.surfaces).toHaveLength(1);
    expect(result.eigenvalues).toHaveLength(2);
    for (const f of ['surface-v1-v2.json', 'surface-v1-v2.bin', 'surface-v1-v2.svg']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(readFileSync(join(out, 'surface-v1-v2.svg'), 'utf8')).toMatch(/^<svg/);
    const saved = JSON.parse(readFileSync(join(out, 'surface-v1-v2.json'), 'utf8'));
    expect(saved.meta.workers).toBe(2);
    // fit on the saved surface, and the book's three optimizers on the fit
    const fit = await descent(['landscape', 'fit', '--surface-file', join(out, 'surface-v1-v2.json'), '--steps', '20', '--out', join(root, 'fit'), '--json', '--quiet']);
    expect(fit.code, fit.stderr).toBe(0);
    const f = JSON.parse(fit.stdout);
    expect(f.paths.map((p: { id: string }) => p.id)).toEqual(['sgd', 'sgd', 'adam']);
    expect(f.fit.max.params.offset).toBeGreaterThan(0);
    expect(existsSync(join(root, 'fit', 'fit-paths.svg'))).toBe(true);
  }, 120_000);

  it('interp, hessian, dynamics, trajectory (two runs) and connect', async () => {
    const run = async (args: string[]) => {
      const r = await descent(['landscape', ...args, '--json', '--quiet']);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return JSON.parse(r.stdout);
    };
    const interp = await run(['interp', runA, '--points', '5', '--samples', '64', '--out', join(root, 'interp')]);
    expect(interp.loss).toHaveLength(5);
    expect([interp.from.epoch, interp.to.epoch]).toEqual([1, 2]);
    const hessian = await run(['hessian', runA, '--top', '2', '--max-iterations', '10', '--samples', '64', '--density', '--density-runs', '2', '--density-steps', '8', '--workers', '2', '--out', join(root, 'hessian')]);
    expect(hessian.eigenvalues).toHaveLength(2);
    expect(hessian.density.density.length).toBe(400);
    const dyn = await run(['dynamics', runA, '--samples', '128', '--out', join(root, 'dynamics')]);
    expect(dyn.epochs.map((e: { epoch: number }) => e.epoch)).toEqual([1, 2]);
    const traj = await run(['trajectory', runA, runB, '--out', join(root, 'trajectory')]);
    expect(traj.pca.coordinates).toHaveLength(4);
    expect(traj.tsne.embedding).toHaveLength(4);
    const connect = await run(['connect', runA, runB, '--epochs', '1', '--train-samples', '512', '--samples', '64', '--points', '5', '--lr', '1e-3', '--out', join(root, 'connect')]);
    expect(connect.line.loss).toHaveLength(5);
    expect(connect.curve.loss[0]).toBeCloseTo(connect.line.loss[0], 4);
    for (const f of ['interp/interp.svg', 'hessian/hessian-eigenvalues.svg', 'hessian/hessian-density.svg', 'dynamics/dynamics.svg', 'trajectory/trajectory-pca.svg', 'trajectory/trajectory-tsne.svg', 'connect/connect.svg']) expect(existsSync(join(root, f)), f).toBe(true);
  }, 180_000);
});
