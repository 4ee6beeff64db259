import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { tf, useBackend, InvalidParameterError } from '@descent/tensor';
import { simpleNetwork, countParameters, ACTIVATIONS } from '@descent/models';

const golden = JSON.parse(readFileSync(new URL('../../../tools/golden/fixtures/models/simple-network.json', import.meta.url), 'utf8'));

describe('simpleNetwork', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('has the book\'s 283,914 parameters with ReLU and one extra (shared) slope with PReLU', () => {
    const relu = simpleNetwork();
    expect(countParameters(relu)).toBe(283914);
    const prelu = simpleNetwork({ activation: 'prelu' });
    expect(countParameters(prelu)).toBe(283915);
    const slopes = prelu.trainableWeights.filter((w) => w.shape.length === 1 && w.shape[0] === 1);
    expect(slopes).toHaveLength(1);
    expect(slopes[0].read().dataSync()[0]).toBeCloseTo(0.25);
    relu.dispose();
    prelu.dispose();
  });

  for (const c of golden.cases) {
    it(`matches torch's forward pass with ${c.activation}`, () => {
      const model = simpleNetwork({ activation: c.activation, hiddenSizes: c.sizes.slice(1, -1), inputShape: [c.sizes[0]], numClasses: c.sizes.at(-1) });
      const kernels = model.trainableWeights.filter((w) => w.shape.length === 2 || (w.shape.length === 1 && w.shape[0] !== 1));
      expect(kernels).toHaveLength(c.weights.length);
      kernels.forEach((w, i) => w.write(tf.tensor(c.weights[i].values, c.weights[i].shape)));
      if (c.slope !== null) model.trainableWeights.find((w) => w.shape.length === 1 && w.shape[0] === 1)!.write(tf.tensor([c.slope]));
      const x = tf.tensor2d(c.x, [c.x.length / c.sizes[0], c.sizes[0]]);
      const y = model.predict(x) as tf.Tensor;
      const got = y.dataSync();
      c.logits.forEach((v: number, i: number) => expect(got[i]).toBeCloseTo(v, 4));
      tf.dispose([x, y]);
      model.dispose();
    });
  }

  it('flattens image input, names its weights readably, and does not leak', () => {
    const model = simpleNetwork({ inputShape: [28, 28, 1], name: 'named_mlp' });
    expect(model.trainableWeights[0].name).toBe('named_mlp_dense_1/kernel');
    const x = tf.zeros([2, 28, 28, 1]);
    tf.dispose(model.predict(x) as tf.Tensor);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(model.predict(x) as tf.Tensor);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });

  it('rejects bad options by name', () => {
    expect(() => simpleNetwork({ activation: 'softsign' })).toThrow(InvalidParameterError);
    expect(() => simpleNetwork({ activation: 'softsign' })).toThrow(new RegExp(ACTIVATIONS.join(', ')));
    expect(() => simpleNetwork({ hiddenSizes: [0] })).toThrow(/hiddenSizes\[0\]/);
  });
});
