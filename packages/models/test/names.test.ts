import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, InvalidParameterError } from '@descent/tensor';
import { simpleNetwork, cifarCnn, simpleTransformer, TRANSFORMER_PRESETS } from '@descent/models';

const counter = (name: string, base: string) => (name === base ? 1 : Number(name.slice(base.length + 1)));

describe('model, layer and variable names', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('numbers unnamed models of a kind in build order: mlp, mlp_2, …, with no tfjs suffix on any variable', () => {
    const a = simpleNetwork({ activation: 'prelu' });
    const b = simpleNetwork({ activation: 'prelu' });
    expect(a.name).toMatch(/^mlp(_\d+)?$/);
    expect(counter(b.name, 'mlp')).toBe(counter(a.name, 'mlp') + 1);
    for (const m of [a, b]) {
      for (const w of m.weights) {
        expect(w.name.startsWith(`${m.name}_`)).toBe(true);
        expect(w.name).toBe(w.originalName);
      }
    }
    expect(b.weights.map((w) => w.name.slice(b.name.length))).toEqual(a.weights.map((w) => w.name.slice(a.name.length)));
    a.dispose();
    b.dispose();
  });

  it('uses an explicit name exactly, skips it when numbering, and refuses to reuse it', () => {
    const base = simpleNetwork();
    const next = `mlp_${counter(base.name, 'mlp') + 1}`;
    const named = simpleNetwork({ name: next });
    expect(named.name).toBe(next);
    expect(named.weights[0].name).toBe(`${next}_dense_1/kernel`);
    const after = simpleNetwork();
    expect(counter(after.name, 'mlp')).toBe(counter(base.name, 'mlp') + 2);
    expect(() => simpleNetwork({ name: next })).toThrow(InvalidParameterError);
    expect(() => simpleNetwork({ name: next })).toThrow(/"name": "mlp_\d+" \(allowed: a model name not yet used in this process/);
    expect(() => simpleNetwork({ name: 'has space' })).toThrow(/"name": "has space"/);
    [base, named, after].forEach((m) => m.dispose());
  });

  it('a name reserved by one kind of model is refused by another, and bad options do not use up a name', () => {
    const m = cifarCnn({ name: 'shared_name_test', channels: [2], hiddenUnits: 3, inputShape: [4, 4, 1] });
    expect(() => simpleTransformer({ ...TRANSFORMER_PRESETS.small, name: 'shared_name_test' })).toThrow(/"name"/);
    expect(() => simpleNetwork({ name: 'unused_name_test', hiddenSizes: [0] })).toThrow(/hiddenSizes/);
    const ok = simpleNetwork({ name: 'unused_name_test' });
    expect(ok.name).toBe('unused_name_test');
    m.dispose();
    ok.dispose();
  });

  it('refuses a name whose variables some other code already created, instead of letting tfjs rename them', () => {
    const stray = tf.layers.dense({ units: 2, name: 'clash_test_dense_1' });
    stray.apply(tf.input({ shape: [3] }));
    const before = tf.memory().numTensors;
    expect(() => simpleNetwork({ name: 'clash_test' })).toThrow(/"clash_test_dense_1\/kernel" was taken/);
    expect(tf.memory().numTensors).toBe(before);
    stray.dispose();
  });
});
