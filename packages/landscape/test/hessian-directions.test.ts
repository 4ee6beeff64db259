import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend } from '@descent/tensor';
import { hessianVectorProduct, modelProblem, crossEntropy } from '@descent/hessian';
import { hessianDirections, surface2d, variablesOf } from '@descent/landscape';
import { mlpProblem } from './helpers';

describe('Hessian eigenvector directions', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  it('unit eigenvectors of the loss Hessian, largest |λ| first, keyed like the weights', () => {
    const p = mlpProblem(5, 64);
    const before = tf.memory().numTensors;
    const { values, directions, iterations } = hessianDirections(p, { top: 2, maxIterations: 200, tolerance: 1e-6 });
    expect(values).toHaveLength(2);
    expect(Math.abs(values[0])).toBeGreaterThanOrEqual(Math.abs(values[1]));
    iterations.forEach((n) => expect(n).toBeGreaterThan(1));
    expect(Object.keys(directions[0]).sort()).toEqual(variablesOf(p).map((v) => v.name).sort());
    const hp = modelProblem(p.model, p.inputs, p.labels, crossEntropy, variablesOf(p));
    directions.forEach((d, i) => {
      const hv = hessianVectorProduct(hp, d);
      const res = tf.tidy(() => tf.sqrt(tf.addN(Object.keys(d).map((n) => tf.sum(tf.square(tf.sub(hv[n], tf.mul(d[n], values[i]))))))).dataSync()[0]);
      const len = tf.tidy(() => tf.sqrt(tf.addN(Object.keys(d).map((n) => tf.sum(tf.square(d[n]))))).dataSync()[0]);
      expect(len).toBeCloseTo(1, 4);
      expect(res / Math.abs(values[i])).toBeLessThan(0.02);
      tf.dispose(Object.values(hv));
    });
    // The book's surface: the grid centre is the minimum along the top eigenvectors of a minimum;
    // here it is at least the model itself.
    const s = surface2d(p, [directions[0], directions[1]], { xRange: [-0.2, 0.2], xPoints: 5 });
    expect(s.loss.every(Number.isFinite)).toBe(true);
    directions.forEach((d) => tf.dispose(Object.values(d)));
    expect(tf.memory().numTensors).toBe(before);
    expect(() => hessianDirections(p, { top: 0 })).toThrow(/top/);
    p.dispose();
  });
});
