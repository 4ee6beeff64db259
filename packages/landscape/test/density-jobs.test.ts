import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend } from '@descent/tensor';
import { spectralDensity, modelProblem, crossEntropy } from '@descent/hessian';
import { spectralDensityParallel, InProcessExecutor, WorkerPool, gridWorkerScript, variablesOf } from '@descent/landscape';
import { mlpProblem, maxAbs } from './helpers';

// Worker tests need the built worker (dist/grid-worker.js), as in parallel-surface.test.ts.
const script = gridWorkerScript();

describe('Hessian spectral density as independent SLQ jobs', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  it('in-process: the same quadrature as spectralDensity, one job per run, no leaks', async () => {
    const p = mlpProblem(6, 40);
    const ref = spectralDensity(modelProblem(p.model, p.inputs, p.labels, crossEntropy, variablesOf(p)), { runs: 3, steps: 12, seed: 5 });
    const before = tf.memory().numTensors;
    const done: number[] = [];
    const d = await spectralDensityParallel(p, { runs: 3, steps: 12, seed: 5, executor: new InProcessExecutor(), onProgress: (q) => done.push(q.done) });
    expect(tf.memory().numTensors).toBe(before);
    expect(done).toEqual([1, 2, 3]);
    expect(d.runs).toHaveLength(3);
    d.runs.forEach((run, r) => {
      expect(maxAbs(run.nodes, ref.runs[r].nodes)).toBeLessThan(1e-4 * Math.max(1, ...ref.runs[r].nodes.map(Math.abs)));
      expect(run.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    });
    // Different runs start from different vectors.
    expect(maxAbs(d.runs[0].weights, d.runs[1].weights)).toBeGreaterThan(1e-3);
    await expect(spectralDensityParallel(p, { runs: 0, executor: new InProcessExecutor() })).rejects.toThrow(/runs/);
    p.dispose();
  });
  it.skipIf(!script)('worker threads: 2 workers give the runs of the in-process result', async () => {
    const p = mlpProblem(7, 40);
    const local = await spectralDensityParallel(p, { runs: 4, steps: 10, seed: 1, executor: new InProcessExecutor() });
    const pool = new WorkerPool({ size: 2 });
    try {
      const d = await spectralDensityParallel(p, { runs: 4, steps: 10, seed: 1, executor: pool });
      d.runs.forEach((run, r) => expect(maxAbs(run.nodes, local.runs[r].nodes)).toBeLessThan(1e-5 * Math.max(1, ...local.runs[r].nodes.map(Math.abs))));
      const custom = { ...p, loss: crossEntropy };
      await expect(spectralDensityParallel(custom, { executor: pool })).rejects.toThrow(/InProcessExecutor/);
    } finally {
      await pool.close();
    }
    p.dispose();
  }, 60_000);
});
