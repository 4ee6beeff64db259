import { tf, Rng, InvalidParameterError, checkNumber, type Initializer } from '@descent/tensor';
import { definePlugin, schema, ConfigError, type Plugin } from '@descent/registry';
import { kaimingNormalPlugin, kaimingUniformPlugin } from '@descent/init-kaiming';
import { xavierNormalPlugin, xavierUniformPlugin } from '@descent/init-xavier';
import { lecunNormalPlugin, lecunUniformPlugin } from '@descent/init-lecun';

export interface SpectralNormOptions {
  /** Maximum number of power iterations (default 500). */
  iterations?: number;
  /** Stop when the estimate changes by less than this, relatively, between iterations (default 1e-8; 0 runs all iterations). */
  tolerance?: number;
  /** Source of the random start vector (default a fixed seed, so estimates are deterministic). */
  rng?: Rng;
}

export interface SpectralNormEstimate {
  /** The estimate of σ_max; never above the true value (it is ‖Wv‖ for a unit vector v). */
  sigma: number;
  /** Iterations run. */
  iterations: number;
  /** Whether the tolerance was met before the iteration limit. */
  converged: boolean;
}

/**
 * Power iteration for the largest singular value of a row-major `rows × cols` matrix, in float64:
 * v ← WᵀWv/‖WᵀWv‖ from a random start, σ = ‖Wv‖. The estimate increases monotonically towards
 * σ_max; the error shrinks like (σ₂/σ₁)^(2k), so matrices with nearly equal top singular values
 * (e.g. Gaussian ones) need more iterations.
 */
export function powerIteration(values: ArrayLike<number>, rows: number, cols: number, options: SpectralNormOptions = {}): SpectralNormEstimate {
  const iterations = checkNumber('iterations', options.iterations ?? 500, { min: 1, integer: true });
  const tolerance = checkNumber('tolerance', options.tolerance ?? 1e-8, { min: 0 });
  if (values.length !== rows * cols) throw new InvalidParameterError('values', `${values.length} values`, `rows·cols = ${rows * cols} values`);
  if (rows === 0 || cols === 0) return { sigma: 0, iterations: 0, converged: true };
  const a = Float64Array.from(values);
  const rng = options.rng ?? new Rng(0);
  let v = Float64Array.from({ length: cols }, () => rng.normal());
  normalize(v);
  const u = new Float64Array(rows);
  let sigma = 0;
  for (let k = 1; k <= iterations; k++) {
    // u = W v
    for (let i = 0; i < rows; i++) {
      let s = 0;
      const off = i * cols;
      for (let j = 0; j < cols; j++) s += a[off + j] * v[j];
      u[i] = s;
    }
    const next = Math.sqrt(dot(u, u));
    const converged = k > 1 && Math.abs(next - sigma) <= tolerance * next;
    sigma = next;
    if (converged || next === 0) return { sigma, iterations: k, converged: true };
    if (k === iterations) break;
    // v = Wᵀ u / ‖Wᵀ u‖
    const w = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      const ui = u[i];
      const off = i * cols;
      for (let j = 0; j < cols; j++) w[j] += a[off + j] * ui;
    }
    normalize(w);
    v = w;
  }
  return { sigma, iterations, converged: false };
}

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

function normalize(x: Float64Array): void {
  const n = Math.sqrt(dot(x, x));
  if (n > 0) for (let i = 0; i < x.length; i++) x[i] /= n;
}

/**
 * The matrix whose singular values are a kernel's, in TensorFlow.js layout: `[numel/out, out]`
 * (`[in, out]` dense, `[kh·kw·in, out]` conv) — torch's `[out, in·kh·kw]` transposed up to a row
 * permutation, so the same singular values Miyato et al. normalise. A vector counts as a column
 * (σ = its Euclidean norm; a PReLU slope 0.25 has σ 0.25), a scalar as 1 × 1.
 */
export function spectralMatrixShape(shape: number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], 1];
  const cols = shape[shape.length - 1];
  const size = shape.reduce((p, d) => p * d, 1);
  return [cols === 0 ? 0 : size / cols, cols];
}

/** Estimates σ_max of a kernel (see `spectralMatrixShape`) by power iteration; returns the estimate. */
export function estimateSpectralNorm(w: tf.Tensor, options: SpectralNormOptions = {}): number {
  return estimateSpectralNormDetailed(w, options).sigma;
}

/** Like `estimateSpectralNorm`, with the iteration count and whether it converged. */
export function estimateSpectralNormDetailed(w: tf.Tensor, options: SpectralNormOptions = {}): SpectralNormEstimate {
  const [rows, cols] = spectralMatrixShape(w.shape);
  return powerIteration(w.dataSync(), rows, cols, options);
}

