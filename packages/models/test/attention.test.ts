import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, InvalidParameterError } from '@descent/tensor';
import { MultiHeadSelfAttention } from '@descent/models';
import { fixture, tensorOf, expectClose, expectNoLeak, type Entry } from './helpers/golden';

const golden = fixture<{ dModel: number; heads: number; weights: Record<string, Entry>; x: Entry; y: Entry }>('attention.json');

function attentionModel(d: number, t: number, args: ConstructorParameters<typeof MultiHeadSelfAttention>[0]) {
  const layer = new MultiHeadSelfAttention(args);
  const input = tf.input({ shape: [t, d] });
  return { layer, model: tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor }) };
}

describe('MultiHeadSelfAttention', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it("matches torch's nn.MultiheadAttention (2 heads, sequence of 5), weights ported from in_proj/out_proj", () => {
    const { layer, model } = attentionModel(golden.dModel, golden.x.shape[1], { heads: golden.heads, name: 'mha_golden' });
    expect(layer.weights.map((w) => w.name)).toEqual(
      ['query', 'key', 'value', 'output'].flatMap((p) => [`mha_golden/${p}/kernel`, `mha_golden/${p}/bias`]),
    );
    for (const w of layer.weights) {
      const t = tensorOf(golden.weights[w.name.slice('mha_golden/'.length)]);
      w.write(t);
      t.dispose();
    }
    const x = tensorOf(golden.x);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual(golden.y.shape);
    expectClose(y.dataSync(), golden.y.values, 1e-5, 1e-5);
    tf.dispose([x, y]);
    model.dispose();
  });

  it("has 4d² + 4d parameters, initialised as torch's (Xavier-uniform on the fused [3d, d] in_proj, zero biases)", () => {
    const d = 64;
    const { layer, model } = attentionModel(d, 3, { heads: 4, seed: 5, name: 'mha_init' });
    expect(model.countParams()).toBe(4 * d * d + 4 * d);
    for (const w of layer.weights) {
      const v = w.read().dataSync() as Float32Array;
      if (w.name.endsWith('bias')) {
        expect(v.every((e) => e === 0)).toBe(true);
        continue;
      }
      const bound = w.name.includes('output') ? Math.sqrt(6 / (2 * d)) : Math.sqrt(6 / (4 * d));
      const max = v.reduce((m, e) => Math.max(m, Math.abs(e)), 0);
      expect(max).toBeLessThanOrEqual(bound);
      expect(max).toBeGreaterThan(0.98 * bound);
      const std = Math.sqrt(v.reduce((s, e) => s + e * e, 0) / v.length);
      expect(std / (bound / Math.sqrt(3))).toBeCloseTo(1, 1);
    }
    model.dispose();
  });

  it('drops attention weights only in training, and does not leak', () => {
    const { model } = attentionModel(8, 6, { heads: 2, dropout: 0.5, name: 'mha_dropout' });
    const x = tf.randomNormal([2, 6, 8], 0, 1, 'float32', 3);
    const a = model.predict(x) as tf.Tensor;
    const b = model.predict(x) as tf.Tensor;
    const c = model.apply(x, { training: true }) as tf.Tensor;
    expect(tf.util.arraysEqual(a.dataSync(), b.dataSync())).toBe(true);
    expect(tf.util.arraysEqual(a.dataSync(), c.dataSync())).toBe(false);
    expectNoLeak(() => tf.dispose(model.predict(x) as tf.Tensor));
    expectNoLeak(() => tf.dispose(model.apply(x, { training: true }) as tf.Tensor));
    tf.dispose([x, a, b, c]);
    model.dispose();
  });

  it('keeps its options in the config and checks them', () => {
    const layer = new MultiHeadSelfAttention({ heads: 3, dropout: 0.1, seed: 9, name: 'mha_config' });
    expect(layer.getConfig()).toMatchObject({ name: 'mha_config', heads: 3, dropout: 0.1, seed: 9 });
    expect(() => layer.apply(tf.input({ shape: [2, 8] }))).toThrow(/"heads": 3 \(allowed: a divisor of the model width d = 8\)/);
    expect(() => new MultiHeadSelfAttention({ heads: 0 })).toThrow(InvalidParameterError);
    expect(() => new MultiHeadSelfAttention({ heads: 2, dropout: 1 })).toThrow(/"dropout": 1/);
  });
});
