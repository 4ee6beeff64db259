import { describe, it, expect, vi, afterEach } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/main';

// `descent study optimizers --dataset cifar100` in-process (sources, not the build) on tiny
// CIFAR-100-format binaries: records of coarse label, fine label, 3072 pixel bytes (R, G, B planes).
function writeCifar100(root: string, n: { train: number; test: number }): void {
  const dir = join(root, 'cifar-100-binary');
  mkdirSync(dir, { recursive: true });
  let s = 7;
  const records = (count: number) => {
    const bytes = new Uint8Array(count * 3074);
    for (let r = 0; r < count; r++) {
      const fine = (r * 37) % 100;
      bytes[r * 3074] = fine % 20;
      bytes[r * 3074 + 1] = fine;
      for (let p = 0; p < 3072; p++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        bytes[r * 3074 + 2 + p] = s >>> 24;
      }
    }
    return bytes;
  };
  writeFileSync(join(dir, 'train.bin'), records(n.train));
  writeFileSync(join(dir, 'test.bin'), records(n.test));
}

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

describe('descent study optimizers --dataset cifar100', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'descent-study-cifar-'));
    dirs.push(d);
    return d;
  };

  it('trains the CIFAR CNN on the wasm backend for one epoch with sgd, adam and lion', async () => {
    const root = fresh();
    writeCifar100(join(root, 'data'), { train: 48, test: 16 });
    const r = await run(
      ['study', 'optimizers', '--dataset', 'cifar100', '--data-dir', join(root, 'data'), '--backend', 'wasm', '--epochs', '1', '--batch-size', '16', '--optimizers', 'sgd,adam,lion', '--out', join(root, 'out'), '--json', '--quiet'],
      { DESCENT_DATA: join(root, 'nowhere') },
    );
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.status).toBe('completed');
    expect(result.rows.map((row: { name: string }) => row.name)).toEqual(['sgd', 'adam', 'lion']);
    const config = JSON.parse(readFileSync(join(root, 'out', 'config.json'), 'utf8'));
    expect(config).toMatchObject({ dataset: 'cifar100', trainSize: 48, testSize: 16, backend: 'wasm', model: { name: 'cifar-cnn', parameters: 1_194_532 } });
    for (const row of result.rows as Array<Record<string, unknown>>) {
      const finite = Object.values(row).filter((v) => typeof v === 'number') as number[];
      expect(finite.length).toBeGreaterThan(0);
      expect(finite.every(Number.isFinite), JSON.stringify(row)).toBe(true);
    }
    for (const f of ['table.md', 'results.json', 'report.html']) expect(existsSync(join(root, 'out', f)), f).toBe(true);
  }, 300_000);

  it('says the CIFAR files are missing, and that nothing is downloaded, with exit 2', async () => {
    const root = fresh();
    const r = await run(['study', 'optimizers', '--dataset', 'cifar100', '--data-dir', join(root, 'empty'), '--epochs', '1', '--quiet'], { DESCENT_DATA: join(root, 'nowhere') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the cifar100 study needs the CIFAR files, which are not installed/);
    expect(r.stderr).toMatch(/Nothing is downloaded\. Put them in --data-dir/);
  });
});
