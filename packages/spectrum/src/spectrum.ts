import { METHODS, computeSingularValues, type RandomizedSolverOptions, type SpectrumMethod } from './singular-values';
import { toWeightMatrix, type WeightInput } from './matrix';
import { checkMetricOptions, spectrumMetrics, type MetricOptions, type SpectrumMetrics } from './metrics';
import { InvalidParameterError, checkNumber } from '@descent/tensor';

/** Options of `weightSpectrum`. */
export interface WeightSpectrumOptions extends Omit<MetricOptions, 'eps'>, RandomizedSolverOptions {
  /**
   * 'full' (default; 'auto' is the same here, since most metrics need every singular value):
   * exact values. 'randomized': only the top `k` (default 1) by randomised block Krylov
   * iteration — spectralNorm and stableRank are then available, every metric that needs the
   * whole spectrum is NaN and `complete` is false.
   */
  method?: SpectrumMethod;
  /** With method 'randomized': how many top singular values to compute. Default 1. */
  k?: number;
}

/** A weight's singular values and every metric derived from them. */
export interface WeightSpectrum extends SpectrumMetrics {
  /** The input's shape (tfjs layout for tensors). */
  shape: number[];
  /** The analysed matrix [m, n]: [out, prod(rest)] for a [..., out] tensor (torch's weight.view(out, -1)). */
  matrixShape: [number, number];
  /** Descending; all min(m, n) of them, or the top k with method 'randomized'. */
  singularValues: Float64Array;
  /** ‖W‖_F, from the entries. */
  frobeniusNorm: number;
  method: 'full' | 'randomized';
  /** Whether every singular value was computed (false with method 'randomized'). */
  complete: boolean;
}

/**
 * Singular values and spectrum metrics of one weight: spectral norm, condition number (Infinity
 * when singular to the tolerance), numerical rank, effective rank (entropy, Roy & Vetterli 2007)
 * and its ratio, the book's cumulative-95 % rank ratio, stable rank. `rankRatio` is one of the two
 * ratios per `variant` ('entropy' by default, 'book' for the book's table).
 *
 * Tensors are read in tfjs layout, a [..., out] tensor as the [out, prod(rest)] matrix: dense
 * [in, out] → [out, in]; conv [kh, kw, in, out] → one row per filter; a 1-D weight [n] → the column
 * [n, 1] (one singular value, its norm: a PReLU slope a gives spectral norm |a|, condition 1,
 * rank 1, as the book counts it). The tolerance for "zero" is max(m, n)·ε·σ_max with ε of the
 * input's dtype (float32 tensors: 2⁻²³), as numpy.linalg.matrix_rank.
 *
 * @example
 * const s = weightSpectrum(dense.getWeights()[0], { variant: 'book' });
 * s.spectralNorm; s.condition; s.rankRatio; // book's cumulative-95 % ratio
 */
export function weightSpectrum(weight: WeightInput, options: WeightSpectrumOptions = {}): WeightSpectrum {
  const { method = 'full', variant = 'entropy', threshold, rtol } = options;
  if (!METHODS.includes(method)) throw new InvalidParameterError('method', method, METHODS.join(', '));
  checkMetricOptions({ variant, threshold, rtol });
  const w = toWeightMatrix(weight);
  const [m, n] = w.matrixShape;
  let frob2 = 0;
  for (let i = 0; i < w.data.length; i++) frob2 += w.data[i] * w.data[i];
  const frobeniusNorm = Math.sqrt(frob2);
  if (method === 'randomized') {
    const k = options.k ?? 1;
    checkNumber('k', k, { min: 1, max: Math.min(m, n), integer: true });
    const r = computeSingularValues(w, { ...options, method: 'randomized', k });
    const sMax = r.values[0];
    return {
      spectralNorm: sMax,
      condition: NaN,
      numericalRank: NaN,
      tolerance: NaN,
      effectiveRank: NaN,
      effectiveRankRatio: NaN,
      cumulativeRank: NaN,
      cumulativeRankRatio: NaN,
      rankRatio: NaN,
      stableRank: sMax > 0 ? frob2 / (sMax * sMax) : 0,
      variant,
      shape: w.shape,
      matrixShape: w.matrixShape,
      singularValues: r.values,
      frobeniusNorm,
      method: 'randomized',
      complete: false,
    };
  }
  const { values } = computeSingularValues(w, { method: 'full' });
  return {
    ...spectrumMetrics(values, m, n, { variant, threshold, rtol, eps: w.eps }),
    shape: w.shape,
    matrixShape: w.matrixShape,
    singularValues: values,
    frobeniusNorm,
    method: 'full',
    complete: true,
  };
}
