import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, initContext, initializeModel, toLayersInitializer, InvalidParameterError, Rng } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { initializerConformance } from '@descent/testkit';
import { kaimingNormal } from '@descent/init-kaiming';
import { emergence, emergencePlugin, emergenceFactor, emergenceStd } from '@descent/init-emergence';
import { drawStats, drawsFor, KURTOSIS, stdError, rms, Z } from '@descent/testkit';

describe('emergence', () => {
  initializerConformance({
    plugin: emergencePlugin,
    invalid: [{ nonlinearity: 'gelu' }, { a: 'x' }, { mode: 'fanOut' }, { gain: 2 }],
    shapes: [
      [64, 32],
      [3, 3, 8, 16],
    ],
  });
});

describe('emergence behaviour', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('factor 1 + ln l / ln d: 1 at the first layer, 2 at the last, 1 for depth 1', () => {
    expect(emergenceFactor(1, 5)).toBe(1);
    expect(emergenceFactor(5, 5)).toBeCloseTo(2, 15);
    expect(emergenceFactor(2, 4)).toBeCloseTo(1.5, 15);
    expect(emergenceFactor(3, 7)).toBeCloseTo(1 + Math.log(3) / Math.log(7), 15);
    expect(emergenceFactor(1, 1)).toBe(1);
    expect(() => emergenceFactor(3, 2)).toThrow(InvalidParameterError);
    expect(() => emergenceFactor(0, 2)).toThrow(InvalidParameterError);
    expect(() => emergenceFactor(1, 0)).toThrow(InvalidParameterError);
  });

  it('std = gain·(1 + ln l/ln d)/√fanIn', () => {
    expect(emergenceStd({ nonlinearity: 'relu', a: 0 }, { fanIn: 100, layerIndex: 3, depth: 9 })).toBeCloseTo((Math.SQRT2 * 1.5) / 10, 14);
    expect(emergenceStd({ nonlinearity: 'tanh', a: 0 }, { fanIn: 25, layerIndex: 1, depth: 9 })).toBeCloseTo(5 / 3 / 5, 14);
  });

  it.each([1, 2, 3, 4, 6])('draws of layer %s of 6 have the predicted std (within 5 standard errors)', (layerIndex) => {
    const shape = [3, 3, 16, 32];
    const expected = emergenceStd(emergencePlugin.defaults, { fanIn: 3 * 3 * 16, layerIndex, depth: 6 });
    const s = drawStats(emergence(), shape, drawsFor(shape, 100_000), 50, { layerIndex, depth: 6 });
    expect(Math.abs(s.std - expected)).toBeLessThan(Z * stdError(expected, s.n, KURTOSIS.normal));
    expect(Math.abs(s.mean)).toBeLessThan((Z * expected) / Math.sqrt(s.n));
  });

  it('is Kaiming normal at depth 1 (same seed, same values)', () => {
    const shape = [30, 20];
    const a = emergence()(shape, initContext(shape, { rng: new Rng(4) }));
    const b = kaimingNormal()(shape, initContext(shape, { rng: new Rng(4) }));
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
  });

  it('uses layerIndex and depth from initializeModel: a 4-layer PReLU MLP', () => {
    const dims = [200, 300, 300, 300, 10];
    const layers: tf.layers.Layer[] = [];
    for (let i = 1; i < dims.length; i++) {
      layers.push(tf.layers.dense({ units: dims[i], inputShape: i === 1 ? [dims[0]] : undefined, biasInitializer: 'ones' }));
      if (i === 1) layers.push(tf.layers.prelu({ alphaInitializer: tf.initializers.constant({ value: 0.25 }), sharedAxes: [1] }));
    }
    const model = tf.sequential({ layers });
    initializeModel(model, emergence({ nonlinearity: 'relu' }), { rng: 9 });
    const kernels = model.getWeights().filter((w) => w.shape.length === 2);
    kernels.forEach((k, i) => {
      const v = k.dataSync();
      const expected = (Math.SQRT2 * (1 + Math.log(i + 1) / Math.log(4))) / Math.sqrt(dims[i]);
      expect(Math.abs(rms(v) - expected), `layer ${i + 1}`).toBeLessThan(Z * stdError(expected, v.length, KURTOSIS.normal));
    });
    const vectors = model.getWeights().filter((w) => w.shape.length === 1);
    expect(vectors.filter((w) => w.shape[0] === 1).map((w) => w.dataSync()[0])).toEqual([0.25]); // PReLU slope untouched
    expect(vectors.filter((w) => w.shape[0] !== 1).every((b) => b.dataSync().every((x) => x === 0))).toBe(true);
    model.dispose();
  });

  it('works with toLayersInitializer given layerIndex and depth', () => {
    const layer = tf.layers.dense({ units: 400, inputShape: [100], kernelInitializer: toLayersInitializer(emergence(), { rng: 3, layerIndex: 8, depth: 8 }) as never });
    const model = tf.sequential({ layers: [layer] });
    const v = model.getWeights()[0].dataSync();
    const expected = (2 * Math.SQRT2) / 10;
    expect(Math.abs(rms(v) - expected)).toBeLessThan(Z * stdError(expected, v.length, KURTOSIS.normal));
    model.dispose();
  });

  it('rejects a layer index beyond the depth, and bad configs', () => {
    expect(() => emergence()([4, 4], initContext([4, 4], { layerIndex: 3, depth: 2 }))).toThrow(InvalidParameterError);
    expect(() => emergence({ nonlinearity: 'swish' as never })).toThrow(ConfigError);
  });
});
