import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend } from '@descent/tensor';
import { MeanMaxPool } from '@descent/models';
import { expectClose } from './helpers/golden';

describe('MeanMaxPool', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('is 0.5·mean + 0.5·max over the sequence axis', () => {
    const x = tf.tensor3d([[[1, -2], [3, 0], [-1, 5]]]);
    const y = new MeanMaxPool({ name: 'pool_test' }).apply(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 2]);
    expectClose(y.dataSync(), [0.5 * 1 + 0.5 * 3, 0.5 * 1 + 0.5 * 5], 1e-6);
    tf.dispose([x, y]);
  });
});
