import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, InvalidParameterError } from '@descent/tensor';
import { simpleTransformer, transformerParameterCount, transformerConfig, TRANSFORMER_PRESETS, countParameters, type SimpleTransformerOptions } from '@descent/models';
import { fixture, loadWeights, tensorOf, relativeName, expectClose, expectNoLeak, type Entry } from './helpers/golden';

const counts = fixture<{ transformer: Array<{ config: SimpleTransformerOptions; parameters: number }> }>('counts.json');
const golden = fixture<{ config: SimpleTransformerOptions; parameters: number; weights: Record<string, Entry>; x: Entry; logits: Entry }>('transformer.json');

describe('simpleTransformer', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it("counts the book's 62,099,812 parameters (\"62099.8K\") with the formula, which agrees with torch's model", () => {
    expect(transformerParameterCount()).toBe(62099812);
    expect(transformerParameterCount(TRANSFORMER_PRESETS.book)).toBe(62099812);
    expect(counts.transformer.map((c) => c.parameters)).toEqual([62099812, 324516, 19255]);
    for (const c of counts.transformer) expect(transformerParameterCount(c.config), JSON.stringify(c.config)).toBe(c.parameters);
  });

  it('builds models with exactly the formula\'s number of parameters', () => {
    for (const cfg of [TRANSFORMER_PRESETS.small, counts.transformer[2].config, golden.config]) {
      const m = simpleTransformer(cfg);
      expect(countParameters(m), JSON.stringify(cfg)).toBe(transformerParameterCount(cfg));
      // BatchNorm moving statistics of the two embedding layers are the only non-trainable weights.
      expect(countParameters(m, { trainableOnly: false })).toBe(transformerParameterCount(cfg) + 4 * (cfg.dModel as number));
      m.dispose();
    }
  });

  it("builds the book's full model: 62,099,812 parameters, 3072 inputs to 100 logits", () => {
    const start = tf.memory().numTensors;
    const m = simpleTransformer();
    expect(countParameters(m)).toBe(62099812);
    expect(m.inputs[0].shape).toEqual([null, 3072]);
    expect(m.outputs[0].shape).toEqual([null, 100]);
    m.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it("matches torch's eval-mode forward pass (nn.TransformerEncoderLayer, norm_first, gelu)", () => {
    const m = simpleTransformer(golden.config);
    expect(countParameters(m)).toBe(golden.parameters);
    loadWeights(m, golden.weights);
    const x = tensorOf(golden.x);
    const y = m.predict(x) as tf.Tensor;
    expectClose(y.dataSync(), golden.logits.values, 1e-5, 1e-4);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('names its variables by block and layer', () => {
    const m = simpleTransformer({ ...TRANSFORMER_PRESETS.small, layers: 1 });
    const names = m.trainableWeights.map((w) => relativeName(m, w));
    expect(names).toEqual([
      'embed_dense_1/kernel', 'embed_dense_1/bias', 'embed_bn_1/gamma', 'embed_bn_1/beta',
      'embed_dense_2/kernel', 'embed_dense_2/bias', 'embed_bn_2/gamma', 'embed_bn_2/beta',
      'layer_1_norm_1/gamma', 'layer_1_norm_1/beta',
      'layer_1_attention/query/kernel', 'layer_1_attention/query/bias', 'layer_1_attention/key/kernel', 'layer_1_attention/key/bias',
      'layer_1_attention/value/kernel', 'layer_1_attention/value/bias', 'layer_1_attention/output/kernel', 'layer_1_attention/output/bias',
      'layer_1_norm_2/gamma', 'layer_1_norm_2/beta', 'layer_1_ffn_1/kernel', 'layer_1_ffn_1/bias', 'layer_1_ffn_2/kernel', 'layer_1_ffn_2/bias',
      'decoder_dense_1/kernel', 'decoder_dense_1/bias', 'decoder_norm_1/gamma', 'decoder_norm_1/beta',
      'decoder_dense_2/kernel', 'decoder_dense_2/bias', 'decoder_norm_2/gamma', 'decoder_norm_2/beta',
      'logits/kernel', 'logits/bias',
    ]);
    // Xavier-uniform kernels, zero biases.
    const kernel = m.trainableWeights[0];
    const bound = Math.sqrt(6 / (3072 + 64));
    expect(kernel.read().dataSync().every((v) => Math.abs(v) <= bound)).toBe(true);
    expect(m.trainableWeights[1].read().dataSync().every((v) => v === 0)).toBe(true);
    m.dispose();
  });

  it('runs the small preset on CIFAR-shaped images without leaking, in inference and training mode', () => {
    const start = tf.memory().numTensors;
    const m = simpleTransformer({ ...TRANSFORMER_PRESETS.small, tokens: undefined, inputShape: [32, 32, 3] });
    expect(m.inputs[0].shape).toEqual([null, 32, 32, 3]);
    const x = tf.randomNormal([3, 32, 32, 3], 0, 1, 'float32', 2);
    const y = m.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([3, 100]);
    expect(y.dataSync().every(Number.isFinite)).toBe(true);
    const yt = m.apply(x, { training: true }) as tf.Tensor; // dropout on, BatchNorm batch statistics
    expect(tf.util.arraysEqual(y.dataSync(), yt.dataSync())).toBe(false);
    expectNoLeak(() => tf.dispose(m.predict(x) as tf.Tensor));
    expectNoLeak(() => tf.dispose(m.apply(x, { training: true }) as tf.Tensor));
    tf.dispose([x, y, yt]);
    m.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('rejects bad options by name', () => {
    const cases: Array<[SimpleTransformerOptions, RegExp]> = [
      [{ dModel: 64, heads: 5 }, /"heads": 5 \(allowed: a divisor of dModel \(64\)\)/],
      [{ dModel: 0 }, /"dModel": 0/],
      [{ layers: 0 }, /"layers": 0/],
      [{ ffn: -3 }, /"ffn": -3/],
      [{ dropout: -0.1 }, /"dropout": -0.1/],
      [{ tokens: 100, inputShape: [32, 32, 3] }, /"inputShape": \[32,32,3\] \(allowed: a shape with tokens = 100 entries\)/],
    ];
    for (const [options, message] of cases) {
      expect(() => transformerConfig(options)).toThrow(InvalidParameterError);
      expect(() => simpleTransformer(options)).toThrow(message);
    }
  });
});
