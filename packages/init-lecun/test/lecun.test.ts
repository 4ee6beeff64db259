import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, computeFans, initContext, initializeModel, Rng } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { initializerConformance, loadFixture } from '@descent/testkit';
import { lecunNormal, lecunUniform, lecunNormalPlugin, lecunUniformPlugin, lecunStd } from '@descent/init-lecun';
import { drawStats, drawsFor, KURTOSIS, stdError, rms, Z, type Stats } from '@descent/testkit';

interface StatFixture {
  source: string;
  cases: Array<{ torchCall: string; tfjsShape: number[]; expected: { std: number; bound?: number }; torch: Stats }>;
}

const shapes = [
  [64, 32],
  [3, 3, 8, 16],
];
describe('lecun-normal', () => {
  initializerConformance({ plugin: lecunNormalPlugin, invalid: [{ gain: 2 }, { truncated: true }], shapes });
});
describe('lecun-uniform', () => {
  initializerConformance({ plugin: lecunUniformPlugin, invalid: [{ gain: 2 }, { mode: 'fanOut' }], shapes });
});

describe.each([
  ['lecun-normal', lecunNormal, 'normal'],
  ['lecun-uniform', lecunUniform, 'uniform'],
] as const)('%s statistics against torch kaiming_*_(nonlinearity="linear")', (id, factory, dist) => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  const fixture = loadFixture<StatFixture>('init', id);

  it.each(fixture.cases.map((c) => [c.tfjsShape.join('×'), c] as const))('tfjs [%s]', (_shape, c) => {
    const expectedStd = c.expected.std;
    expect(lecunStd(computeFans(c.tfjsShape))).toBeCloseTo(expectedStd, 12);
    const s = drawStats(factory(), c.tfjsShape, drawsFor(c.tfjsShape));
    const kurt = KURTOSIS[dist];
    const se = stdError(expectedStd, s.n, kurt);
    expect(Math.abs(s.std - expectedStd)).toBeLessThan(Z * se);
    expect(Math.abs(s.std - c.torch.std)).toBeLessThan(Z * Math.hypot(se, stdError(expectedStd, c.torch.n, kurt)));
    expect(Math.abs(s.mean)).toBeLessThan((Z * expectedStd) / Math.sqrt(s.n));
    if (dist === 'uniform') {
      const bound = c.expected.bound!;
      expect(bound).toBeCloseTo(Math.sqrt(3 / computeFans(c.tfjsShape).fanIn), 12);
      expect(s.max).toBeLessThanOrEqual(bound * (1 + 1e-6));
      expect(s.min).toBeGreaterThanOrEqual(-bound * (1 + 1e-6));
      expect(s.max).toBeGreaterThan(bound * (1 - 20 / s.n));
      expect(s.min).toBeLessThan(-bound * (1 - 20 / s.n));
    } else {
      // A plain normal, not truncated at 2σ: P(|x| > 3σ) = 0.27 %, so the tails are there.
      expect(Math.max(s.max, -s.min)).toBeGreaterThan(3 * expectedStd);
    }
  });
});

describe('lecun behaviour', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('differs from tfjs leCunNormal, which truncates at 2σ (std ≈ 0.88/√fanIn)', () => {
    const shape = [400, 500];
    const ours = drawStats(lecunNormal(), shape, 1);
    const t = tf.initializers.leCunNormal({ seed: 3 }).apply(shape);
    const v = t.dataSync();
    const theirs = rms(v);
    t.dispose();
    expect(Math.abs(ours.std - 1 / 20)).toBeLessThan(Z * stdError(1 / 20, ours.n, 3));
    expect(theirs / (1 / 20)).toBeCloseTo(0.88, 2);
  });

  it('factories reject options (there are none)', () => {
    expect(() => lecunNormal({ gain: 2 } as never)).toThrow(ConfigError);
    expect(() => lecunUniform({ gain: 2 } as never)).toThrow(ConfigError);
  });

  it('plugin and factory draw the same values', () => {
    const shape = [12, 7];
    const a = lecunUniformPlugin.create()(shape, initContext(shape, { rng: new Rng(4) }));
    const b = lecunUniform()(shape, initContext(shape, { rng: new Rng(4) }));
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
  });

  it('initializes a small PReLU model through initializeModel', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 256, inputShape: [100], biasInitializer: 'ones' }),
        tf.layers.prelu({ alphaInitializer: tf.initializers.constant({ value: 0.25 }), sharedAxes: [1] }),
        tf.layers.dense({ units: 50, biasInitializer: 'ones' }),
      ],
    });
    initializeModel(model, lecunNormal(), { rng: 3 });
    const [k1, b1, alpha, k2, b2] = model.getWeights();
    for (const [k, fanIn] of [
      [k1, 100],
      [k2, 256],
    ] as const) {
      const v = k.dataSync();
      const std = rms(v);
      expect(Math.abs(std - 1 / Math.sqrt(fanIn))).toBeLessThan(Z * stdError(1 / Math.sqrt(fanIn), v.length, 3));
    }
    expect([...b1.dataSync(), ...b2.dataSync()].every((x) => x === 0)).toBe(true);
    expect(Array.from(alpha.dataSync())).toEqual([0.25]);
    model.dispose();
  });
});
