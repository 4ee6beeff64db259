import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, computeFans, calculateGain, initContext, initializeModel, Rng, toLayersInitializer } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { initializerConformance, loadFixture } from '@descent/testkit';
import { kaimingNormal, kaimingUniform, kaimingNormalPlugin, kaimingUniformPlugin, kaimingGain, kaimingStd, type KaimingConfig } from '@descent/init-kaiming';
import { drawStats, drawsFor, KURTOSIS, stdError, rms, Z, type Stats } from '@descent/testkit';

interface StatCase {
  config: Partial<KaimingConfig>;
  torchCall: string;
  tfjsShape: number[];
  expected: { std: number; bound?: number };
  torch: Stats;
}
interface StatFixture {
  source: string;
  cases: StatCase[];
}

const shapes = [
  [64, 32],
  [3, 3, 8, 16],
  [5, 5, 3, 32],
];
const invalid = [{ mode: 'fan_in' }, { nonlinearity: 'gelu' }, { a: 'x' }, { a: Number.NaN }, { gain: 2 }];

describe('kaiming-normal', () => {
  initializerConformance({ plugin: kaimingNormalPlugin, invalid, shapes });
});
describe('kaiming-uniform', () => {
  initializerConformance({ plugin: kaimingUniformPlugin, invalid, shapes });
});

describe('fans and gains against torch.nn.init', () => {
  it('computes torch fans for dense and conv kernels in tfjs layout', () => {
    const { cases } = loadFixture<{ cases: Array<{ tfjsShape: number[]; fanIn: number; fanOut: number }> }>('init', 'fans');
    expect(cases.length).toBeGreaterThan(5);
    for (const c of cases) expect(computeFans(c.tfjsShape), JSON.stringify(c)).toEqual({ fanIn: c.fanIn, fanOut: c.fanOut });
  });

  it('uses torch gains for every nonlinearity', () => {
    const { cases } = loadFixture<{ cases: Array<{ nonlinearity: string; param: number | null; gain: number }> }>('init', 'gains');
    for (const c of cases) {
      expect(calculateGain(c.nonlinearity, c.param ?? undefined)).toBeCloseTo(c.gain, 12);
      if (c.param !== null || c.nonlinearity !== 'leaky_relu') {
        expect(kaimingGain({ nonlinearity: c.nonlinearity as KaimingConfig['nonlinearity'], a: c.param ?? 0 })).toBeCloseTo(c.gain, 12);
      }
    }
  });

  it("defaults to torch's leaky_relu with a = 0: gain √2, fan_in", () => {
    expect(kaimingNormalPlugin.defaults).toEqual({ mode: 'fanIn', nonlinearity: 'leaky_relu', a: 0 });
    expect(kaimingStd(kaimingNormalPlugin.defaults, { fanIn: 50, fanOut: 7 })).toBeCloseTo(Math.sqrt(2 / 50), 14);
  });
});

describe.each([
  ['kaiming-normal', kaimingNormal, 'normal'],
  ['kaiming-uniform', kaimingUniform, 'uniform'],
] as const)('%s statistics against torch', (id, factory, dist) => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  const fixture = loadFixture<StatFixture>('init', id);

  it('has golden cases', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(fixture.cases.map((c) => [c.torchCall, c.tfjsShape.join('×'), c] as const))('%s on tfjs [%s]', (_call, _shape, c) => {
    const init = factory(c.config);
    const expectedStd = c.expected.std;
    expect(kaimingStd({ ...kaimingNormalPlugin.defaults, ...c.config }, computeFans(c.tfjsShape))).toBeCloseTo(expectedStd, 12);
    const s = drawStats(init, c.tfjsShape, drawsFor(c.tfjsShape));
    const kurt = KURTOSIS[dist];
    const se = stdError(expectedStd, s.n, kurt);
    // Against torch's formula, and against torch's own draws (both are samples).
    expect(Math.abs(s.std - expectedStd)).toBeLessThan(Z * se);
    expect(Math.abs(s.std - c.torch.std)).toBeLessThan(Z * Math.hypot(se, stdError(expectedStd, c.torch.n, kurt)));
    expect(Math.abs(s.mean)).toBeLessThan((Z * expectedStd) / Math.sqrt(s.n));
    if (dist === 'uniform') {
      const bound = c.expected.bound!;
      expect(s.max).toBeLessThanOrEqual(bound * (1 + 1e-6));
      expect(s.min).toBeGreaterThanOrEqual(-bound * (1 + 1e-6));
      // P(max < bound·(1 − 20/n)) ≈ e^-10: the whole interval is used.
      expect(s.max).toBeGreaterThan(bound * (1 - 20 / s.n));
      expect(s.min).toBeLessThan(-bound * (1 - 20 / s.n));
    }
  });
});

