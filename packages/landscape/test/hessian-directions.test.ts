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
    const s = surface2d(p, [directions[0], directions[1]], { xRange: [-0.2, 0.2], xPoints: 5 });
    expect(s.loss.every(Number.isFinite)).toBe(true);
    directions.forEach((d) => tf.dispose(Object.values(d)));
    expect(tf.memory().numTensors).toBe(before);
    expect(() => hessianDirections(p, { top: 0 })).toThrow(/top/);
    p.dispose();
  });
  it("the book's surface: at a minimum, the grid's lowest point along the top eigenvectors is its centre", () => {
    // Train to a stationary point (full batch, Adam, L2 so that a finite minimum exists), then the
    // surface θ + λ₁v₁ + λ₂v₂ must be lowest at λ = 0: the offset of its minimum, −(∇L·vᵢ)/λᵢ,
    // vanishes with the gradient. A model short of a minimum has its lowest point off centre.
    const p = mlpProblem(3, 48);
    const before = tf.memory().numTensors;
    const vars = variablesOf(p);
    const loss = () => tf.tidy(() => {
      const ce = crossEntropy(p.model.apply(p.inputs) as tf.Tensor, p.labels);
      return tf.add(ce, tf.mul(5e-2, tf.addN(vars.map((v) => tf.sum(tf.square(v)))))) as tf.Scalar;
    });
    let gradNorm = Infinity;
    for (const lr of [0.02, 0.004, 0.0008]) {
      const opt = tf.train.adam(lr);
      for (let i = 0; i < 1000 && gradNorm > 1e-4; i++) {
        const { value, grads } = tf.variableGrads(loss, vars);
        gradNorm = tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))).dataSync()[0]);
        opt.applyGradients(grads as tf.NamedTensorMap as never);
        tf.dispose([value, ...Object.values(grads)]);
      }
      opt.dispose();
    }
    expect(gradNorm).toBeLessThan(0.02); // offsets |∇L·vᵢ|/λᵢ below half a grid step (0.025)
    const regularised = { ...p, loss: (logits: tf.Tensor, labels: tf.Tensor) => tf.tidy(() => tf.add(crossEntropy(logits, labels), tf.mul(5e-2, tf.addN(vars.map((v) => tf.sum(tf.square(v))))))) as tf.Scalar };
    const { directions } = hessianDirections(regularised, { top: 2, maxIterations: 200, tolerance: 1e-6 });
    const n = 9;
    const s = surface2d(regularised, [directions[0], directions[1]], { xRange: [-0.2, 0.2], xPoints: n });
    const argmin = s.loss.indexOf(Math.min(...s.loss));
    expect([Math.floor(argmin / n), argmin % n]).toEqual([(n - 1) / 2, (n - 1) / 2]);
    directions.forEach((d) => tf.dispose(Object.values(d)));
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
  });
});

