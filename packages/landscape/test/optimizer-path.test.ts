import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend } from '@descent/tensor';
import { sgd } from '@descent/optim-sgd';
import { adam } from '@descent/optim-adam';
import { optimizerPath, gaussianSurface, rosenbrock, beale, saddle, gaussianBowl, analyticSurface, evaluateSurfaceFn, type GaussianParams } from '@descent/landscape';
import { fixture } from './helpers';

const ref = fixture<{ surface: GaussianParams; paths: Array<{ name: string; points: number[][] }> }>('paths.json');

describe('optimizer paths on 2-parameter surfaces', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  it("the book's three optimizers on the fitted Gaussian well follow torch.optim's paths", () => {
    const fn = gaussianSurface(ref.surface);
    const configs = [sgd.create({ lr: 0.1 }), sgd.create({ lr: 0.05, momentum: 0.8 }), adam.create({ lr: 0.1 })];
    const before = tf.memory().numTensors;
    configs.forEach((t, i) => {
      const path = optimizerPath(fn, t, { start: [-1, 1], steps: 100 });
      expect(path.points).toHaveLength(101);
      const torch = ref.paths[i].points;
      // Plain SGD at lr 0.1 is unstable across the well (lr·A/σ₁² ≈ 5 > 2): it bounces chaotically
      // in x, so float32-vs-float64 rounding grows by ~10× per 3 steps; compare its first 10 steps.
      // The other two converge, and stay within 1e-6 of torch over all 100 steps.
      const upTo = i === 0 ? 10 : 100;
      let err = 0;
      path.points.slice(0, upTo + 1).forEach((p, s) => (err = Math.max(err, Math.abs(p.x - torch[s][0]), Math.abs(p.y - torch[s][1]))));
      expect(err, ref.paths[i].name).toBeLessThan(i === 0 ? 2e-4 : 2e-6);
      expect(path.points[100].z).toBeLessThan(path.points[0].z);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
  it('analytic surfaces have their minima where they should', () => {
    const at = (fn: ReturnType<typeof beale>, x: number, y: number) => evaluateSurfaceFn(fn, [x], [y])[0];
    expect(at(rosenbrock(), 1, 1)).toBeCloseTo(0, 6);
    expect(at(beale(), 3, 0.5)).toBeCloseTo(0, 6);
    expect(at(gaussianBowl(), 0, 0)).toBeCloseTo(0, 6);
    expect(at(saddle(), 1, 2)).toBeCloseTo(-3, 6);
    const grid = evaluateSurfaceFn(analyticSurface('saddle'), [-1, 0, 1], [0, 2]);
    expect(Array.from(grid)).toEqual([1, 0, 1, -3, -4, -3]);
    expect(() => analyticSurface('himmelblau')).toThrow(/surface/);
  });
  it('plain gradient descent on the bowl matches the closed form; divergence stops the path', () => {
    const quad = (x: tf.Tensor, y: tf.Tensor) => tf.add(tf.square(x), tf.mul(tf.square(y), 2));
    const p = optimizerPath(quad, sgd.create({ lr: 0.1 }), { start: [1, 1], steps: 3 });
    expect(p.points[3].x).toBeCloseTo(0.8 ** 3, 6);
    expect(p.points[3].y).toBeCloseTo(0.6 ** 3, 6);
    const blown = optimizerPath(rosenbrock(), sgd.create({ lr: 0.1 }), { start: [-1, 1], steps: 50 });
    expect(blown.divergedAt).toBeDefined();
    expect(blown.points.length).toBe(blown.divergedAt);
    expect(() => optimizerPath(quad, sgd.create({}), { start: [1] as never })).toThrow(/start/);
  });
});
