import { DescentError, InvalidParameterError, checkNumber } from '@descent/tensor';
import { bidiagonalSingularValues } from './bidiagonal';
import { toWeightMatrix, type WeightInput, type WeightMatrix } from './matrix';
import { randomizedSingularValues } from './randomized';

/** How singular values are computed. */
export type SpectrumMethod = 'full' | 'randomized' | 'auto';
export const METHODS: readonly SpectrumMethod[] = ['full', 'randomized', 'auto'];

/**
 * 'auto' uses the randomised solver for the top k singular values when the smaller side of the
 * matrix is at least this long and k ≤ max(2, side/128). Measured crossover (README): k ≤ 2 is
 * 2–4× faster than the full SVD from 256² on; k = 4 from 512², k = 8 from 1024²; k = 16 loses at
 * 512² and barely wins at 1024².
 */
export const AUTO_RANDOMIZED_MIN_SIDE = 256;

/** Options of the randomised solver (method 'randomized', or 'auto' on large matrices). */
export interface RandomizedSolverOptions {
  /** Extra vectors in the Krylov block beyond k. Default 2. */
  oversampling?: number;
  /** Relative change of the top-k estimates over one iteration at which to stop. Default 1e-9. */
  tol?: number;
  /** Most power iterations; without convergence by then a DescentError (code NOT_CONVERGED) is thrown. Default 100. */
  maxIterations?: number;
  /** Seed of the random start block. Default 0. */
  seed?: number | string;
}

/** Options of `singularValues`. */
export interface SingularValuesOptions extends RandomizedSolverOptions {
  /** Only the k largest. Required for 'randomized'; without it every singular value is returned. */
  k?: number;
  /**
   * 'full' (default without k): every singular value by Golub–Kahan bidiagonalisation and
   * implicit QR, values only. 'randomized': the k largest by randomised block Krylov iteration,
   * each a lower bound accurate to about `tol`. 'auto': 'randomized' when k is given,
   * min(m, n) ≥ 256 and k ≤ max(2, min(m, n)/128) (where it was measured faster), otherwise 'full'.
   */
  method?: SpectrumMethod;
}

/** The method 'auto' resolves to for the top `k` singular values of `w`. */
export function resolveMethod(method: SpectrumMethod, w: WeightMatrix, k: number | undefined): 'full' | 'randomized' {
  if (method !== 'auto') return method;
  const side = Math.min(w.rows, w.cols);
  return k !== undefined && side >= AUTO_RANDOMIZED_MIN_SIDE && k <= Math.max(2, side / 128) ? 'randomized' : 'full';
}

/**
 * Singular values of a weight, descending, in float64 (see `toWeightMatrix` for how tensors are
 * read: a [..., out] tfjs tensor is the [out, prod(rest)] matrix, torch's `weight.view(out, -1)`).
 *
 * @example
 * singularValues(dense.getWeights()[0]);            // all min(in, out) values
 * singularValues(kernel, { k: 5, method: 'auto' }); // the top 5, randomised when large
 */
export function singularValues(weight: WeightInput, options: SingularValuesOptions = {}): Float64Array {
  const w = toWeightMatrix(weight);
  return computeSingularValues(w, options).values;
}

/** σ_max of a weight; 'auto' (default) is randomised for min(m, n) ≥ 256 (to ~1e-10 relative), exact below. */
export function spectralNorm(weight: WeightInput, options: Omit<SingularValuesOptions, 'k'> = {}): number {
  const w = toWeightMatrix(weight);
  return computeSingularValues(w, { ...options, method: options.method ?? 'auto', k: 1 }).values[0];
}

/** Validated dispatch shared by the public functions. */
export function computeSingularValues(
  w: WeightMatrix,
  options: SingularValuesOptions,
): { values: Float64Array; method: 'full' | 'randomized'; iterations?: number; converged?: boolean } {
  const { k, method = 'full' } = options;
  if (!METHODS.includes(method)) throw new InvalidParameterError('method', method, METHODS.join(', '));
  const side = Math.min(w.rows, w.cols);
  if (k !== undefined) checkNumber('k', k, { min: 1, max: side, integer: true });
  const resolved = resolveMethod(method, w, k);
  if (resolved === 'full') {
    const values = bidiagonalSingularValues(w.data.slice(), w.rows, w.cols);
    return { values: k === undefined ? values : values.slice(0, k), method: 'full' };
  }
  if (k === undefined) throw new InvalidParameterError('k', k, 'an integer ≥ 1 when method is "randomized"');
  const { oversampling = 2, tol = 1e-9, maxIterations = 100, seed = 0 } = options;
  checkNumber('oversampling', oversampling, { min: 0, integer: true });
  checkNumber('tol', tol, { min: 0, minExclusive: true });
  checkNumber('maxIterations', maxIterations, { min: 1, integer: true });
  const r = randomizedSingularValues(w.data, w.rows, w.cols, { k, oversampling, tol, maxIterations, seed });
  if (!r.converged) {
    throw new DescentError(
      'NOT_CONVERGED',
      `The top ${k} singular values did not settle to tol ${tol} within maxIterations ${maxIterations} ` +
        `(${r.matvecs} matrix-vector products); raise maxIterations or tol, or use method 'full'.`,
    );
  }
  return { values: r.values, method: 'randomized', iterations: r.iterations, converged: r.converged };
}
