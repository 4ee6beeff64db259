import { describe, it, expect } from 'vitest';
import { tf, useBackend, installFastMatMul, InvalidParameterError } from '@descent/tensor';

describe('useBackend', () => {
  it('auto reports every attempt and lands on wasm here (the node backends are optional)', async () => {
    const r = await useBackend('auto');
    expect(r.attempts.map((a) => a.name)).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', 'wasm']);
    expect(r.attempts[0].reason).toMatch(/not installed/);
    expect(r.backend).toBe('wasm');
    expect(r.fastMatMul).toBe(true);
  });
  it('cpu on request; unknown names rejected', async () => {
    expect((await useBackend('cpu')).backend).toBe('cpu');
    await expect(useBackend('gpu' as never)).rejects.toThrow(InvalidParameterError);
    await useBackend('wasm');
  });
  it('the wrapped wasm matMul equals explicit transposes in every variant, with and without bias', async () => {
    await useBackend('wasm');
    expect(installFastMatMul('wasm')).toBe(false); // already installed: idempotent
    const a = tf.randomNormal([2, 7, 5], 0, 1, 'float32', 1);
    const b = tf.randomNormal([2, 7, 3], 0, 1, 'float32', 2);
    const bias = tf.randomNormal([3], 0, 1, 'float32', 3);
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const A = ta ? a : tf.transpose(a, [0, 2, 1]);
      const B = tb ? tf.transpose(b, [0, 2, 1]) : b;
      const ref = tf.add(tf.matMul(ta ? tf.transpose(A, [0, 2, 1]) : A, tb ? tf.transpose(B, [0, 2, 1]) : B), bias);
      const fused = tf.fused.matMul({ a: A, b: B, transposeA: ta, transposeB: tb, bias, activation: 'relu' });
      expect(tf.max(tf.abs(tf.sub(fused, tf.relu(ref)))).dataSync()[0]).toBeLessThan(1e-4);
    }
  });
});
