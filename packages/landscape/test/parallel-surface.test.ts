import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, Rng, paramsOf, type ParamMap } from '@descent/tensor';
import { simpleNetwork } from '@descent/models';
import { surface2d, surface2dParallel, randomDirection, InProcessExecutor, WorkerPool, gridWorkerScript, defaultExecutor } from '@descent/landscape';
import { mlpProblem, maxAbs } from './helpers';

// The worker pool runs the *built* worker (dist/grid-worker.js): Node cannot start a worker from
// a .ts file. `npm test` builds first; without a build these tests are skipped (said below).
const script = gridWorkerScript();

describe('2-D surfaces split by rows over an Executor', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  it('in-process: the same numbers as surface2d, progress per row, no leaks, weights kept', async () => {
    const p = mlpProblem(2);
    const theta = paramsOf(p.model);
    const rng = new Rng(4);
    const dirs: [ParamMap, ParamMap] = [randomDirection(theta, { rng }), randomDirection(theta, { rng })];
    const ref = surface2d(p, dirs, { xRange: [-1, 1], xPoints: 7, yPoints: 5 });
    const before = tf.memory().numTensors;
    const done: number[] = [];
    const s = await surface2dParallel(p, dirs, { xRange: [-1, 1], xPoints: 7, yPoints: 5, executor: new InProcessExecutor(), rowsPerJob: 2, onProgress: (q) => done.push(q.done) });
    expect(tf.memory().numTensors).toBe(before);
    expect(done).toEqual([1, 2, 3]);
    expect(s.x).toEqual(ref.x);
    expect(s.y).toEqual(ref.y);
    expect(maxAbs(s.loss, ref.loss)).toBeLessThan(1e-6);
    expect(maxAbs(s.accuracy, ref.accuracy)).toBe(0);
    // A custom loss works in-process, and is refused by a pool.
    const custom = { ...p, loss: (logits: tf.Tensor) => tf.mean(tf.square(logits)) as tf.Scalar };
    const c = await surface2dParallel(custom, dirs, { xPoints: 3, executor: new InProcessExecutor() });
    expect(c.loss.every(Number.isFinite)).toBe(true);
    if (script) await expect(surface2dParallel(custom, dirs, { xPoints: 3, executor: new WorkerPool({ size: 1 }) })).rejects.toThrow(/InProcessExecutor/);
    await expect(surface2dParallel(p, dirs, { xRange: [1, -1] })).rejects.toThrow(/xRange/);
    dirs.forEach((d) => tf.dispose(Object.values(d)));
    p.dispose();
  });
  it.skipIf(!script)('worker threads: a SimpleNetwork (custom PReLU layer) rebuilt in 2 workers gives the same surface', async () => {
    const model = simpleNetwork({ activation: 'prelu', hiddenSizes: [32, 16], inputShape: [4, 4, 1], numClasses: 3, seed: 1 });
    const rng = new Rng(9);
    const p = { model, inputs: rng.randomNormal([40, 4, 4, 1]), labels: tf.tensor1d(Array.from({ length: 40 }, (_, i) => i % 3), 'int32') };
    const theta = paramsOf(model);
    const dirs: [ParamMap, ParamMap] = [randomDirection(theta, { rng }), randomDirection(theta, { rng })];
    const ref = surface2d(p, dirs, { xPoints: 6, yPoints: 5 });
    const pool = new WorkerPool({ size: 2 });
    try {
      const done: number[] = [];
      const s = await surface2dParallel(p, dirs, { xPoints: 6, yPoints: 5, executor: pool, onProgress: (q) => done.push(q.done) });
      expect(done).toEqual([1, 2, 3, 4, 5]);
      expect(maxAbs(s.loss, ref.loss)).toBeLessThan(1e-5);
      // The pool is reused; a second run on the same workers.
      const again = await surface2dParallel(p, dirs, { xPoints: 6, yPoints: 5, executor: pool });
      expect(maxAbs(again.loss, s.loss)).toBe(0);
    } finally {
      await pool.close();
    }
    expect(defaultExecutor({ workers: 1 }).name).toBe('in-process');
    expect(defaultExecutor({ workers: 2 }).name).toBe('worker-threads');
    dirs.forEach((d) => tf.dispose(Object.values(d)));
    tf.dispose([p.inputs, p.labels]);
    model.dispose();
  }, 60_000);
  it.skipIf(!script)('worker threads: a failing job rejects the run and the pool recovers', async () => {
    const pool = new WorkerPool({ size: 1 });
    try {
      await expect(pool.run({ kind: 'no.such.kind', shared: {}, jobs: [1] })).rejects.toThrow(/no\.such\.kind/);
      const p = mlpProblem(8);
      const theta = paramsOf(p.model);
      const d = randomDirection(theta, { rng: new Rng(1) });
      const s = await surface2dParallel(p, [d, d], { xPoints: 3, executor: pool });
      expect(s.loss.every(Number.isFinite)).toBe(true);
      tf.dispose(Object.values(d));
      p.dispose();
    } finally {
      await pool.close();
    }
  }, 60_000);
  it('says where the worker script is', () => {
    // eslint-disable-next-line no-console
    if (!script) console.warn('dist/grid-worker.js not built: worker-thread tests skipped (run the build first)');
    expect(script === undefined || script.endsWith('grid-worker.js')).toBe(true);
  });
});
