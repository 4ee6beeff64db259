import { Rng } from '@descent/tensor';
import { bidiagonalSingularValues } from './bidiagonal';

/** Options of the randomised top-k singular values. */
export interface RandomizedOptions {
  /** How many of the largest singular values to return (≥ 1). */
  k: number;
  /** Extra columns of the random start block beyond k (block size k + oversampling). Default 5. */
  oversampling?: number;
  /**
   * Stop when no estimate of the top k moved by more than `tol` (relative) in one iteration.
   * Default 1e-9: on Gaussian (flat-edged, the hardest) 512²–4096² matrices the error is then
   * below 1e-7, under float32 resolution.
   */
  tol?: number;
  /** Upper bound on the power iterations (each one product with Aᵀ and one with A). Default 100. */
  maxIterations?: number;
  /** Seed of the Gaussian start block; the result is deterministic for a given seed. Default 0. */
  seed?: number | string;
}

/** What `randomizedSingularValues` did. */
export interface RandomizedResult {
  /** The k largest singular values, descending. Each is a lower bound of the true value. */
  values: Float64Array;
  /** Power iterations run. */
  iterations: number;
  /** Whether the `tol` criterion was met (or the Krylov space became exact) within maxIterations. */
  converged: boolean;
  /** Products of A or Aᵀ with a single vector. */
  matvecs: number;
}

/**
 * The k largest singular values of the m×n row-major matrix `a`, by randomised block Krylov
 * iteration: the range finder of Halko, Martinsson & Tropp (2011, Alg. 4.4, power iterations with
 * re-orthonormalisation), keeping every block of the sequence AΩ, (AAᵀ)AΩ, (AAᵀ)²AΩ, … as a basis Q
 * (their §4.6; Musco & Musco 2015) instead of only the last. Ritz values are the singular values
 * of B = QᵀA. Kept whole, the space converges far faster on the flat spectral edge of random
 * (freshly initialised) weights: on a Gaussian 1024² matrix, 8 power iterations give relative
 * errors ~1e-3 for the last block alone and ~1e-4 for the whole space, and the latter reaches 1e-7
 * after ~16.
 *
 * Ritz values are read from the small Gram matrix BBᵀ, updated by one block per iteration; its
 * eigenvalues square the singular values, which costs relative accuracy only for values below
 * ~1e-4·σ₁: when the smallest requested one is that small, the final values come from an SVD of B.
 */
export function randomizedSingularValues(a: Float64Array, m: number, n: number, options: RandomizedOptions): RandomizedResult {
  const { k, oversampling = 5, tol = 1e-9, maxIterations = 100, seed = 0 } = options;
  const full = Math.min(m, n);
  const l = Math.min(k + oversampling, full);
  const maxBlocks = Math.max(1, Math.min(maxIterations + 1, Math.ceil(full / l)));
  const maxRows = maxBlocks * l;
  const rng = new Rng(seed);
  // Ω and every block are stored transposed (one vector per row) so that all products below run
  // over contiguous memory.
  const omegaT = new Float64Array(l * n);
  for (let i = 0; i < omegaT.length; i++) omegaT[i] = rng.normal();
  const qT = new Float64Array(maxRows * m); // Q: orthonormal basis of the block Krylov space.
  const zT = new Float64Array(maxRows * n); // Z = AᵀQ, that is Bᵀ.
  const gram = new Float64Array(maxRows * maxRows); // BBᵀ = ZᵀZ.
  const block = (x: Float64Array, i: number, len: number) => x.subarray(i * l * len, (i + 1) * l * len);

  multiply(a, m, n, omegaT, l, block(qT, 0, m));
  orthonormalize(qT, 0, l, m);
  let matvecs = l;
  let previous: Float64Array | undefined;
  let ritz = new Float64Array(0);
  let converged = false;
  let blocks = 0;
  for (let j = 0; j < maxBlocks; j++) {
    blocks = j + 1;
    multiplyTransposed(a, m, n, block(qT, j, m), l, block(zT, j, n));
    matvecs += l;
    const rows = blocks * l;
    for (let r = j * l; r < rows; r++) {
      for (let c = 0; c <= r; c++) {
        let dot = 0;
        const zr = r * n;
        const zc = c * n;
        for (let t = 0; t < n; t++) dot += zT[zr + t] * zT[zc + t];
        gram[r * maxRows + c] = dot;
        gram[c * maxRows + r] = dot;
      }
    }
    ritz = ritzValues(gram, maxRows, rows, Math.min(k, rows));
    const complete = rows >= full || blockIsZero(qT, j * l, l, m);
    if (complete || (previous !== undefined && maxChange(previous, ritz) <= tol)) {
      converged = true;
      break;
    }
    previous = ritz;
    if (j + 1 === maxBlocks) break;
    multiply(a, m, n, block(zT, j, n), l, block(qT, j + 1, m));
    matvecs += l;
    orthonormalize(qT, (j + 1) * l, l, m);
  }
  const kk = Math.min(k, ritz.length);
  if (kk > 0 && ritz[0] > 0 && ritz[kk - 1] < 1e-4 * ritz[0]) {
    // Small values lose relative accuracy through the Gram matrix: take the SVD of B instead.
    const rows = blocks * l;
    ritz = bidiagonalSingularValues(zT.slice(0, rows * n), rows, n).slice(0, kk);
  }
  return { values: ritz.slice(0, kk), iterations: blocks - 1, converged, matvecs };
}

