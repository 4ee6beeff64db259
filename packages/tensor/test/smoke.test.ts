import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend } from '@descent/tensor';

describe('smoke', () => {
  beforeAll(async () => { await useBackend('wasm'); });
  it('fast matmul equals plain for transposes', () => {
    const a = tf.randomNormal([7, 5]);
    const b = tf.randomNormal([7, 3]);
    const fast = tf.matMul(a, b, true, false);
    const ref = tf.matMul(tf.transpose(a), b);
    expect(tf.max(tf.abs(tf.sub(fast, ref))).dataSync()[0]).toBeLessThan(1e-5);
  });
});
