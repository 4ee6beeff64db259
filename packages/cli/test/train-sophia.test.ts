import { describe, it, expect, vi, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/main';

// `descent train --optimizer sophia --hessian-estimator …` in-process on 512 embedded FashionMNIST images.
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const saved = process.env.DESCENT_DATA;
  process.env.DESCENT_DATA = join(root, 'nowhere');
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
    if (saved === undefined) delete process.env.DESCENT_DATA;
    else process.env.DESCENT_DATA = saved;
  }
}

const root = mkdtempSync(join(tmpdir(), 'descent-train-sophia-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const TINY = ['--train-size', '512', '--test-size', '128', '--hidden', '32', '--activation', 'gelu', '--epochs', '3', '--batch-size', '64', '--json', '--quiet'];

describe('descent train --optimizer sophia', () => {
  for (const estimator of ['gnb', 'hutchinson'] as const) {
    it(`trains with ${estimator} Hessian estimates every k steps: loss decreases, status completed`, async () => {
      const out = join(root, estimator);
      const r = await run(['train', '--optimizer', 'sophia', '--hessian-estimator', estimator, '--lr', '3e-3', '--k', '4', ...TINY, '--out', out]);
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result.status).toBe('completed');
      const losses = result.epochs.map((e: { trainLoss: number }) => e.trainLoss);
      expect(losses).toHaveLength(3);
      expect(losses[2]).toBeLessThan(losses[0]);
      expect(result.epochs[2].testLoss).toBeLessThan(Math.log(10));
      const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
      expect(config.hessianEstimator).toEqual({ kind: estimator, every: 4 });
      // sophia's batchSize (the scale of the estimates) follows --batch-size.
      expect(config.optimizer.config.batchSize).toBe(64);
    }, 120_000);
  }

  it('defaults to gnb; an explicit --optimizer.batch-size wins', async () => {
    const out = join(root, 'default');
    const r = await run(['train', '--optimizer', 'sophia', '--optimizer.batch-size', '5120', ...TINY, '--epochs', '1', '--out', out]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.hessianEstimator).toEqual({ kind: 'gnb', every: 10 });
    expect(config.optimizer.config.batchSize).toBe(5120);
  }, 120_000);

  it('rejects an unknown estimator, and the option with an optimizer that takes no estimate (exit 2)', async () => {
    const bad = await run(['train', '--optimizer', 'sophia', '--hessian-estimator', 'exact', ...TINY, '--out', join(root, 'bad')]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/--hessian-estimator must be gnb or hutchinson, got \\"exact\\"/);
    const adam = await run(['train', '--optimizer', 'adam', '--hessian-estimator', 'gnb', ...TINY, '--out', join(root, 'adam')]);
    expect(adam.code).toBe(2);
    expect(adam.stdout).toMatch(/applies to --optimizer sophia only; adam takes no Hessian estimate/);
  });
});
