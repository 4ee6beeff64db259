import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, InvalidParameterError } from '@descent/tensor';
import { buildModel, listModels, describeModels, countParameters, transformerParameterCount, TRANSFORMER_PRESETS } from '@descent/models';

describe('buildModel', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('lists the builders with a description each', () => {
    expect(listModels()).toEqual(['simple-mlp', 'cifar-cnn', 'transformer', 'transformer-small']);
    expect(describeModels().map((d) => d.name)).toEqual(listModels());
    expect(describeModels().every((d) => d.description.length > 10)).toBe(true);
  });

  it("builds the book's models by name, adapted to the data's input shape and classes", () => {
    const mlp = buildModel('simple-mlp', { activation: 'gelu', inputShape: [784] });
    expect(countParameters(mlp)).toBe(283914);
    const prelu = buildModel('simple-mlp', { activation: 'prelu', hiddenSizes: [512, 64], inputShape: [28, 28, 1], seed: 2 });
    expect(countParameters(prelu)).toBe(784 * 512 + 512 + 512 * 64 + 64 + 64 * 10 + 10 + 1);
    const cnn = buildModel('cifar-cnn', { inputShape: [32, 32, 3], activation: 'relu' });
    expect(countParameters(cnn)).toBe(1194084);
    const small = buildModel('transformer-small', { inputShape: [28, 28, 1], numClasses: 10 });
    expect(countParameters(small)).toBe(transformerParameterCount({ ...TRANSFORMER_PRESETS.small, tokens: 784, numClasses: 10 }));
    const x = tf.zeros([2, 28, 28, 1]);
    const y = small.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 10]);
    tf.dispose([x, y]);
    [mlp, prelu, cnn, small].forEach((m) => m.dispose());
  });

  it('refuses unknown names and bad options with InvalidParameterError', () => {
    for (const name of ['resnet', 'toString', '__proto__']) {
      expect(() => buildModel(name)).toThrow(InvalidParameterError);
      expect(() => buildModel(name)).toThrow(/\(allowed: simple-mlp, cifar-cnn, transformer, transformer-small\)/);
    }
    expect(() => buildModel('simple-mlp', { activation: 'swish' })).toThrow(/"activation": "swish"/);
  });
});
