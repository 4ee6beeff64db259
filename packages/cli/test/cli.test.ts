import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// These run the built command as a user would (`npm run build` first).
const bin = resolve(import.meta.dirname, '../bin/descent.js');
const built = existsSync(resolve(import.meta.dirname, '../dist/bin.js'));
const hasDebianData = existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz');

// Asynchronous, so the test worker stays responsive during long runs.
function descent(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('descent (built command)', () => {
  it('is built', () => {
    expect(built, 'packages/cli/dist is missing: run npm run build').toBe(true);
  });

  it('prints help and exits 0; a bare call is a usage error (2)', async () => {
    const help = await descent(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('descent <command>');
    expect((await descent([])).code).toBe(2);
    const trainHelp = await descent(['train', '--help']);
    expect(trainHelp.code).toBe(0);
    expect(trainHelp.stdout).toContain('--optimizer');
    expect(trainHelp.stdout).toMatch(/Optimizers: .*adam/);
  });

  it('lists the built-in plugins, as JSON too', async () => {
    const r = await descent(['plugins', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ id: string; kind: string; package: string; schema: unknown }>;
    const ids = rows.map((p) => p.id);
    for (const id of ['sgd', 'adam', 'adamw', 'kaiming-normal', 'kaiming-uniform']) expect(ids).toContain(id);
    expect(rows.find((p) => p.id === 'adam')!.package).toBe('@descent/optim-adam');
  });

  it('rejects unknown commands, plugins, options and bad values with exit 2 and a clear message', async () => {
    expect((await descent(['trian'])).code).toBe(2);
    const unknownOpt = await descent(['train', '--optimizer', 'adamm']);
    expect(unknownOpt.code).toBe(2);
    expect(unknownOpt.stderr).toMatch(/No optimizer "adamm".*Available: .*adam/);
    const typo = await descent(['train', '--lrr', '0.1']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown option --lrr.*--lr/);
    const bad = await descent(['train', '--lr', '-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/adam\.lr.*-1.*≥ 0/);
    const json = await descent(['train', '--epochs', 'zero', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error.message).toMatch(/--epochs/);
  });

  it('trains on the embedded data, writes results, a report and checkpoints', async () => {
    const out = mkdtempSync(join(tmpdir(), 'descent-cli-'));
    // As on a fresh machine without data: only the copy shipped in @descent/datasets.
    const r = await descent(['train', '--epochs', '1', '--train-size', '1024', '--test-size', '512', '--optimizer', 'sgd', '--lr', '0.05', '--momentum', '0.9', '--init', 'xavier-uniform', '--data-source', 'embedded', '--out', out, '--json']);
    expect(r.stderr).toContain('using the embedded 10k test split');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.status).toBe('completed');
    expect(result.epochs).toHaveLength(1);
    for (const f of ['results.csv', 'results.jsonl', 'summary.json', 'config.json', 'report.html', 'checkpoints/latest']) expect(existsSync(join(out, f)), f).toBe(true);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.optimizer).toEqual({ id: 'sgd', config: expect.objectContaining({ lr: 0.05, momentum: 0.9 }) });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<svg');
  });

  it('reports divergence with exit code 3', async () => {
    const out = mkdtempSync(join(tmpdir(), 'descent-cli-'));
    const r = await descent(['train', '--epochs', '1', '--train-size', '512', '--test-size', '128', '--optimizer', 'sgd', '--lr', '1e6', '--out', out, '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/diverged at epoch 1, batch \d+/);
  });

  it.skipIf(!hasDebianData)('reaches at least 85 % test accuracy on FashionMNIST in 3 epochs with Adam (Debian dataset-fashion-mnist)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'descent-cli-'));
    const r = await descent(['train', '--dataset', 'fashion-mnist', '--model', 'simple-mlp', '--activation', 'relu', '--init', 'kaiming-normal', '--optimizer', 'adam', '--lr', '1e-3', '--epochs', '3', '--batch-size', '128', '--seed', '7', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.epochs.at(-1).testAccuracy).toBeGreaterThanOrEqual(0.85);
    expect(r.stderr).toContain('from debian');
  }, 600_000);
});