describe('kaiming behaviour', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('plugin and factory draw the same values for the same seed', () => {
    const shape = [20, 10];
    for (const [plugin, factory] of [
      [kaimingNormalPlugin, kaimingNormal],
      [kaimingUniformPlugin, kaimingUniform],
    ] as const) {
      const a = plugin.create({ mode: 'fanOut' })(shape, initContext(shape, { rng: new Rng(5) }));
      const b = factory({ mode: 'fanOut' })(shape, initContext(shape, { rng: new Rng(5) }));
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      tf.dispose([a, b]);
    }
  });

  it('factories validate their config', () => {
    expect(() => kaimingNormal({ mode: 'fan_out' as never })).toThrow(ConfigError);
    expect(() => kaimingUniform({ nonlinearity: 'swish' as never })).toThrow(ConfigError);
  });

  it('fills a zero-element tensor with nothing (torch: no-op)', () => {
    const t = kaimingNormal()([0, 4], initContext([0, 4]));
    expect(t.shape).toEqual([0, 4]);
    t.dispose();
  });

  it('initializes a small PReLU model through initializeModel: kernels Kaiming, biases 0, slope untouched', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 256, inputShape: [128], biasInitializer: 'ones' }),
        tf.layers.prelu({ alphaInitializer: tf.initializers.constant({ value: 0.25 }), sharedAxes: [1] }),
        tf.layers.dense({ units: 64, biasInitializer: 'ones' }),
      ],
    });
    const before = tf.memory().numTensors;
    initializeModel(model, kaimingNormal(), { rng: 11 });
    expect(tf.memory().numTensors).toBe(before);
    const [k1, b1, alpha, k2, b2] = model.getWeights();
    for (const [k, fanIn] of [
      [k1, 128],
      [k2, 256],
    ] as const) {
      const v = k.dataSync();
      const std = rms(v);
      const expected = Math.sqrt(2 / fanIn);
      expect(Math.abs(std - expected)).toBeLessThan(Z * stdError(expected, v.length, 3));
    }
    expect(b1.dataSync().every((x) => x === 0)).toBe(true);
    expect(b2.dataSync().every((x) => x === 0)).toBe(true);
    expect(Array.from(alpha.dataSync())).toEqual([0.25]);
    model.dispose();
  });

  it('conv kernels in a tf.layers model get std gain/√(kh·kw·in)', () => {
    const layer = tf.layers.conv2d({ filters: 32, kernelSize: 3, inputShape: [8, 8, 16], kernelInitializer: toLayersInitializer(kaimingUniform({ nonlinearity: 'relu' }), { rng: 2 }) as never });
    const model = tf.sequential({ layers: [layer] });
    const v = model.getWeights()[0].dataSync();
    const std = rms(v);
    const expected = Math.SQRT2 / Math.sqrt(3 * 3 * 16);
    expect(Math.abs(std - expected)).toBeLessThan(Z * stdError(expected, v.length, KURTOSIS.uniform));
    expect(Math.max(...Array.from(v).map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(3) * expected * (1 + 1e-6));
    model.dispose();
  });
});
