// src/randomized.ts
import { Rng } from "@descent/tensor";

// src/bidiagonal.ts
function bidiagonalSingularValues(a2, m, n2) {
  if (m < n2) {
    const t = new Float64Array(m * n2);
    for (let i = 0; i < m; i++) for (let j = 0; j < n2; j++) t[j * m + i] = a2[i * n2 + j];
    return bidiagonalSingularValues(t, n2, m);
  }
  const d = new Float64Array(n2);
  const e = new Float64Array(n2);
  bidiagonalize(a2, m, n2, d, e);
  bidiagonalQr(d, e);
  return d;
}
function bidiagonalize(a2, m, n2, d, e) {
  const v = new Float64Array(m);
  const w = new Float64Array(n2);
  const u = new Float64Array(n2);
  for (let k = 0; k < n2; k++) {
    for (let i = k; i < m; i++) v[i] = a2[i * n2 + k];
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
    if (c0 >= n2) break;
    if (tau !== 0) {
      w.fill(0, c0, n2);
      let i = k;
      for (; i + 3 < m; i += 4) {
        const v0 = v[i], v1 = v[i + 1], v2 = v[i + 2], v3 = v[i + 3];
        const r0 = i * n2, r1 = r0 + n2, r2 = r1 + n2, r3 = r2 + n2;
        for (let j = c0; j < n2; j++) w[j] += v0 * a2[r0 + j] + v1 * a2[r1 + j] + v2 * a2[r2 + j] + v3 * a2[r3 + j];
      }
      for (; i < m; i++) {
        const vi = v[i];
        const row = i * n2;
        for (let j = c0; j < n2; j++) w[j] += vi * a2[row + j];
      }
      for (let j = c0; j < n2; j++) w[j] *= tau;
    }
    let sigma = 0;
    if (c0 < n2 - 1) {
      const rowk = k * n2;
      for (let j = c0; j < n2; j++) u[j] = tau !== 0 ? a2[rowk + j] - w[j] : a2[rowk + j];
      const ua = u[c0];
      const rest = hypotNorm(u, c0 + 1, n2);
      if (rest === 0) {
        e[k] = ua;
      } else {
        const gamma = ua >= 0 ? -hypot(ua, rest) : hypot(ua, rest);
        sigma = (gamma - ua) / gamma;
        const scale = 1 / (ua - gamma);
        for (let j = c0 + 1; j < n2; j++) u[j] *= scale;
        u[c0] = 1;
        e[k] = gamma;
      }
    } else {
      e[k] = tau !== 0 ? a2[k * n2 + c0] - w[c0] : a2[k * n2 + c0];
    }
    for (let i = k + 1; i < m; i++) {
      const row = i * n2;
      const vi = tau !== 0 ? v[i] : 0;
      let z = 0;
      if (vi !== 0) {
        if (sigma !== 0) {
          for (let j = c0; j < n2; j++) {
            const x = a2[row + j] - vi * w[j];
            a2[row + j] = x;
            z += x * u[j];
          }
        } else {
          for (let j = c0; j < n2; j++) a2[row + j] -= vi * w[j];
        }
      } else if (sigma !== 0) {
        for (let j = c0; j < n2; j++) z += a2[row + j] * u[j];
      }
      z *= sigma;
      if (z !== 0) for (let j = c0; j < n2; j++) a2[row + j] -= z * u[j];
    }
  }
  e[n2 - 1] = 0;
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
function hypot(a2, b) {
  const x = Math.abs(a2);
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
function randomizedSingularValues(a2, m, n2, options) {
  const { k, oversampling = 5, tol = 1e-9, maxIterations = 100, seed = 0 } = options;
  const full = Math.min(m, n2);
  const l = Math.min(k + oversampling, full);
  const maxBlocks = Math.max(1, Math.min(maxIterations + 1, Math.ceil(full / l)));
  const maxRows = maxBlocks * l;
  const rng2 = new Rng(seed);
  const omegaT = new Float64Array(l * n2);
  for (let i = 0; i < omegaT.length; i++) omegaT[i] = rng2.normal();
  const qT = new Float64Array(maxRows * m);
  const zT = new Float64Array(maxRows * n2);
  const gram = new Float64Array(maxRows * maxRows);
  const block = (x, i, len) => x.subarray(i * l * len, (i + 1) * l * len);
  multiply(a2, m, n2, omegaT, l, block(qT, 0, m));
  orthonormalize(qT, 0, l, m);
  let matvecs = l;
  let previous;
  let ritz = new Float64Array(0);
  let converged = false;
  let blocks = 0;
  for (let j = 0; j < maxBlocks; j++) {
    blocks = j + 1;
    multiplyTransposed(a2, m, n2, block(qT, j, m), l, block(zT, j, n2));
    matvecs += l;
    const rows = blocks * l;
    for (let r = j * l; r < rows; r++) {
      for (let c = 0; c <= r; c++) {
        let dot = 0;
        const zr = r * n2;
        const zc = c * n2;
        for (let t = 0; t < n2; t++) dot += zT[zr + t] * zT[zc + t];
        gram[r * maxRows + c] = dot;
        gram[c * maxRows + r] = dot;
      }
    }
    ritz = ritzValues(gram, maxRows, rows, Math.min(k, rows));
    const complete = rows >= full || blockIsZero(qT, j * l, l, m);
    if (complete || previous !== void 0 && maxChange(previous, ritz) <= tol) {
      converged = true;
      break;
    }
    previous = ritz;
    if (j + 1 === maxBlocks) break;
    multiply(a2, m, n2, block(zT, j, n2), l, block(qT, j + 1, m));
    matvecs += l;
    orthonormalize(qT, (j + 1) * l, l, m);
  }
  const kk = Math.min(k, ritz.length);
  if (kk > 0 && ritz[0] > 0 && ritz[kk - 1] < 1e-4 * ritz[0]) {
    const rows = blocks * l;
    ritz = bidiagonalSingularValues(zT.slice(0, rows * n2), rows, n2).slice(0, kk);
  }
  return { values: ritz.slice(0, kk), iterations: blocks - 1, converged, matvecs };
}
function ritzValues(gram, stride, rows, count) {
  const g = new Float64Array(rows * rows);
  for (let r = 0; r < rows; r++) g.set(gram.subarray(r * stride, r * stride + rows), r * rows);
  const lambda = bidiagonalSingularValues(g, rows, rows);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.sqrt(lambda[i]);
  return out;
}
function maxChange(before, after) {
  let worst = 0;
  for (let i = 0; i < after.length; i++) {
    if (after[i] === 0) continue;
    worst = Math.max(worst, Math.abs(after[i] - (before[i] ?? 0)) / after[i]);
  }
  return worst;
}
function blockIsZero(v, from, count, len) {
  for (let i = from * len; i < (from + count) * len; i++) if (v[i] !== 0) return false;
  return true;
}
function multiply(a2, m, n2, xT, l, outT) {
  for (let i = 0; i < m; i++) {
    const row = i * n2;
    let c = 0;
    for (; c + 3 < l; c += 4) {
      const x0 = c * n2;
      const x1 = x0 + n2;
      const x2 = x1 + n2;
      const x3 = x2 + n2;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < n2; j++) {
        const v = a2[row + j];
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
      const x0 = c * n2;
      let s0 = 0;
      for (let j = 0; j < n2; j++) s0 += a2[row + j] * xT[x0 + j];
      outT[c * m + i] = s0;
    }
  }
}
function multiplyTransposed(a2, m, n2, yT, l, outT) {
  outT.fill(0);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const r0 = i * n2;
    const r1 = r0 + n2;
    const r2 = r1 + n2;
    const r3 = r2 + n2;
    for (let c = 0; c < l; c++) {
      const y = c * m + i;
      const y0 = yT[y];
      const y1 = yT[y + 1];
      const y2 = yT[y + 2];
      const y3 = yT[y + 3];
      const out = c * n2;
      for (let j = 0; j < n2; j++) outT[out + j] += y0 * a2[r0 + j] + y1 * a2[r1 + j] + y2 * a2[r2 + j] + y3 * a2[r3 + j];
    }
  }
  for (; i < m; i++) {
    const row = i * n2;
    for (let c = 0; c < l; c++) {
      const y = yT[c * m + i];
      const out = c * n2;
      for (let j = 0; j < n2; j++) outT[out + j] += y * a2[row + j];
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
    if (norm2 === 0 || norm2 <= 1e-20 * before) {
      v.fill(0, vc, vc + len);
    } else {
      const inv = 1 / Math.sqrt(norm2);
      for (let j = 0; j < len; j++) v[vc + j] *= inv;
    }
  }
}

// b6.tmp.ts
import { Rng as Rng2 } from "@descent/tensor";
var n = +process.argv[2];
var rng = new Rng2(3);
var a = new Float64Array(n * n);
for (let i = 0; i < a.length; i++) a[i] = rng.normal() / Math.sqrt(n);
var ref = randomizedSingularValues(a, n, n, { k: 10, tol: 1e-14, maxIterations: 300 }).values;
for (const k of [1, 5]) for (const p of [0, 1, 2, 5, 10]) {
  const t = performance.now();
  const r = randomizedSingularValues(a, n, n, { k, tol: 1e-8, oversampling: p, maxIterations: 300 });
  const err = Math.max(...Array.from(r.values, (x, i) => Math.abs(x - ref[i]) / ref[i]));
  console.log(n, "k", k, "p", p, "ms", (performance.now() - t).toFixed(0), "it", r.iterations, "matvecs", r.matvecs, "err", err.toExponential(2));
}
