import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, initContext, initializeModel, Rng } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { initializerConformance } from '@descent/testkit';
import { lMomentum, lMomentumPlugin } from '@descent/init-lmomentum';

function moments(v: ArrayLike<number>) {
  let s2 = 0;
  let s4 = 0;
  let max = 0;
  for (let i = 0; i < v.length; i++) {
    const x2 = v[i] * v[i];
    s2 += x2;
    s4 += x2 * x2;
    max = Math.max(max, Math.abs(v[i]));
  }
  const m2 = s2 / v.length;
  return { m2, kurtosis: s4 / v.length / (m2 * m2), max };
}

/** σ_max by power iteration on WᵀW (float64, deterministic start). */
function spectralNorm(v: ArrayLike<number>, rows: number, cols: number, iterations = 300): number {
  let x = Float64Array.from({ length: cols }, (_, i) => Math.cos(0.7 * i + 1));
  let sigma = 0;
  for (let it = 0; it < iterations; it++) {
    const y = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += v[i * cols + j] * x[j];
      y[i] = s;
    }
    const z = new Float64Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) z[j] += v[i * cols + j] * y[i];
    let nz = 0;
    let nx = 0;
    for (let j = 0; j < cols; j++) {
      nz += z[j] * z[j];
      nx += x[j] * x[j];
    }
    sigma = Math.sqrt(Math.sqrt(nz) / Math.sqrt(nx));
    x = z.map((t) => t / Math.sqrt(nz));
  }
  return sigma;
}

describe('l-momentum', () => {
  initializerConformance({
    plugin: lMomentumPlugin,
    invalid: [{ alpha: 0 }, { alpha: -0.81 }, { alpha: '0.81' }, { momentum: 0.9 }],
    shapes: [
      [64, 32],
      [3, 3, 8, 16],
    ],
  });
});

describe('l-momentum behaviour', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it.each([
    [[64, 32], 0.81],
    [[784, 256], 0.81],
    [[10, 3], 0.25],
    [[3, 3, 8, 16], 2],
    [[5, 5, 3, 32], 1e-3],
  ])('shape [%s], alpha %s: mean(W²) = alpha exactly, uniform shape', (shape, alpha) => {
    const t = lMomentum({ alpha })(shape, initContext(shape, { rng: new Rng(2) }));
    const m = moments(t.dataSync());
    t.dispose();
    expect(Math.abs(m.m2 - alpha) / alpha).toBeLessThan(1e-5);
    // A rescaled uniform: bound √(3·alpha) up to the ratio of empirical to true second moment.
    expect(m.max).toBeLessThanOrEqual(Math.sqrt(3 * alpha) * 1.2);
    if (shape.reduce((a, b) => a * b, 1) > 1000) expect(m.kurtosis).toBeCloseTo(1.8, 1);
  });

  it('alpha is a real parameter (the book wrapper drops it): RMS = √alpha', () => {
    const shape = [100, 50];
    for (const alpha of [0.01, 0.81, 4]) {
      const t = lMomentum({ alpha })(shape, initContext(shape, { rng: new Rng(1) }));
      expect(Math.sqrt(moments(t.dataSync()).m2)).toBeCloseTo(Math.sqrt(alpha), 5);
      t.dispose();
    }
    // The same seed gives the same direction: the draws differ only by the factor.
    const a = lMomentum({ alpha: 0.81 })(shape, initContext(shape, { rng: new Rng(1) }));
    const b = lMomentum({ alpha: 0.09 })(shape, initContext(shape, { rng: new Rng(1) }));
    const ratio = tf.tidy(() => a.div(b).sub(3).abs().max().dataSync()[0]);
    expect(ratio).toBeLessThan(1e-5);
    tf.dispose([a, b]);
    expect(() => lMomentum({ alpha: -1 })).toThrow(ConfigError);
  });

  it("reproduces the book's mean spectral norm ≈ 19–20 on the PReLU SimpleNetwork (why it diverged)", () => {
    const dims = [784, 256, 192, 128, 64, 10];
    const layers: tf.layers.Layer[] = [];
    for (let i = 1; i < dims.length; i++) layers.push(tf.layers.dense({ units: dims[i], inputShape: i === 1 ? [784] : undefined }));
    const model = tf.sequential({ layers });
    initializeModel(model, lMomentum(), { rng: 1 });
    const kernels = model.getWeights().filter((w) => w.shape.length === 2);
    const norms = kernels.map((w) => spectralNorm(w.dataSync(), w.shape[0]!, w.shape[1]!));
    // With the slope (0.25) as the 6th entry, as the book averages; book: 19.02 and 20.30.
    const mean = (norms.reduce((a, b) => a + b, 0) + 0.25) / 6;
    expect(mean).toBeGreaterThan(18.5);
    expect(mean).toBeLessThan(20.5);
    // RMS 0.9 in every layer, independent of the fan-in.
    for (const k of kernels) expect(Math.sqrt(moments(k.dataSync()).m2)).toBeCloseTo(0.9, 4);
    model.dispose();
  });

  it('initializes a small PReLU model through initializeModel: biases 0, slope untouched', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 32, inputShape: [64], biasInitializer: 'ones' }),
        tf.layers.prelu({ alphaInitializer: tf.initializers.constant({ value: 0.25 }), sharedAxes: [1] }),
        tf.layers.dense({ units: 8, biasInitializer: 'ones' }),
      ],
    });
    initializeModel(model, lMomentum({ alpha: 0.5 }), { rng: 5 });
    const [k1, b1, alpha, k2, b2] = model.getWeights();
    expect(moments(k1.dataSync()).m2).toBeCloseTo(0.5, 5);
    expect(moments(k2.dataSync()).m2).toBeCloseTo(0.5, 5);
    expect([...b1.dataSync(), ...b2.dataSync()].every((x) => x === 0)).toBe(true);
    expect(Array.from(alpha.dataSync())).toEqual([0.25]);
    model.dispose();
  });
});
