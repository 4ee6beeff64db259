import { Matrix, QrDecomposition } from 'ml-matrix';
import { Rng } from '@descent/tensor';

/** Fixture numbers: JSON has no Infinity/NaN, so tools/golden/spectrum.py writes them as strings. */
export function num(x: number | string): number {
  return typeof x === 'string' ? Number(x) : x;
}

/** Row-major m×n Gaussian matrix with entries N(0, scale²). */
export function gaussian(rng: Rng, m: number, n: number, scale = 1): Float64Array {
  const a = new Float64Array(m * n);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal() * scale;
  return a;
}

/** An m×n matrix with orthonormal columns (m ≥ n) or rows (m < n): Q of the QR of a Gaussian. */
export function orthogonal(rng: Rng, m: number, n: number): Float64Array {
  const tall = m >= n;
  const [r, c] = tall ? [m, n] : [n, m];
  const g = new Matrix(r, c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) g.set(i, j, rng.normal());
  const q = new QrDecomposition(g).orthogonalMatrix; // r×c, orthonormal columns
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = tall ? q.get(i, j) : q.get(j, i);
  return out;
}

/** Rows of a row-major matrix, for APIs that take number[][]. */
export function rows(a: Float64Array, m: number, n: number): number[][] {
  return Array.from({ length: m }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)));
}

/** Largest |a − b| / scale. */
export function maxRelError(actual: ArrayLike<number>, expected: ArrayLike<number>, scale?: (i: number) => number): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (scale ? scale(i) : Math.abs(expected[i])));
  return worst;
}
