import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, computeFans, calculateGain, toLayersInitializer, initializeModel, Rng, InvalidParameterError, type Initializer } from '@descent/tensor';

describe('initializer contract', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  it('computes fans in tfjs layout like torch does in its own', () => {
    expect(computeFans([784, 256])).toEqual({ fanIn: 784, fanOut: 256 });
    // torch conv weight [out=16, in=8, 3, 3] ↔ tfjs [3, 3, 8, 16]: fan_in 72, fan_out 144.
    expect(computeFans([3, 3, 8, 16])).toEqual({ fanIn: 72, fanOut: 144 });
    expect(computeFans([5])).toEqual({ fanIn: 5, fanOut: 5 });
  });
  it('has torch gains', () => {
    expect(calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
    expect(calculateGain('leaky_relu', 0)).toBeCloseTo(Math.SQRT2, 12);
    expect(calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(calculateGain('selu')).toBe(0.75);
    expect(() => calculateGain('swish')).toThrow(InvalidParameterError);
  });
  it('initializeModel applies to ≥2-D weights with layer index and depth, zeroes biases, leaves 1-D slopes', () => {
    const seen: Array<[number, number, number[]]> = [];
    const init: Initializer = (shape, ctx) => {
      seen.push([ctx.layerIndex, ctx.depth, shape]);
      return tf.fill(shape, ctx.layerIndex);
    };
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 4, inputShape: [3], biasInitializer: 'ones' }),
        tf.layers.prelu({ sharedAxes: [1], alphaInitializer: tf.initializers.constant({ value: 0.25 }) }),
        tf.layers.dense({ units: 2, biasInitializer: 'ones' }),
      ],
    });
    initializeModel(model, init, { rng: new Rng(1) });
    expect(seen).toEqual([
      [1, 2, [3, 4]],
      [2, 2, [4, 2]],
    ]);
    const w = model.getWeights();
    expect(Array.from(w[0].dataSync()).every((v) => v === 1)).toBe(true);
    expect(Array.from(w[1].dataSync())).toEqual([0, 0, 0, 0]);
    expect(w[2].dataSync()[0]).toBeCloseTo(0.25);
    expect(Array.from(w[4].dataSync())).toEqual([0, 0]);
    model.dispose();
  });
  it('toLayersInitializer feeds fans from the shape and draws from the seeded stream', () => {
    const init: Initializer = (shape, ctx) => ctx.rng.randomNormal(shape, 0, 1 / Math.sqrt(ctx.fanIn));
    const make = (seed: number) => tf.sequential({ layers: [tf.layers.dense({ units: 64, inputShape: [400], kernelInitializer: toLayersInitializer(init, { rng: seed }) as never })] });
    const m1 = make(3);
    const m2 = make(3);
    const k1 = Array.from(m1.getWeights()[0].dataSync());
    expect(k1).toEqual(Array.from(m2.getWeights()[0].dataSync()));
    const std = Math.sqrt(k1.reduce((s, v) => s + v * v, 0) / k1.length);
    expect(std).toBeGreaterThan(0.05 * 0.95);
    expect(std).toBeLessThan(0.05 * 1.05);
    m1.dispose();
    m2.dispose();
  });
});
