import { InvalidParameterError, checkNumber } from '@descent/tensor';

/** Which definition `rankRatio` reports. */
export type RankVariant = 'entropy' | 'book';
export const RANK_VARIANTS: readonly RankVariant[] = ['entropy', 'book'];

/** Options of `spectrumMetrics`. */
export interface MetricOptions {
  /**
   * Which ratio `rankRatio` is: 'entropy' (default) the effective rank of Roy & Vetterli over
   * min(m, n); 'book' the cumulative-95 % count of the book's code over min(m, n).
   */
  variant?: RankVariant;
  /** Share of Σσ the book's cumulative count stops below. Default 0.95. */
  threshold?: number;
  /**
   * Relative tolerance below which a singular value counts as zero (numerical rank, singular
   * condition number): σ ≤ rtol·σ_max. Default max(m, n)·ε, numpy.linalg.matrix_rank's rule, with
   * ε the machine epsilon of the input (2⁻²³ for float32 tensors, 2⁻⁵² for float64 data).
   */
  rtol?: number;
  /** Machine epsilon used for the default rtol. Default 2⁻⁵². */
  eps?: number;
}

/** Every metric of one weight matrix, from its singular values. */
export interface SpectrumMetrics {
  /** σ_max, the operator 2-norm. */
  spectralNorm: number;
  /** σ_max / σ_min over the min(m, n) singular values; Infinity when σ_min ≤ tolerance (singular). */
  condition: number;
  /** Singular values above the tolerance (numpy.linalg.matrix_rank). */
  numericalRank: number;
  /** The absolute tolerance used: rtol·σ_max. */
  tolerance: number;
  /** exp(−Σ pᵢ ln pᵢ) with pᵢ = σᵢ/Σσ (Roy & Vetterli 2007); between 1 and min(m, n); 0 for a zero matrix. */
  effectiveRank: number;
  /** effectiveRank / min(m, n). */
  effectiveRankRatio: number;
  /** The book's count: singular values whose cumulative share of Σσ stays below `threshold`. */
  cumulativeRank: number;
  /** cumulativeRank / min(m, n) — the book's "effective rank ratio". */
  cumulativeRankRatio: number;
  /** ‖W‖²_F / σ²_max (Rudelson & Vershynin 2007); 0 for a zero matrix. */
  stableRank: number;
  /** effectiveRankRatio or cumulativeRankRatio, per `variant`. */
  rankRatio: number;
  variant: RankVariant;
}

/** Throws InvalidParameterError for a bad variant, threshold, rtol or eps. */
export function checkMetricOptions(options: MetricOptions): void {
  const { variant = 'entropy', threshold = 0.95, rtol, eps } = options;
  if (!RANK_VARIANTS.includes(variant)) throw new InvalidParameterError('variant', variant, RANK_VARIANTS.join(', '));
  checkNumber('threshold', threshold, { min: 0, max: 1, minExclusive: true });
  if (rtol !== undefined) checkNumber('rtol', rtol, { min: 0 });
  if (eps !== undefined) checkNumber('eps', eps, { min: 0, max: 1, minExclusive: true });
}

/**
 * All metrics of an m×n matrix from its min(m, n) singular values `s`, sorted descending.
 *
 * The book's rank ratio (REFERENCE.md) is `np.sum(np.cumsum(s) / np.sum(s) < threshold) / min(m, n)`:
 * the singular values counted before the cumulative share reaches the threshold, *not* the number
 * needed to reach it (one fewer whenever no share equals the threshold exactly). This counting is
 * what reproduces the book's table (orthogonal 0.95, Gaussian inits 0.89); "needed to reach" gives
 * 0.97 and 0.92. With a single singular value (min(m, n) = 1, e.g. a 1-D weight such as a PReLU
 * slope) the literal count is 0, since the first share is already 100 %; the book's table counts
 * such an entry as rank ratio 1, so 1 is returned there.
 */
export function spectrumMetrics(s: ArrayLike<number>, m: number, n: number, options: MetricOptions = {}): SpectrumMetrics {
  checkMetricOptions(options);
  const { variant = 'entropy', threshold = 0.95, eps = 2 ** -52 } = options;
  checkNumber('m', m, { min: 1, integer: true });
  checkNumber('n', n, { min: 1, integer: true });
  const k = Math.min(m, n);
  if (s.length !== k) throw new InvalidParameterError('singularValues.length', s.length, `min(m, n) = ${k}`);
  for (let i = 0; i < k; i++) {
    if (!(s[i] >= 0) || !Number.isFinite(s[i]) || (i > 0 && s[i] > s[i - 1])) {
      throw new InvalidParameterError('singularValues', `${s[i]} at index ${i}`, 'finite, non-negative, sorted descending');
    }
  }
  const rtol = options.rtol ?? Math.max(m, n) * eps;
  const sMax = s[0];
  const tolerance = rtol * sMax;
  let total = 0;
  let squares = 0;
  let numericalRank = 0;
  for (let i = 0; i < k; i++) {
    total += s[i];
    squares += s[i] * s[i];
    if (s[i] > tolerance) numericalRank++;
  }
  const sMin = s[k - 1];
  const condition = sMax === 0 || sMin <= tolerance ? Infinity : sMax / sMin;
  let entropy = 0;
  let cumulativeRank = 0;
  if (total > 0) {
    let running = 0;
    for (let i = 0; i < k; i++) {
      const p = s[i] / total;
      if (p > 0) entropy -= p * Math.log(p);
      running += s[i];
      if (running / total < threshold) cumulativeRank++;
    }
  }
  const effectiveRank = total > 0 ? Math.exp(entropy) : 0;
  // A single non-zero singular value: the book counts it as rank 1 (the literal count is 0).
  if (k === 1 && total > 0) cumulativeRank = 1;
  const cumulativeRankRatio = cumulativeRank / k;
  const effectiveRankRatio = effectiveRank / k;
  return {
    spectralNorm: sMax,
    condition,
    numericalRank,
    tolerance,
    effectiveRank,
    effectiveRankRatio,
    cumulativeRank,
    cumulativeRankRatio,
    stableRank: sMax > 0 ? squares / (sMax * sMax) : 0,
    rankRatio: variant === 'book' ? cumulativeRankRatio : effectiveRankRatio,
    variant,
  };
}
