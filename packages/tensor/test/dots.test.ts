import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { tf, useBackend, dotProducts, setNativeFusion, Rng, InvalidParameterError } from '../src/index';

describe('dotProducts', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  afterEach(() => setNativeFusion(true));

  it('sums the inner products of each group, natively and as TensorFlow.js ops, against float64', () => {
    const rng = new Rng(11);
    const a = [rng.randomNormal([300, 7]), rng.randomNormal([5]), rng.randomNormal([0, 3])];
    const b = [rng.randomNormal([300, 7]), rng.randomNormal([5]), rng.randomNormal([0, 3])];
    const groups = [a.map((t, k) => [t, b[k]] as const), [[a[1], a[1]] as const], []];
    const exact = groups.map((pairs) => pairs.reduce((s, [x, y]) => { const u = x.dataSync(), v = y.dataSync(); let d = 0; for (let i = 0; i < u.length; i++) d += u[i] * v[i]; return s + d; }, 0));
    const before = tf.memory().numTensors;
    for (const fused of [true, false]) {
      setNativeFusion(fused);
      const got = dotProducts(groups);
      got.forEach((g, i) => expect(Math.abs(g - exact[i])).toBeLessThan(1e-4 * (1 + Math.abs(exact[i]))));
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(dotProducts([])).toEqual([]);
    tf.dispose([...a, ...b]);
  });

  it('rejects pairs of different shapes or dtypes', () => {
    const x = tf.ones([3]), y = tf.ones([4]), i = tf.ones([3], 'int32');
    expect(() => dotProducts([[[x, y]]])).toThrow(InvalidParameterError);
    expect(() => dotProducts([[[x, i]]])).toThrow(/products\[0\]\[0\].*int32/);
    tf.dispose([x, y, i]);
  });
});