/** The top `count` singular values of B from the leading rows×rows block of the Gram matrix BBᵀ. */
function ritzValues(gram: Float64Array, stride: number, rows: number, count: number): Float64Array {
  const g = new Float64Array(rows * rows);
  for (let r = 0; r < rows; r++) g.set(gram.subarray(r * stride, r * stride + rows), r * rows);
  // BBᵀ is symmetric positive semi-definite: its singular values are its eigenvalues σᵢ(B)².
  const lambda = bidiagonalSingularValues(g, rows, rows);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.sqrt(lambda[i]);
  return out;
}

function maxChange(before: Float64Array, after: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < after.length; i++) {
    if (after[i] === 0) continue;
    worst = Math.max(worst, Math.abs(after[i] - (before[i] ?? 0)) / after[i]);
  }
  return worst;
}

function blockIsZero(v: Float64Array, from: number, count: number, len: number): boolean {
  for (let i = from * len; i < (from + count) * len; i++) if (v[i] !== 0) return false;
  return true;
}

/** outT (l×m) = (A·X)ᵀ for xT (l×n) = Xᵀ: outT[c, i] = a_i · x_c. Four columns share each load of a_i. */
function multiply(a: Float64Array, m: number, n: number, xT: Float64Array, l: number, outT: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const row = i * n;
    let c = 0;
    for (; c + 3 < l; c += 4) {
      const x0 = c * n;
      const x1 = x0 + n;
      const x2 = x1 + n;
      const x3 = x2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < n; j++) {
        const v = a[row + j];
        s0 += v * xT[x0 + j];
        s1 += v * xT[x1 + j];
        s2 += v * xT[x2 + j];
        s3 += v * xT[x3 + j];
      }
      outT[c * m + i] = s0;
      outT[(c + 1) * m + i] = s1;
      outT[(c + 2) * m + i] = s2;
      outT[(c + 3) * m + i] = s3;
    }
    for (; c < l; c++) {
      const x0 = c * n;
      let s0 = 0;
      for (let j = 0; j < n; j++) s0 += a[row + j] * xT[x0 + j];
      outT[c * m + i] = s0;
    }
  }
}

/** outT (l×n) = (Aᵀ·Y)ᵀ for yT (l×m) = Yᵀ: outT[c, :] = Σ_i y_c[i]·a_i, four rows of A at a time. */
function multiplyTransposed(a: Float64Array, m: number, n: number, yT: Float64Array, l: number, outT: Float64Array): void {
  outT.fill(0);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    for (let c = 0; c < l; c++) {
      const y = c * m + i;
      const y0 = yT[y];
      const y1 = yT[y + 1];
      const y2 = yT[y + 2];
      const y3 = yT[y + 3];
      const out = c * n;
      for (let j = 0; j < n; j++) outT[out + j] += y0 * a[r0 + j] + y1 * a[r1 + j] + y2 * a[r2 + j] + y3 * a[r3 + j];
    }
  }
  for (; i < m; i++) {
    const row = i * n;
    for (let c = 0; c < l; c++) {
      const y = yT[c * m + i];
      const out = c * n;
      for (let j = 0; j < n; j++) outT[out + j] += y * a[row + j];
    }
  }
}

/**
 * Orthonormalises rows from…from+count−1 (each of length len) of `v` in place against all rows
 * before them and each other, by Gram–Schmidt applied twice ("twice is enough", Giraud et al.
 * 2005). A row numerically inside the span of the earlier ones becomes zero; zero rows of Q add
 * zero rows to B and leave its singular values unchanged.
 */
function orthonormalize(v: Float64Array, from: number, count: number, len: number): void {
  for (let c = from; c < from + count; c++) {
    const vc = c * len;
    let before = 0;
    for (let j = 0; j < len; j++) before += v[vc + j] * v[vc + j];
    for (let pass = 0; pass < 2; pass++) {
      for (let d = 0; d < c; d++) {
        const vd = d * len;
        let dot = 0;
        for (let j = 0; j < len; j++) dot += v[vc + j] * v[vd + j];
        if (dot !== 0) for (let j = 0; j < len; j++) v[vc + j] -= dot * v[vd + j];
      }
    }
    let norm2 = 0;
    for (let j = 0; j < len; j++) norm2 += v[vc + j] * v[vc + j];
    // Cancelled to below 1e-10 of its length: the vector was (numerically) in the span already.
    if (norm2 === 0 || norm2 <= 1e-20 * before) {
      v.fill(0, vc, vc + len);
    } else {
      const inv = 1 / Math.sqrt(norm2);
      for (let j = 0; j < len; j++) v[vc + j] *= inv;
    }
  }
}
