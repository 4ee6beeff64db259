import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, InvalidParameterError } from '@descent/tensor';
import { simpleNetwork, countParameters, ACTIVATIONS, type Activation } from '@descent/models';
import { fixture, loadWeights, tensorOf, relativeName, expectClose, expectNoLeak, type Entry } from './helpers/golden';

interface Case {
  activation: Activation;
  sizes: number[];
  weights: Record<string, Entry>;
  x: Entry;
  labels: number[];
  logits: Entry;
  loss: number;
  grads: Record<string, Entry>;
}
const golden = fixture<{ cases: Case[] }>('simple-network.json');
const counts = fixture<{ simpleNetwork: Record<Activation, number> }>('counts.json');

describe('simpleNetwork', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it("has the book's 283,914 parameters, 283,915 with PReLU's one shared slope, as torch counts", () => {
    expect(counts.simpleNetwork.relu).toBe(283914);
    for (const activation of ACTIVATIONS) {
      const m = simpleNetwork({ activation });
      expect(countParameters(m), activation).toBe(counts.simpleNetwork[activation]);
      expect(countParameters(m, { trainableOnly: false })).toBe(counts.simpleNetwork[activation]);
      m.dispose();
    }
  });

  it('names its layers <name>_dense_1 … _dense_5 and the PReLU slope <name>_prelu/alpha', () => {
    const m = simpleNetwork({ activation: 'prelu' });
    expect(m.weights.map((w) => relativeName(m, w))).toEqual([
      'dense_1/kernel', 'dense_1/bias', 'prelu/alpha', 'dense_2/kernel', 'dense_2/bias', 'dense_3/kernel', 'dense_3/bias',
      'dense_4/kernel', 'dense_4/bias', 'dense_5/kernel', 'dense_5/bias',
    ]);
    expect(m.weights.map((w) => w.shape)).toEqual([[784, 256], [256], [1], [256, 192], [192], [192, 128], [128], [128, 64], [64], [64, 10], [10]]);
    expect(m.weights[2].read().dataSync()[0]).toBe(0.25);
    m.dispose();
  });

  for (const c of golden.cases) {
    it(`matches torch's logits and gradients with ${c.activation}`, () => {
      const model = simpleNetwork({ activation: c.activation, inputSize: c.sizes[0], hiddenSizes: c.sizes.slice(1, -1), numClasses: c.sizes.at(-1) });
      loadWeights(model, c.weights);
      const x = tensorOf(c.x);
      const logits = model.predict(x) as tf.Tensor;
      expectClose(logits.dataSync(), c.logits.values, 1e-5, 1e-5);

      // Mean softmax cross-entropy, as torch's F.cross_entropy.
      const labels = tf.oneHot(tf.tensor1d(c.labels, 'int32'), c.sizes.at(-1)!);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(
        () => tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(model.apply(x, { training: true }) as tf.Tensor)), -1))) as tf.Scalar,
        vars,
      );
      expect(value.dataSync()[0]).toBeCloseTo(c.loss, 5);
      for (const w of model.trainableWeights) {
        const name = relativeName(model, w);
        expectClose(grads[(w.read() as tf.Variable).name].dataSync(), c.grads[name].values, 1e-5, 1e-4);
      }
      tf.dispose([x, logits, labels, value, ...Object.values(grads)]);
      model.dispose();
    });
  }

  it('flattens [N, 28, 28, 1] images by default and takes [N, 784] with inputSize or inputShape [784]', () => {
    const image = simpleNetwork();
    const flat = simpleNetwork({ inputSize: 784 });
    const flat2 = simpleNetwork({ inputShape: [784], inputSize: 784 });
    expect(image.inputs[0].shape).toEqual([null, 28, 28, 1]);
    expect(flat.inputs[0].shape).toEqual([null, 784]);
    expect(flat2.inputs[0].shape).toEqual([null, 784]);
    // Same seed, same values, so the same function of the pixels whichever the layout.
    const x = tf.randomNormal([3, 28, 28, 1], 0, 1, 'float32', 1);
    const a = image.predict(x) as tf.Tensor;
    const b = tf.tidy(() => flat.predict(tf.reshape(x, [3, 784])) as tf.Tensor);
    expect(a.shape).toEqual([3, 10]);
    expectClose(a.dataSync(), b.dataSync(), 1e-6);
    tf.dispose([x, a, b]);
    [image, flat, flat2].forEach((m) => m.dispose());
  });

  it("starts as torch's nn.Linear, U(±1/√fan_in) for kernels and biases, reproducibly from the seed", () => {
    const options = { inputSize: 200, hiddenSizes: [300, 40] };
    const a = simpleNetwork({ ...options, seed: 3 });
    const b = simpleNetwork({ ...options, seed: 3 });
    const c = simpleNetwork({ ...options, seed: 4 });
    for (let i = 0; i < a.weights.length; i++) {
      const wa = a.weights[i].read().dataSync() as Float32Array;
      const fanIn = a.weights[i].shape.length === 2 ? (a.weights[i].shape[0] as number) : (a.weights[i - 1].shape[0] as number);
      const bound = 1 / Math.sqrt(fanIn);
      const max = wa.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(max).toBeLessThanOrEqual(bound);
      if (wa.length >= 1000) {
        expect(max).toBeGreaterThan(0.99 * bound);
        const std = Math.sqrt(wa.reduce((s, v) => s + v * v, 0) / wa.length);
        expect(std / (bound / Math.sqrt(3))).toBeCloseTo(1, 1);
      }
      expect(tf.util.arraysEqual(b.weights[i].read().dataSync(), wa)).toBe(true);
      expect(tf.util.arraysEqual(c.weights[i].read().dataSync(), wa)).toBe(false);
    }
    [a, b, c].forEach((m) => m.dispose());
  });

  it('does not leak tensors in predict, and frees its weights on dispose', () => {
    const start = tf.memory().numTensors;
    for (const activation of ACTIVATIONS) {
      const model = simpleNetwork({ activation });
      const x = tf.randomNormal([4, 28, 28, 1]);
      expectNoLeak(() => tf.dispose(model.predict(x) as tf.Tensor));
      expectNoLeak(() => tf.dispose(model.apply(x, { training: true }) as tf.Tensor));
      x.dispose();
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(start);
  });

  it('rejects bad options with InvalidParameterError naming the option, value and allowed values', () => {
    const cases: Array<[Parameters<typeof simpleNetwork>[0], RegExp]> = [
      [{ activation: 'softsign' as Activation }, /"activation": "softsign" \(allowed: relu, tanh, gelu, sigmoid, leakyRelu, prelu, silu, mish\)/],
      [{ hiddenSizes: [] }, /"hiddenSizes": \[\]/],
      [{ hiddenSizes: [256, 0] }, /"hiddenSizes\[1\]": 0 \(allowed: an integer ≥ 1\)/],
      [{ hiddenSizes: [2.5] }, /"hiddenSizes\[0\]": 2.5/],
      [{ inputSize: -1 }, /"inputSize": -1/],
      [{ inputShape: [28, 28, 1], inputSize: 100 }, /"inputShape": \[28,28,1\] \(allowed: a shape with inputSize = 100 entries\)/],
      [{ inputShape: [28, 0] }, /"inputShape\[1\]": 0/],
      [{ numClasses: 0 }, /"numClasses": 0/],
      [{ seed: 0.5 }, /"seed": 0.5/],
    ];
    for (const [options, message] of cases) {
      expect(() => simpleNetwork(options)).toThrow(InvalidParameterError);
      expect(() => simpleNetwork(options)).toThrow(message);
    }
  });
});
