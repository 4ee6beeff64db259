/**
 * Singular values only, by Golub–Kahan: Householder bidiagonalisation of a row-major Float64Array
 * followed by implicit-shift QR on the bidiagonal (the values-only part of JAMA's SVD, which
 * ml-matrix also uses). Written out because ml-matrix's SVD, even with both vector flags off, runs
 * its right-reflector update column-wise on row arrays; this version touches memory row by row in
 * two fused passes per step and is measurably faster (see README).
 */

/** Singular values, descending, of the m×n row-major matrix `a` (which is overwritten). */
export function bidiagonalSingularValues(a: Float64Array, m: number, n: number): Float64Array {
  if (m < n) {
    // Work on the transpose so that rows ≥ columns.
    const t = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
    return bidiagonalSingularValues(t, n, m);
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  bidiagonalize(a, m, n, d, e);
  bidiagonalQr(d, e);
  return d;
}

/** Householder bidiagonalisation (m ≥ n): fills diagonal `d` and superdiagonal `e` (e[n−1] = 0). */
function bidiagonalize(a: Float64Array, m: number, n: number, d: Float64Array, e: Float64Array): void {
  const v = new Float64Array(m);
  const w = new Float64Array(n);
  const u = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // Left reflector H = I − τ v vᵀ (v₀ = 1) mapping a[k:m, k] to (β, 0, …).
    for (let i = k; i < m; i++) v[i] = a[i * n + k];
    const alpha = v[k];
    const below = hypotNorm(v, k + 1, m);
    let tau = 0;
    if (below === 0) {
      d[k] = alpha;
    } else {
      const beta = alpha >= 0 ? -hypot(alpha, below) : hypot(alpha, below);
      tau = (beta - alpha) / beta;
      const scale = 1 / (alpha - beta);
      for (let i = k + 1; i < m; i++) v[i] *= scale;
      v[k] = 1;
      d[k] = beta;
    }
    // w = vᵀ A[k:m, k+1:n], accumulated row by row.
    const c0 = k + 1;
    if (c0 >= n) break;
    if (tau !== 0) {
      w.fill(0, c0, n);
      // Four rows at a time, so that w is loaded and stored a quarter as often.
      let i = k;
      for (; i + 3 < m; i += 4) {
        const v0 = v[i], v1 = v[i + 1], v2 = v[i + 2], v3 = v[i + 3];
        const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
        for (let j = c0; j < n; j++) w[j] += v0 * a[r0 + j] + v1 * a[r1 + j] + v2 * a[r2 + j] + v3 * a[r3 + j];
      }
      for (; i < m; i++) {
        const vi = v[i];
        const row = i * n;
        for (let j = c0; j < n; j++) w[j] += vi * a[row + j];
      }
      for (let j = c0; j < n; j++) w[j] *= tau;
    }
    // Row k after the left update gives the right reflector G = I − σ u uᵀ (u₀ = 1) mapping
    // a[k, k+1:n] to (γ, 0, …).
    let sigma = 0;
    if (c0 < n - 1) {
      const rowk = k * n;
      for (let j = c0; j < n; j++) u[j] = tau !== 0 ? a[rowk + j] - w[j] : a[rowk + j];
      const ua = u[c0];
      const rest = hypotNorm(u, c0 + 1, n);
      if (rest === 0) {
        e[k] = ua;
      } else {
        const gamma = ua >= 0 ? -hypot(ua, rest) : hypot(ua, rest);
        sigma = (gamma - ua) / gamma;
        const scale = 1 / (ua - gamma);
        for (let j = c0 + 1; j < n; j++) u[j] *= scale;
        u[c0] = 1;
        e[k] = gamma;
      }
    } else {
      e[k] = tau !== 0 ? a[k * n + c0] - w[c0] : a[k * n + c0];
    }
    // One pass over rows k+1…m−1: left update and the dot product with u in one loop, then the
    // right update.
    for (let i = k + 1; i < m; i++) {
      const row = i * n;
      const vi = tau !== 0 ? v[i] : 0;
      let z = 0;
      if (vi !== 0) {
        if (sigma !== 0) {
          for (let j = c0; j < n; j++) {
            const x = a[row + j] - vi * w[j];
            a[row + j] = x;
            z += x * u[j];
          }
        } else {
          for (let j = c0; j < n; j++) a[row + j] -= vi * w[j];
        }
      } else if (sigma !== 0) {
        for (let j = c0; j < n; j++) z += a[row + j] * u[j];
      }
      z *= sigma;
      if (z !== 0) for (let j = c0; j < n; j++) a[row + j] -= z * u[j];
    }
  }
  e[n - 1] = 0;
}

