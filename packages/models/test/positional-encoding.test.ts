import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend } from '@descent/tensor';
import { SinusoidalPositions } from '@descent/models';
import { expectClose } from './helpers/golden';

describe('SinusoidalPositions', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('adds sin(p/10000^(2i/d)) at even and cos at odd features', () => {
    const d = 6;
    const expected: number[] = [];
    for (let p = 0; p < 3; p++) for (let j = 0; j < d; j++) expected.push((j % 2 ? Math.cos : Math.sin)(p / 10000 ** ((j - (j % 2)) / d)));
    expectClose(SinusoidalPositions.encoding(3, d), expected, 1e-7);
    // A sequence of length 1 (the book's) gets [0, 1, 0, 1, …].
    const layer = new SinusoidalPositions({ name: 'positions_test' });
    const x = tf.ones([2, 1, 4]);
    const y = layer.apply(x) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
    expect(layer.countParams()).toBe(0);
    tf.dispose([x, y]);
  });
});
