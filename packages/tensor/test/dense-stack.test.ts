import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, denseStackGradients, denseStackAvailable, Rng, InvalidParameterError, type DenseStackActivation, type DenseStackLayer } from '../src/index';
import { nativeBlas } from '@descent/native-blas';

/** The same loss and gradients by TensorFlow.js' autodiff (the reference). */
function reference(x: tf.Tensor, labels: tf.Tensor, layers: DenseStackLayer[]) {
  const vars = layers.flatMap((l) => [l.kernel, ...(l.bias ? [l.bias] : [])]);
  const f = (...params: tf.Tensor[]) => {
    let h = x.reshape([x.shape[0], -1]);
    let k = 0;
    for (const l of layers) {
      h = tf.matMul(h, params[k++]);
      if (l.bias) h = tf.add(h, params[k++]);
      h = l.activation === 'relu' ? tf.relu(h) : l.activation === 'tanh' ? tf.tanh(h) : l.activation === 'sigmoid' ? tf.sigmoid(h) : h;
    }
    const classes = h.shape[1] as number;
    const targets = labels.rank === 1 ? tf.oneHot(labels, classes) : labels;
    return tf.losses.softmaxCrossEntropy(targets, h) as tf.Scalar;
  };
  const { value, grads } = tf.valueAndGrads(f)(vars);
  const loss = value.dataSync()[0];
  value.dispose();
  return { loss, grads };
}

function makeLayers(rng: Rng, dims: number[], acts: DenseStackActivation[], bias = true): DenseStackLayer[] {
  return acts.map((activation, i) => ({
    kernel: tf.mul(rng.randomNormal([dims[i], dims[i + 1]]), 1 / Math.sqrt(dims[i])),
    bias: bias && i !== 1 ? tf.mul(rng.randomNormal([dims[i + 1]]), 0.1) : undefined,
    activation,
  }));
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string) {
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i] - expected[i]) > 1e-5 * scale + 1e-7) expect(`${label}[${i}] = ${actual[i]}`).toBe(`${label}[${i}] = ${expected[i]}`);
  }
}

describe('denseStackGradients', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('is available exactly when the native addon is', () => {
    expect(denseStackAvailable()).toBe(nativeBlas() !== null);
  });

  const cases: Array<[string, DenseStackActivation[], 'int' | 'onehot']> = [
    ['relu MLP, int labels', ['relu', 'relu', 'linear'], 'int'],
    ['tanh/sigmoid MLP, one-hot labels', ['tanh', 'sigmoid', 'linear'], 'onehot'],
    ['one linear layer', ['linear'], 'int'],
    ['relu on the logits too', ['relu', 'relu'], 'int'],
  ];
  it.skipIf(nativeBlas() === null).each(cases)('matches TensorFlow.js autodiff: %s', (_label, acts, labelKind) => {
    const rng = new Rng(acts.length * 13 + labelKind.length);
    const dims = [12, 9, 7, 5].slice(0, acts.length + 1);
    dims[acts.length] = 5;
    const batch = 11;
    const x = rng.randomNormal([batch, 3, 4]);
    const ints = tf.tensor1d(Array.from({ length: batch }, (_, i) => (i * 7) % 5), 'int32');
    const labels = labelKind === 'int' ? ints : tf.oneHot(ints, 5).toFloat();
    const layers = makeLayers(rng, dims, acts);
    const before = tf.memory().numTensors;
    const r = denseStackGradients(x, labels, layers)!;
    const ref = reference(x, labels, layers);
    expect(r.loss).toBeCloseTo(ref.loss, 5);
    let k = 0;
    let sq = 0;
    layers.forEach((l, i) => {
      const gk = ref.grads[k++].dataSync() as Float32Array;
      close(r.kernelGrads[i].dataSync(), gk, `dW${i}`);
      expect(r.kernelGrads[i].shape).toEqual(l.kernel.shape);
      sq += gk.reduce((s, v) => s + v * v, 0);
      if (l.bias) {
        const gb = ref.grads[k++].dataSync() as Float32Array;
        close(r.biasGrads[i]!.dataSync(), gb, `db${i}`);
        sq += gb.reduce((s, v) => s + v * v, 0);
      } else expect(r.biasGrads[i]).toBeUndefined();
    });
    const total = r.sumSquares.reduce((s, [a, b]) => s + a + b, 0);
    expect(total / sq).toBeCloseTo(1, 4);
    expect(r.nonFinite.flat().some((b) => b)).toBe(false);
    // accuracy count: rows whose arg-max is the label
    const logits = tf.tidy(() => {
      let h = x.reshape([batch, -1]);
      for (const l of layers) {
        h = tf.matMul(h, l.kernel);
        if (l.bias) h = tf.add(h, l.bias);
        h = l.activation === 'relu' ? tf.relu(h) : l.activation === 'tanh' ? tf.tanh(h) : l.activation === 'sigmoid' ? tf.sigmoid(h) : h;
      }
      return tf.sum(tf.equal(tf.argMax(h, -1), ints).toFloat());
    });
    expect(r.correct).toBe(logits.dataSync()[0]);
    tf.dispose([...r.kernelGrads, ...(r.biasGrads.filter(Boolean) as tf.Tensor[]), ...ref.grads, logits]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, ints, labels, ...layers.flatMap((l) => [l.kernel, ...(l.bias ? [l.bias] : [])])]);
  });

  it.skipIf(nativeBlas() === null)('flags non-finite gradients per tensor and rejects mismatched shapes', () => {
    const rng = new Rng(5);
    const layers = makeLayers(rng, [4, 3, 2], ['relu', 'linear']);
    const x = tf.tensor2d([[1, 2, 3, Infinity], [0, 1, 0, 1]]);
    const y = tf.tensor1d([0, 1], 'int32');
    const r = denseStackGradients(x, y, layers)!;
    expect(r.nonFinite[0][0]).toBe(true);
    tf.dispose([...r.kernelGrads, ...(r.biasGrads.filter(Boolean) as tf.Tensor[])]);
    expect(() => denseStackGradients(tf.zeros([2, 5]), y, layers)).toThrow(InvalidParameterError);
    expect(() => denseStackGradients(tf.zeros([2, 4]), tf.zeros([2]), layers)).toThrow(/labels.*int32/);
    expect(() => denseStackGradients(tf.zeros([2, 4]), tf.zeros([3], 'int32'), layers)).toThrow(/labels/);
    expect(() => denseStackGradients(tf.zeros([2, 4]), y, [{ ...layers[0], activation: 'gelu' as DenseStackActivation }])).toThrow(/activation/);
    tf.dispose([x, y, ...layers.flatMap((l) => [l.kernel, ...(l.bias ? [l.bias] : [])])]);
  });
});
