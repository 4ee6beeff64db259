import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, computeFans, calculateGain, initContext, initializeModel, Rng } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { initializerConformance, loadFixture } from '@descent/testkit';
import { xavierNormal, xavierUniform, xavierNormalPlugin, xavierUniformPlugin, xavierStd, type XavierConfig } from '@descent/init-xavier';
import { drawStats, drawsFor, KURTOSIS, stdError, rms, Z, type Stats } from '@descent/testkit';

interface StatFixture {
  source: string;
  cases: Array<{ config: Partial<XavierConfig>; torchCall: string; tfjsShape: number[]; expected: { std: number; bound?: number }; torch: Stats }>;
}

const shapes = [
  [64, 32],
  [3, 3, 8, 16],
];
const invalid = [{ gain: 0 }, { gain: -1 }, { gain: 'relu' }, { mode: 'fanIn' }];
describe('xavier-normal', () => {
  initializerConformance({ plugin: xavierNormalPlugin, invalid, shapes });
});
describe('xavier-uniform', () => {
  initializerConformance({ plugin: xavierUniformPlugin, invalid, shapes });
});

describe.each([
  ['xavier-normal', xavierNormal, 'normal'],
  ['xavier-uniform', xavierUniform, 'uniform'],
] as const)('%s statistics against torch', (id, factory, dist) => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  const fixture = loadFixture<StatFixture>('init', id);

  it('has golden cases', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(18);
  });

  it.each(fixture.cases.map((c) => [c.torchCall, c.tfjsShape.join('×'), c] as const))('%s on tfjs [%s]', (_call, _shape, c) => {
    const expectedStd = c.expected.std;
    expect(xavierStd(c.config.gain ?? 1, computeFans(c.tfjsShape))).toBeCloseTo(expectedStd, 12);
    const s = drawStats(factory(c.config), c.tfjsShape, drawsFor(c.tfjsShape));
    const kurt = KURTOSIS[dist];
    const se = stdError(expectedStd, s.n, kurt);
    expect(Math.abs(s.std - expectedStd)).toBeLessThan(Z * se);
    expect(Math.abs(s.std - c.torch.std)).toBeLessThan(Z * Math.hypot(se, stdError(expectedStd, c.torch.n, kurt)));
    expect(Math.abs(s.mean)).toBeLessThan((Z * expectedStd) / Math.sqrt(s.n));
    if (dist === 'uniform') {
      const bound = c.expected.bound!;
      expect(s.max).toBeLessThanOrEqual(bound * (1 + 1e-6));
      expect(s.min).toBeGreaterThanOrEqual(-bound * (1 + 1e-6));
      expect(s.max).toBeGreaterThan(bound * (1 - 20 / s.n));
      expect(s.min).toBeLessThan(-bound * (1 - 20 / s.n));
    }
  });
});

describe('xavier behaviour', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('factories validate their config', () => {
    expect(() => xavierNormal({ gain: 0 })).toThrow(ConfigError);
    expect(() => xavierUniform({ gain: Number.POSITIVE_INFINITY })).toThrow(ConfigError);
  });

  it('plugin and factory draw the same values', () => {
    const shape = [3, 3, 4, 6];
    const a = xavierNormalPlugin.create({ gain: 2 })(shape, initContext(shape, { rng: new Rng(4) }));
    const b = xavierNormal({ gain: 2 })(shape, initContext(shape, { rng: new Rng(4) }));
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
  });

  it('initializes a small PReLU model through initializeModel with the tanh gain', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 200, inputShape: [100], biasInitializer: 'ones' }),
        tf.layers.prelu({ alphaInitializer: tf.initializers.constant({ value: 0.25 }), sharedAxes: [1] }),
        tf.layers.dense({ units: 50, biasInitializer: 'ones' }),
      ],
    });
    const gain = calculateGain('tanh');
    initializeModel(model, xavierUniform({ gain }), { rng: 3 });
    const [k1, b1, alpha, k2, b2] = model.getWeights();
    for (const [k, fanIn, fanOut] of [
      [k1, 100, 200],
      [k2, 200, 50],
    ] as const) {
      const v = k.dataSync();
      const std = rms(v);
      const expected = gain * Math.sqrt(2 / (fanIn + fanOut));
      expect(Math.abs(std - expected)).toBeLessThan(Z * stdError(expected, v.length, KURTOSIS.uniform));
    }
    expect([...b1.dataSync(), ...b2.dataSync()].every((x) => x === 0)).toBe(true);
    expect(Array.from(alpha.dataSync())).toEqual([0.25]);
    model.dispose();
  });
});
