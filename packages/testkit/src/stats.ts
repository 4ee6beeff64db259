// Sampling statistics for initializer tests: the TS draws are compared with torch's
// expected std within a number of standard errors computed from the sample size, never values.
import { initContext, Rng, type Initializer } from '@descent/tensor';

export interface Stats {
  n: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** Pools `draws` draws (seeds seed0, seed0+1, …) of `init` for `shape`, in float64. */
export function drawStats(init: Initializer, shape: number[], draws: number, seed0 = 1000, partial = {}): Stats {
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let d = 0; d < draws; d++) {
    const t = init(shape, initContext(shape, { rng: new Rng(seed0 + d), ...partial }));
    const v = t.dataSync();
    t.dispose();
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      sum += x;
      sumSq += x * x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    n += v.length;
  }
  const mean = sum / n;
  return { n, mean, std: Math.sqrt((sumSq - n * mean * mean) / (n - 1)), min, max };
}

/** Draws enough tensors of `shape` for about `target` samples (at least 2, at most 40). */
export function drawsFor(shape: number[], target = 200_000): number {
  const size = shape.reduce((a, b) => a * b, 1);
  return Math.min(40, Math.max(2, Math.ceil(target / size)));
}

/** Kurtosis E[x⁴]/σ⁴ of the distributions the initializers draw from. */
export const KURTOSIS = { normal: 3, uniform: 9 / 5 } as const;

/** Standard error of a sample std of n iid draws: σ·√((κ − 1)/(4n)). */
export function stdError(sigma: number, n: number, kurtosis: number): number {
  return sigma * Math.sqrt((kurtosis - 1) / (4 * n));
}

/** How many standard errors the tests allow (two-sided p ≈ 6e-7 per comparison). */
export const Z = 5;

/** Root mean square of the values (float64). */
export function rms(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return Math.sqrt(s / values.length);
}

