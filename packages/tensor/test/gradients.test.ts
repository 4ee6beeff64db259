import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { tf, useBackend, checkGradients, guardGradients, setNativeFusion, NonFiniteGradientError } from '../src/index';

describe('checkGradients / guardGradients', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  afterEach(() => setNativeFusion(true));

  for (const fused of [true, false]) {
    it(`global norm, non-finite names and values read along (${fused ? 'native where built' : 'ops'})`, () => {
      setNativeFusion(fused);
      const grads = { a: tf.tensor([3, 4]), b: tf.tensor([[1e30, -1e30]]), c: tf.tensor([1, NaN]), d: tf.tensor([Infinity]) };
      const loss = tf.scalar(0.25), count = tf.scalar(7, 'int32');
      const before = tf.memory().numTensors;
      const finite = checkGradients({ a: grads.a, b: grads.b }, [loss, count]);
      expect(finite.norm / Math.sqrt(25 + 2e60)).toBeCloseTo(1, 6); // huge but finite: not flagged
      expect(finite.nonFinite).toEqual([]);
      expect(finite.also).toEqual([0.25, 7]);
      expect(checkGradients(grads).nonFinite).toEqual(['c', 'd']);
      expect(tf.memory().numTensors).toBe(before);
      expect(guardGradients(grads, 'skip').apply).toBe(false);
      expect(() => guardGradients(grads, 'error')).toThrow(NonFiniteGradientError);
      expect(guardGradients(grads, 'ignore')).toEqual({ apply: true });
      tf.dispose([...Object.values(grads), loss, count]);
    });
  }
});
