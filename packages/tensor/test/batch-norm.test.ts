import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { tf, useBackend, batchNormTraining, batchNormTrainingNative, setNativeFusion, Rng, InvalidParameterError } from '../src/index';
import { nativeBlas } from '@descent/native-blas';

const maxRel = (a: tf.Tensor, b: tf.Tensor) => {
  const x = a.dataSync(), y = b.dataSync();
  let m = 0, s = 0;
  for (let i = 0; i < x.length; i++) { m = Math.max(m, Math.abs(x[i] - y[i])); s = Math.max(s, Math.abs(y[i])); }
  return m / Math.max(s, 1e-30);
};

/** Loss of the outputs, the batch statistics included (so their gradients are exercised too). */
function lossOf(x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor, w: tf.Tensor): tf.Scalar {
  const { y, mean, variance } = batchNormTraining(x, scale, offset, 1e-5);
  return tf.add(tf.sum(tf.mul(y, w)), tf.add(tf.sum(tf.mul(mean, 0.3)), tf.sum(tf.square(variance)))) as tf.Scalar;
}

describe('batchNormTraining', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  afterEach(() => setNativeFusion(true));

  it('runs natively where the addon is built', () => {
    expect(batchNormTrainingNative()).toBe(nativeBlas() !== null);
  });

  it('matches tf.moments + tf.batchNorm forward and through autodiff (x, scale, offset), natively and as ops', () => {
    const rng = new Rng(4);
    // The last: enough rows for the native passes to be split between threads.
    for (const shape of [[6, 5], [3, 7, 5, 4], [2, 9, 4], [40, 8, 8, 3]]) {
      const c = shape[shape.length - 1];
      const x = tf.add(tf.mul(rng.randomNormal(shape), 3), 2);
      const scale = rng.randomNormal([c]), offset = rng.randomNormal([c]), w = rng.randomNormal(shape);
      const results = [true, false].map((fused) => {
        setNativeFusion(fused);
        const before = tf.memory().numTensors;
        const { y, mean, variance } = batchNormTraining(x, scale, offset, 1e-5);
        const grads = tf.grads((a, s, o) => lossOf(a, s, o, w))([x, scale, offset]);
        const out = [y, mean, variance, ...grads];
        expect(tf.memory().numTensors).toBe(before + out.length);
        return out;
      });
      // The reference: tfjs-layers' composition, differentiated by tfjs.
      const axes = shape.slice(0, -1).map((_, i) => i);
      const ref = tf.tidy(() => {
        const { mean, variance } = tf.moments(x, axes);
        const y = tf.batchNorm(x, mean, variance, offset, scale, 1e-5);
        const grads = tf.grads((a, s, o) => {
          const m = tf.moments(a, axes);
          const yy = tf.batchNorm(a, m.mean, m.variance, o, s, 1e-5);
          return tf.add(tf.sum(tf.mul(yy, w)), tf.add(tf.sum(tf.mul(m.mean, 0.3)), tf.sum(tf.square(m.variance)))) as tf.Scalar;
        })([x, scale, offset]);
        return [y, mean, variance, ...grads];
      });
      for (const got of results) got.forEach((t, i) => expect(maxRel(t, ref[i]), `${shape} output ${i}`).toBeLessThan(2e-5));
      tf.dispose([...results.flat(), ...ref, x, scale, offset, w]);
    }
  });

  it('a second derivative through it (recorded gradient) equals the composition', () => {
    const rng = new Rng(8);
    const x = rng.randomNormal([5, 3]), scale = rng.randomNormal([3]), offset = rng.randomNormal([3]), w = rng.randomNormal([5, 3]);
    const gradNormSq = (a: tf.Tensor) => tf.sum(tf.square(tf.grad((b: tf.Tensor) => lossOf(b, scale, offset, w))(a))) as tf.Scalar;
    const native = tf.grad(gradNormSq)(x);
    setNativeFusion(false);
    const ops = tf.grad(gradNormSq)(x);
    expect(maxRel(native, ops)).toBeLessThan(1e-4);
    tf.dispose([native, ops, x, scale, offset, w]);
  });

  it('rejects bad input with clear errors', () => {
    const x = tf.ones([4, 3]);
    expect(() => batchNormTraining(tf.ones([3]), null, null, 1e-3)).toThrow(InvalidParameterError);
    expect(() => batchNormTraining(x, tf.ones([2]), null, 1e-3)).toThrow(/scale.*\[2\].*\[3\]/);
    expect(() => batchNormTraining(x, null, null, -1)).toThrow(/epsilon/);
    expect(() => batchNormTraining(tf.ones([0, 3]), null, null, 1e-3)).toThrow(/at least one/);
    tf.dispose(x);
  });
});