/** Euclidean norm of x[from:to] without overflow or underflow. */
function hypotNorm(x: Float64Array, from: number, to: number): number {
  let scale = 0;
  for (let i = from; i < to; i++) scale = Math.max(scale, Math.abs(x[i]));
  if (scale === 0) return 0;
  let sum = 0;
  for (let i = from; i < to; i++) {
    const y = x[i] / scale;
    sum += y * y;
  }
  return scale * Math.sqrt(sum);
}

function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y !== 0) {
    const r = x / y;
    return y * Math.sqrt(1 + r * r);
  }
  return 0;
}

/**
 * Singular values of the upper bidiagonal matrix (diagonal s, superdiagonal e, e[n−1] = 0) by
 * implicit-shift QR with deflation (Golub & Reinsch; JAMA's loop without vectors). On return `s`
 * holds them, non-negative and descending.
 */
function bidiagonalQr(s: Float64Array, e: Float64Array): void {
  const eps = Number.EPSILON;
  let p = s.length;
  const pp = p - 1;
  let iter = 0;
  const maxIter = 75 * s.length + 100;
  while (p > 0) {
    if (iter > maxIter) throw new Error('bidiagonal QR did not converge');
    let k: number;
    let kase: number;
    for (k = p - 2; k >= -1; k--) {
      if (k === -1) break;
      const alpha = Number.MIN_VALUE + eps * Math.abs(s[k] + Math.abs(s[k + 1]));
      if (Math.abs(e[k]) <= alpha || Number.isNaN(e[k])) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks >= k; ks--) {
        if (ks === k) break;
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    switch (kase) {
      case 1: {
        // Deflate negligible s[p−1].
        let f = e[p - 2];
        e[p - 2] = 0;
        for (let j = p - 2; j >= k; j--) {
          const t = hypot(s[j], f);
          const cs = s[j] / t;
          const sn = f / t;
          s[j] = t;
          if (j !== k) {
            f = -sn * e[j - 1];
            e[j - 1] = cs * e[j - 1];
          }
        }
        break;
      }
      case 2: {
        // Split at negligible s[k−1].
        let f = e[k - 1];
        e[k - 1] = 0;
        for (let j = k; j < p; j++) {
          const t = hypot(s[j], f);
          const cs = s[j] / t;
          const sn = f / t;
          s[j] = t;
          f = -sn * e[j];
          e[j] = cs * e[j];
        }
        break;
      }
      case 3: {
        // One QR step with the Wilkinson-like shift.
        const scale = Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2]), Math.abs(e[p - 2]), Math.abs(s[k]), Math.abs(e[k]));
        const sp = s[p - 1] / scale;
        const spm1 = s[p - 2] / scale;
        const epm1 = e[p - 2] / scale;
        const sk = s[k] / scale;
        const ek = e[k] / scale;
        const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
        const c = sp * epm1 * (sp * epm1);
        let shift = 0;
        if (b !== 0 || c !== 0) {
          shift = b < 0 ? -Math.sqrt(b * b + c) : Math.sqrt(b * b + c);
          shift = c / (b + shift);
        }
        let f = (sk + sp) * (sk - sp) + shift;
        let g = sk * ek;
        for (let j = k; j < p - 1; j++) {
          let t = hypot(f, g);
          if (t === 0) t = Number.MIN_VALUE;
          let cs = f / t;
          let sn = g / t;
          if (j !== k) e[j - 1] = t;
          f = cs * s[j] + sn * e[j];
          e[j] = cs * e[j] - sn * s[j];
          g = sn * s[j + 1];
          s[j + 1] = cs * s[j + 1];
          t = hypot(f, g);
          if (t === 0) t = Number.MIN_VALUE;
          cs = f / t;
          sn = g / t;
          s[j] = t;
          f = cs * e[j] + sn * s[j + 1];
          s[j + 1] = -sn * e[j] + cs * s[j + 1];
          g = sn * e[j + 1];
          e[j + 1] = cs * e[j + 1];
        }
        e[p - 2] = f;
        iter++;
        break;
      }
      default: {
        // Convergence: make s[k] non-negative and move it into place.
        if (s[k] <= 0) s[k] = s[k] < 0 ? -s[k] : 0;
        while (k < pp) {
          if (s[k] >= s[k + 1]) break;
          const t = s[k];
          s[k] = s[k + 1];
          s[k + 1] = t;
          k++;
        }
        iter = 0;
        p--;
      }
    }
  }
}
