import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The built command, as a user runs it (`npm run build` first); data: the embedded FashionMNIST.
const bin = resolve(import.meta.dirname, '../bin/descent.js');
const built = existsSync(resolve(import.meta.dirname, '../dist/bin.js'));

function descent(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe.skipIf(!built)('descent study (built command)', () => {
  it('explains itself, and rejects unknown studies, methods, settings and missing CIFAR files with exit 2', async () => {
    const [help, initHelp, unknown, badMethod, badSet, cifar] = await Promise.all([
      descent(['study', '--help']),
      descent(['study', 'init', '--help']),
      descent(['study', 'nope']),
      descent(['study', 'init', '--methods', 'kaiming_normal,nope']),
      descent(['study', 'optimizers', '--optimizers', 'sgd,adam', '--set', 'adam.lrr=1']),
      descent(['study', 'optimizers', '--dataset', 'cifar100', '--data-dir', join(tmpdir(), 'descent-no-cifar'), '--model', 'transformer-small'], { DESCENT_DATA: join(tmpdir(), 'descent-no-cifar') }),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/init .*\n[\s\S]*optimizers/);
    expect(initHelp.code).toBe(0);
    expect(initHelp.stdout).toContain('--book');
    expect(initHelp.stdout).toContain('torch.optim.SGD');
    expect(unknown.code).toBe(2);
    expect(badMethod.code).toBe(2);
    expect(badMethod.stderr).toMatch(/unknown method "nope".*kaiming_normal/);
    expect(badSet.code).toBe(2);
    expect(badSet.stderr).toMatch(/adam has no option "lrr".*\blr\b/);
    expect(cifar.code).toBe(2);
    expect(cifar.stderr).toMatch(/CIFAR files, which are not installed/);
  }, 60_000);

  it('study init: trains each method, writes the table, results and a report with the plots', async () => {
    const out = mkdtempSync(join(tmpdir(), 'descent-study-init-'));
    const r = await descent(
      ['study', 'init', '--methods', 'orthogonal,kaiming_normal', '--epochs', '1', '--train-size', '512', '--test-size', '128', '--hidden', '32,16', '--probe-size', '64', '--out', out, '--json'],
      { DESCENT_DATA: join(out, 'nowhere') },
    );
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.optimizer.id).toBe('sgd');
    const [orth, kaiming] = result.rows;
    expect(orth.method).toBe('orthogonal');
    expect(kaiming.id).toBe('kaiming-normal');
    // 3 kernels with σ = 1 and the PReLU slope 0.25.
    expect(orth.spectralNorm.mean).toBeCloseTo(3.25 / 4, 4);
    expect(orth.condition.mean).toBeCloseTo(1, 4);
    expect(orth.testLoss.mean).toBeGreaterThan(0);
    for (const f of ['table.md', 'results.json', 'config.json', 'report.html', 'runs/orthogonal/results.csv']) expect(existsSync(join(out, f)), f).toBe(true);
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    expect(report.match(/<svg/g)!.length).toBeGreaterThanOrEqual(5);
    expect(readFileSync(join(out, 'table.md'), 'utf8')).toContain('rank ratio (95 %)');
  }, 60_000);

  it('study optimizers: data runs with --set and --config, and the surface mode', async () => {
    const out = mkdtempSync(join(tmpdir(), 'descent-study-opt-'));
    const config = join(out, 'settings.json');
    writeFileSync(config, JSON.stringify({ sgd: { lr: 0.05 }, adam: { lr: 2e-3 } }));
    const [data, surface] = await Promise.all([
      descent(['study', 'optimizers', '--config', config, '--set', 'adam.lr=3e-3', '--epochs', '1', '--train-size', '512', '--test-size', '128', '--hidden', '32', '--out', join(out, 'data'), '--json'], {
        DESCENT_DATA: join(out, 'nowhere'),
      }),
      descent(['study', 'optimizers', '--surface', 'bowl', '--optimizers', 'sgd,adam', '--steps', '50', '--out', join(out, 'surface'), '--json']),
    ]);
    expect(data.code, data.stderr).toBe(0);
    const rows = JSON.parse(data.stdout).rows;
    expect(rows.map((r: { name: string }) => r.name)).toEqual(['sgd', 'adam']);
    // The book's momentum 0.9 stays; the file's lr replaces the book's; --set wins over the file.
    expect(rows[0].config).toEqual({ lr: 0.05, momentum: 0.9 });
    expect(rows[1].config).toEqual({ lr: 3e-3 });
    expect(rows[1].optimizerStateBytes).toBe(2 * rows[0].optimizerStateBytes);
    expect(existsSync(join(out, 'data', 'report.html'))).toBe(true);
    expect(surface.code, surface.stderr).toBe(0);
    const s = JSON.parse(surface.stdout);
    expect(s.rows).toHaveLength(2);
    for (const row of s.rows) expect(row.finalF).toBeLessThan(1 - Math.exp(-1)); // f at the start (-1, 1)
    expect(readFileSync(join(out, 'surface', 'report.html'), 'utf8')).toContain('<svg');
  }, 60_000);
});
