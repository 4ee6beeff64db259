import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, initContext, initializeModel, InvalidParameterError, Rng, type Initializer } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { initializerConformance } from '@descent/testkit';
import { kaimingNormal } from '@descent/init-kaiming';
import { SingularValueDecomposition, Matrix } from 'ml-matrix';
import { spectralNormal, spectralNormalPlugin, estimateSpectralNorm, estimateSpectralNormDetailed, powerIteration, spectralMatrixShape, SPECTRAL_BASES } from '@descent/init-spectral';

/** σ_max by a full SVD (ml-matrix, float64), the reference for the power iteration. */
function exactSigma(t: tf.Tensor): number {
  const [rows, cols] = spectralMatrixShape(t.shape);
  const m = Matrix.from1DArray(rows, cols, t.dataSync());
  return new SingularValueDecomposition(rows >= cols ? m : m.transpose(), { computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal[0];
}

const draw = (init: Initializer, shape: number[], seed = 1) => init(shape, initContext(shape, { rng: new Rng(seed) }));

describe('spectral-normal', () => {
  initializerConformance({
    plugin: spectralNormalPlugin,
    invalid: [{ target: 0 }, { target: -1 }, { iterations: 0 }, { iterations: 2.5 }, { tolerance: -1 }, { base: 'orthogonal' }, { base: 'kaiming-normal', baseConfig: { mode: 'fan_in' } }, { baseConfig: [] }, { gain: 1 }],
    shapes: [
      [64, 32],
      [16, 64],
      [3, 3, 8, 16],
    ],
  });
});

describe('estimateSpectralNorm', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('is exact on matrices with known singular values', () => {
    // diag(3, 2, 1) padded: σ_max 3; a vector: its norm (a PReLU slope 0.25 → 0.25); a scalar: |x|.
    const d = tf.tensor2d([
      [3, 0, 0],
      [0, -2, 0],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    expect(estimateSpectralNorm(d)).toBeCloseTo(3, 6);
    const v = tf.tensor1d([3, 4]);
    expect(estimateSpectralNorm(v)).toBeCloseTo(5, 10);
    const s = tf.tensor1d([0.25]);
    expect(estimateSpectralNorm(s)).toBeCloseTo(0.25, 12);
    expect(estimateSpectralNorm(tf.zeros([3, 4]))).toBe(0);
    tf.dispose([d, v, s]);
  });

  it.each([[[784, 256]], [[256, 784]], [[256, 192]], [[64, 10]], [[3, 3, 64, 128]], [[5, 5, 3, 32]]])('matches the SVD for a Kaiming kernel [%s] (relative error < 1e-5), from below', (shape) => {
    const t = draw(kaimingNormal(), shape);
    const exact = exactSigma(t);
    const est = estimateSpectralNormDetailed(t);
    expect(est.sigma).toBeLessThanOrEqual(exact * (1 + 1e-12));
    expect((exact - est.sigma) / exact).toBeLessThan(1e-5);
    // Fewer iterations: a worse but still lower estimate.
    const rough = estimateSpectralNorm(t, { iterations: 5 });
    expect(rough).toBeLessThanOrEqual(est.sigma * (1 + 1e-12));
    t.dispose();
  });

  it('reports iterations and convergence; rejects bad options', () => {
    const t = draw(kaimingNormal(), [50, 40]);
    const a = estimateSpectralNormDetailed(t, { iterations: 3, tolerance: 0 });
    expect(a).toMatchObject({ iterations: 3, converged: false });
    const b = estimateSpectralNormDetailed(t, { iterations: 10_000 });
    expect(b.converged).toBe(true);
    expect(b.iterations).toBeLessThan(10_000);
    expect(() => estimateSpectralNorm(t, { iterations: 0 })).toThrow(InvalidParameterError);
    expect(() => powerIteration([1, 2, 3], 2, 2)).toThrow(InvalidParameterError);
    t.dispose();
  });
});

describe('spectral-normal initializer', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it.each(Object.keys(SPECTRAL_BASES).flatMap((base) => [[base, 1, [128, 64]] as const, [base, 2.5, [3, 3, 16, 32]] as const]))('base %s, target %s, shape [%s]: σ_max = target (SVD, 1e-5)', (base, target, shape) => {
    const t = draw(spectralNormal({ base: base as keyof typeof SPECTRAL_BASES, target }), [...shape]);
    expect(Math.abs(exactSigma(t) - target) / target).toBeLessThan(1e-5);
    t.dispose();
  });

  it('keeps the base draw’s direction: same seed, a constant multiple of the base kernel', () => {
    const shape = [40, 30];
    const a = draw(spectralNormal({ baseConfig: { nonlinearity: 'relu' } }), shape, 6);
    const b = draw(kaimingNormal({ nonlinearity: 'relu' }), shape, 6);
    const av = a.dataSync();
    const bv = b.dataSync();
    const k = av[0] / bv[0];
    for (let i = 0; i < av.length; i++) expect(av[i]).toBeCloseTo(k * bv[i], 6);
    expect(k).toBeCloseTo(1 / exactSigma(b), 5);
    tf.dispose([a, b]);
  });

  it('accepts any Initializer function as the base', () => {
    const ones: Initializer = (shape) => tf.ones(shape);
    const t = draw(spectralNormal({ base: ones, target: 3 }), [20, 5]);
    // all-ones 20×5 has σ_max √100 = 10; rescaled: every entry 3/10.
    expect(Array.from(t.dataSync()).every((x) => Math.abs(x - 0.3) < 1e-6)).toBe(true);
    t.dispose();
    expect(() => spectralNormal({ base: ones, baseConfig: { a: 1 } })).toThrow(ConfigError);
    expect(() => draw(spectralNormal({ base: (s) => tf.zeros(s) }), [4, 4])).toThrow(InvalidParameterError);
  });

  it('validates base configs through the base plugin', () => {
    expect(() => spectralNormal({ base: 'xavier-normal', baseConfig: { gain: -1 } })).toThrow(ConfigError);
    expect(() => spectralNormalPlugin.create({ base: 'lecun-uniform', baseConfig: { gain: 2 } })).toThrow(ConfigError);
    expect(() => spectralNormal({ target: 0 })).toThrow(ConfigError);
  });

  it('initializes a small PReLU model through initializeModel: σ_max = target per kernel, biases 0, slope kept', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 48, inputShape: [96], biasInitializer: 'ones' }),
        tf.layers.prelu({ alphaInitializer: tf.initializers.constant({ value: 0.25 }), sharedAxes: [1] }),
        tf.layers.dense({ units: 10, biasInitializer: 'ones' }),
      ],
    });
    const before = tf.memory().numTensors;
    initializeModel(model, spectralNormal({ target: 0.9 }), { rng: 3 });
    expect(tf.memory().numTensors).toBe(before);
    const [k1, b1, alpha, k2, b2] = model.getWeights();
    expect(exactSigma(k1)).toBeCloseTo(0.9, 5);
    expect(exactSigma(k2)).toBeCloseTo(0.9, 5);
    expect([...b1.dataSync(), ...b2.dataSync()].every((x) => x === 0)).toBe(true);
    expect(Array.from(alpha.dataSync())).toEqual([0.25]);
    model.dispose();
  });
});
