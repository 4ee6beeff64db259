import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, Rng } from '@descent/tensor';
import { randomDirection, normalizeDirection, differenceDirection } from '@descent/landscape';

describe('directions', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  it('filter normalisation gives every filter (last-axis slice) the norm of the weights', () => {
    const theta = { k: tf.randomNormal([3, 3, 2, 4], 0, 2, 'float32', 1), b: tf.ones([4]) };
    const d = randomDirection(theta, { rng: new Rng(2) });
    const norms = (t: tf.Tensor) => Array.from(tf.sqrt(tf.sum(tf.square(t), [0, 1, 2])).dataSync());
    norms(d.k).forEach((v, i) => expect(v).toBeCloseTo(norms(theta.k)[i], 4));
    expect(Array.from(d.b.dataSync())).toEqual([0, 0, 0, 0]); // biases ignored by default
    const layer = normalizeDirection(d, theta, { normalization: 'layer', oneDimensional: 'normalize' });
    expect(tf.norm(layer.k).dataSync()[0]).toBeCloseTo(tf.norm(theta.k).dataSync()[0], 3);
  });
  it('rejects unknown normalisations and mismatched shapes', () => {
    const theta = { k: tf.ones([2, 2]) };
    expect(() => normalizeDirection({ k: tf.ones([2, 2]) }, theta, { normalization: 'unit' as never })).toThrow(/normalization/);
    expect(() => normalizeDirection({ k: tf.ones([3]) }, theta)).toThrow(/direction\["k"\]/);
  });
  it('the difference of two points is θ₂ − θ₁', () => {
    const a = { w: tf.tensor1d([1, 2]) };
    const b = { w: tf.tensor1d([4, 0]) };
    const d = differenceDirection(a, b);
    expect(Array.from(d.w.dataSync())).toEqual([3, -2]);
    expect(() => differenceDirection(a, { v: tf.tensor1d([1, 1]) })).toThrow(/to\["w"\]/);
    tf.dispose([a.w, b.w, d.w]);
  });
});
