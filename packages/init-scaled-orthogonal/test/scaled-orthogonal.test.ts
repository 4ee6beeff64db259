import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, initContext, initializeModel, computeFans, Rng } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { initializerConformance } from '@descent/testkit';
import { scaledOrthogonal, scaledOrthogonalPlugin, scaledOrthogonalFactor } from '@descent/init-scaled-orthogonal';

/** Largest |G − f²·I| relative to f², G the Gram matrix of the smaller side of the [numel/out, out] matrix. */
function relativeOrthogonalityError(v: ArrayLike<number>, shape: number[], f: number): number {
  const cols = shape[shape.length - 1];
  const rows = v.length / cols;
  const tall = rows >= cols;
  const k = Math.min(rows, cols);
  const len = Math.max(rows, cols);
  const vecs = Array.from({ length: k }, (_, a) => Float64Array.from({ length: len }, (_, j) => (tall ? v[j * cols + a] : v[a * cols + j])));
  let worst = 0;
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) {
      let s = 0;
      for (let j = 0; j < len; j++) s += vecs[a][j] * vecs[b][j];
      worst = Math.max(worst, Math.abs(s - (a === b ? f * f : 0)) / (f * f));
    }
  return worst;
}

/** σ_max by power iteration on WᵀW in float64 (exact here: all singular values are equal). */
function spectralNorm(v: ArrayLike<number>, rows: number, cols: number): number {
  let x = Float64Array.from({ length: cols }, (_, i) => Math.sin(i + 1));
  let sigma = 0;
  for (let it = 0; it < 20; it++) {
    const y = new Float64Array(rows);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) y[i] += v[i * cols + j] * x[j];
    const z = new Float64Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) z[j] += v[i * cols + j] * y[i];
    const nz = Math.hypot(...z);
    sigma = Math.sqrt(nz / Math.hypot(...x));
    x = z.map((t) => t / nz);
  }
  return sigma;
}

describe('scaled-orthogonal', () => {
  initializerConformance({
    plugin: scaledOrthogonalPlugin,
    invalid: [{ scale: 0 }, { scale: -1 }, { gain: 1 }, { scale: 'sqrt2' }],
    shapes: [
      [64, 32],
      [16, 64],
      [3, 3, 8, 16],
    ],
  });
});

describe('scaled-orthogonal behaviour', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it("defaults to the book's factor √(2/fanIn)", () => {
    expect(scaledOrthogonalPlugin.defaults.scale).toBe(Math.SQRT2);
    expect(scaledOrthogonalFactor(Math.SQRT2, { fanIn: 784 })).toBeCloseTo(Math.sqrt(2 / 784), 15);
  });

  it.each([
    [[64, 32], Math.SQRT2],
    [[32, 64], Math.SQRT2],
    [[50, 50], 1],
    [[3, 3, 8, 16], 3],
    [[1, 1, 16, 32], Math.SQRT2],
  ])('shape [%s], scale %s: every singular value equals scale/√fanIn (WᵀW or WWᵀ = factor²·I)', (shape, scale) => {
    const t = scaledOrthogonal({ scale })(shape, initContext(shape, { rng: new Rng(3) }));
    const f = scale / Math.sqrt(computeFans(shape).fanIn);
    expect(relativeOrthogonalityError(t.dataSync(), shape, f)).toBeLessThan(1e-5);
    t.dispose();
  });

  it('is the orthogonal draw times the factor (same seed, same Q)', async () => {
    const { orthogonal } = await import('@descent/init-orthogonal');
    const shape = [40, 20];
    const a = scaledOrthogonal({ scale: 2 })(shape, initContext(shape, { rng: new Rng(8) }));
    const b = orthogonal({ gain: 2 / Math.sqrt(40) })(shape, initContext(shape, { rng: new Rng(8) }));
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
  });

  it("reproduces the book's spectral norm 0.13 for scaled_orthogonal on the PReLU SimpleNetwork", () => {
    // SimpleNetwork 784-256-192-128-64-10 (its shared PReLU slope, 0.25, is not re-initialised and
    // enters the book's average of σ_max over the 5 Linear weights and the slope as 0.25).
    const dims = [784, 256, 192, 128, 64, 10];
    const layers: tf.layers.Layer[] = [];
    for (let i = 1; i < dims.length; i++) layers.push(tf.layers.dense({ units: dims[i], inputShape: i === 1 ? [784] : undefined, biasInitializer: 'ones' }));
    const model = tf.sequential({ layers });
    initializeModel(model, scaledOrthogonal(), { rng: 1 });
    const norms = model.getWeights().filter((w) => w.shape.length === 2).map((w) => spectralNorm(w.dataSync(), w.shape[0]!, w.shape[1]!));
    norms.forEach((s, i) => expect(s).toBeCloseTo(Math.sqrt(2 / dims[i]), 5));
    expect(model.getWeights().filter((w) => w.shape.length === 1).every((b) => b.dataSync().every((x) => x === 0))).toBe(true);
    const mean = (norms.reduce((a, b) => a + b, 0) + 0.25) / 6;
    expect(mean.toFixed(2)).toBe('0.13');
    model.dispose();
  });

  it('initializes a small model with a PReLU through initializeModel, slope untouched', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 32, inputShape: [64], biasInitializer: 'ones' }),
        tf.layers.prelu({ alphaInitializer: tf.initializers.constant({ value: 0.25 }), sharedAxes: [1] }),
        tf.layers.dense({ units: 8, biasInitializer: 'ones' }),
      ],
    });
    initializeModel(model, scaledOrthogonal({ scale: 1 }), { rng: 5 });
    const [k1, b1, alpha, k2, b2] = model.getWeights();
    expect(relativeOrthogonalityError(k1.dataSync(), [64, 32], 1 / 8)).toBeLessThan(1e-5);
    expect(relativeOrthogonalityError(k2.dataSync(), [32, 8], 1 / Math.sqrt(32))).toBeLessThan(1e-5);
    expect([...b1.dataSync(), ...b2.dataSync()].every((x) => x === 0)).toBe(true);
    expect(Array.from(alpha.dataSync())).toEqual([0.25]);
    model.dispose();
  });

  it('factory validates; zero-size shapes give an empty tensor', () => {
    expect(() => scaledOrthogonal({ scale: 0 })).toThrow(ConfigError);
    const t = scaledOrthogonal()([0, 4], initContext([0, 4]));
    expect(t.shape).toEqual([0, 4]);
    t.dispose();
  });
});
