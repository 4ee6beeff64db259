import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend } from '@descent/tensor';
import { cifarCnn, simpleTransformer, transformerParameterCount, TRANSFORMER_PRESETS, countParameters, buildModel, listModels } from '@descent/models';

describe('cifarCnn and simpleTransformer', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it("the CNN has the book's 1,194,084 parameters and maps [N, 32, 32, 3] to 100 logits", () => {
    const m = cifarCnn();
    expect(countParameters(m)).toBe(1194084);
    const x = tf.zeros([2, 32, 32, 3]);
    const y = m.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 100]);
    tf.dispose([x, y]);
    m.dispose();
  });

  it("the parameter formula gives the book's 62,099.8K and the built models match it", () => {
    expect(transformerParameterCount(TRANSFORMER_PRESETS.book)).toBe(62099812);
    for (const cfg of [TRANSFORMER_PRESETS.small, { ...TRANSFORMER_PRESETS.small, dModel: 32, heads: 2, layers: 3, ffn: 48 }]) {
      const m = simpleTransformer(cfg);
      expect(countParameters(m)).toBe(transformerParameterCount(cfg));
      m.dispose();
    }
  });

  it('the small transformer runs on CIFAR-shaped images, attention included, without leaks', () => {
    const m = simpleTransformer({ ...TRANSFORMER_PRESETS.small, inputShape: [32, 32, 3] });
    const x = tf.randomNormal([3, 32, 32, 3]);
    tf.dispose(m.predict(x) as tf.Tensor);
    const before = tf.memory().numTensors;
    const y = m.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([3, 100]);
    expect(y.dataSync().every(Number.isFinite)).toBe(true);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    m.dispose();
  });

  it('builds by name and refuses unknown names', () => {
    expect(listModels()).toEqual(['simple-mlp', 'cifar-cnn', 'transformer', 'transformer-small']);
    const m = buildModel('simple-mlp', { activation: 'gelu', inputShape: [784] });
    expect(countParameters(m)).toBe(283914);
    m.dispose();
    expect(() => buildModel('resnet')).toThrow(/simple-mlp, cifar-cnn/);
  });
});