/** The built-in base initializers, by registry id. */
export const SPECTRAL_BASES = {
  'kaiming-normal': kaimingNormalPlugin,
  'kaiming-uniform': kaimingUniformPlugin,
  'xavier-normal': xavierNormalPlugin,
  'xavier-uniform': xavierUniformPlugin,
  'lecun-normal': lecunNormalPlugin,
  'lecun-uniform': lecunUniformPlugin,
} as const satisfies Record<string, Plugin<'initializer'>>;
export type SpectralBaseId = keyof typeof SPECTRAL_BASES;

export interface SpectralNormalConfig {
  /** Registry id of the base initializer (default 'kaiming-normal'). */
  base: SpectralBaseId;
  /** Config of the base initializer (validated by it). */
  baseConfig: Record<string, unknown>;
  /** Spectral norm every kernel is rescaled to (default 1). */
  target: number;
  /** Maximum power iterations for the σ_max estimate (default 500). */
  iterations: number;
  /** Relative change of the estimate at which the power iteration stops (default 1e-8). */
  tolerance: number;
}

export const spectralNormalDefaults: SpectralNormalConfig = Object.freeze({ base: 'kaiming-normal', baseConfig: {}, target: 1, iterations: 500, tolerance: 1e-8 });

function buildWith(base: Initializer, c: Omit<SpectralNormalConfig, 'base' | 'baseConfig'>): Initializer {
  return (shape, ctx) => {
    const w = base(shape, ctx);
    if (w.size === 0) return w;
    const { sigma } = estimateSpectralNormDetailed(w, { iterations: c.iterations, tolerance: c.tolerance, rng: ctx.rng.fork('spectral-normal') });
    if (!(sigma > 0)) {
      w.dispose();
      throw new InvalidParameterError('base', 'an all-zero kernel', 'a base initializer with a nonzero draw (σ_max > 0)');
    }
    const out = tf.mul(w, c.target / sigma);
    w.dispose();
    return out;
  };
}

function build(c: SpectralNormalConfig): Initializer {
  return buildWith(SPECTRAL_BASES[c.base].create(c.baseConfig), c);
}

/** Registry plugin `spectral-normal`: a base initializer's draw rescaled so that σ_max = target. */
export const spectralNormalPlugin = definePlugin({
  id: 'spectral-normal',
  kind: 'initializer',
  version: '0.1.0',
  description: 'A base initializer (default kaiming-normal) rescaled so that every kernel has spectral norm `target` (σ_max by power iteration).',
  reference: 'Miyato, Kataoka, Koyama & Yoshida (2018), Spectral Normalization for Generative Adversarial Networks, ICLR (W/σ(W), σ by power iteration)',
  defaults: spectralNormalDefaults,
  schema: schema.object({
    base: schema.enum(Object.keys(SPECTRAL_BASES) as SpectralBaseId[], { description: 'registry id of the base initializer' }),
    baseConfig: schema.any({ description: "config object of the base initializer, validated by it (e.g. { nonlinearity: 'relu' })" }),
    target: schema.number({ min: 0, exclusiveMin: true, description: 'spectral norm σ_max of every kernel' }),
    iterations: schema.integer({ min: 1, description: 'maximum power iterations for the σ_max estimate' }),
    tolerance: schema.number({ min: 0, description: 'stop the power iteration when the estimate changes by less than this, relatively' }),
  }),
  check: (c) => {
    if (c.baseConfig === null || typeof c.baseConfig !== 'object' || Array.isArray(c.baseConfig)) throw new ConfigError('baseConfig', c.baseConfig, 'an object', 'spectral-normal');
    SPECTRAL_BASES[c.base].resolveConfig(c.baseConfig);
  },
  create: build,
});

/**
 * Spectral initialization: draw with a base initializer, then rescale the kernel so that its
 * spectral norm (largest singular value, estimated by power iteration) equals `target`, as
 * spectral normalisation (Miyato et al., 2018) divides W by σ(W). `base` is a built-in registry id
 * (default 'kaiming-normal', configured by `baseConfig`) or any `Initializer` function.
 */
export function spectralNormal(config: Partial<Omit<SpectralNormalConfig, 'base'>> & { base?: SpectralBaseId | Initializer } = {}): Initializer {
  const { base, ...rest } = config;
  if (typeof base === 'function') {
    if (rest.baseConfig !== undefined) throw new ConfigError('baseConfig', rest.baseConfig, 'nothing when base is an Initializer function (configure the function instead)', 'spectral-normal');
    return buildWith(base, spectralNormalPlugin.resolveConfig(rest));
  }
  return build(spectralNormalPlugin.resolveConfig(config));
}
