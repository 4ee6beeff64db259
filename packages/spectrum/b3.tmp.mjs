// src/bidiagonal.ts
function bidiagonalSingularValues(a, m, n) {
  if (m < n) {
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
function bidiagonalize(a, m, n, d, e) {
  const v = new Float64Array(m);
  const w = new Float64Array(n);
  const u = new Float64Array(n);
  for (let k = 0; k < n; k++) {
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
    const c0 = k + 1;
    if (c0 >= n) break;
    if (tau !== 0) {
      w.fill(0, c0, n);
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
function hypotNorm(x, from, to) {
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
function hypot(a, b) {
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
function bidiagonalQr(s, e) {
  const eps = Number.EPSILON;
  let p = s.length;
  const pp = p - 1;
  let iter = 0;
  const maxIter = 75 * s.length + 100;
  while (p > 0) {
    if (iter > maxIter) throw new Error("bidiagonal QR did not converge");
    let k;
    let kase;
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
      let ks;
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

// src/randomized.ts
import { Rng } from "@descent/tensor";
function randomizedSingularValues(a, m, n, options) {
  const { k, oversampling = 10, powerIterations = 4, seed = 0 } = options;
  const l = Math.min(k + oversampling, m, n);
  const rng = new Rng(seed);
  const omegaT = new Float64Array(l * n);
  for (let i = 0; i < omegaT.length; i++) omegaT[i] = rng.normal();
  const blocks = powerIterations + 1;
  const qT = new Float64Array(blocks * l * m);
  const zT = new Float64Array(blocks * l * n);
  const block = (x, i, len) => x.subarray(i * l * len, (i + 1) * l * len);
  multiply(a, m, n, omegaT, l, block(qT, 0, m));
  orthonormalize(qT, 0, l, m);
  for (let it = 1; it < blocks; it++) {
    multiplyTransposed(a, m, n, block(qT, it - 1, m), l, block(zT, it - 1, n));
    multiply(a, m, n, block(zT, it - 1, n), l, block(qT, it, m));
    orthonormalize(qT, it * l, l, m);
  }
  multiplyTransposed(a, m, n, block(qT, blocks - 1, m), l, block(zT, blocks - 1, n));
  const rows = blocks * l;
  return bidiagonalSingularValues(zT, rows, n).slice(0, Math.min(k, rows));
}
function multiply(a, m, n, xT, l, outT) {
  for (let i = 0; i < m; i++) {
    const row = i * n;
    let c = 0;
    for (; c + 3 < l; c += 4) {
      const x0 = c * n, x1 = x0 + n, x2 = x1 + n, x3 = x2 + n;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
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
function multiplyTransposed(a, m, n, yT, l, outT) {
  outT.fill(0);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
    for (let c = 0; c < l; c++) {
      const y = c * m + i;
      const y0 = yT[y], y1 = yT[y + 1], y2 = yT[y + 2], y3 = yT[y + 3];
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
function orthonormalize(v, from, count, len) {
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
    if (norm2 <= 1e-20 * before || norm2 === 0) {
      v.fill(0, vc, vc + len);
    } else {
      const inv = 1 / Math.sqrt(norm2);
      for (let j = 0; j < len; j++) v[vc + j] *= inv;
    }
  }
}

// b3.tmp.ts
import { Rng as Rng2 } from "@descent/tensor";
var sizes = process.argv.slice(2).map(Number);
for (const n of sizes) {
  const rng = new Rng2(3);
  const a = new Float64Array(n * n);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal() / Math.sqrt(n);
  let t = performance.now();
  const full = n <= 1024 ? bidiagonalSingularValues(a.slice(), n, n) : null;
  const tf_ = performance.now() - t;
  for (const q of [1, 2, 4, 8]) for (const k of [1, 10]) {
    t = performance.now();
    const r = randomizedSingularValues(a, n, n, { k, powerIterations: q });
    const tr = performance.now() - t;
    const errs = full ? Array.from(r, (x, i) => Math.abs(x - full[i]) / full[i]) : [];
    console.log(n, "q", q, "k", k, "time", tr.toFixed(0), "full", tf_.toFixed(0), "maxrelerr", full ? Math.max(...errs).toExponential(2) : "-", r[0]);
  }
}
