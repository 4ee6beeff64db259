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
  const { k, oversampling = 2, tol = 1e-9, maxIterations = 100, seed = 0 } = options;
  const full = Math.min(m, n);
  const l = Math.min(k + oversampling, full);
  const maxBlocks = Math.max(1, Math.min(maxIterations + 1, Math.ceil(full / l)));
  const rng = new Rng(seed);
  const omega = [];
  for (let c = 0; c < l; c++) {
    const v = new Float64Array(n);
    for (let j = 0; j < n; j++) v[j] = rng.normal();
    omega.push(v);
  }
  const q = [];
  const z = [];
  const gram = [];
  q.push(...multiply(a, m, n, omega));
  orthonormalize(q, 0);
  let matvecs = l;
  let previous;
  let ritz = new Float64Array(0);
  let converged = false;
  let blocks = 0;
  for (let j = 0; j < maxBlocks; j++) {
    blocks = j + 1;
    z.push(...multiplyTransposed(a, m, n, q.slice(j * l)));
    matvecs += l;
    const rows = z.length;
    for (let r = j * l; r < rows; r++) {
      const row = new Float64Array(rows);
      for (let c = 0; c <= r; c++) row[c] = dot(z[r], z[c]);
      gram.push(row);
    }
    const complete = rows >= full || q.slice(j * l).every((v) => v.every((x) => x === 0));
    const last = j + 1 === maxBlocks;
    ritz = ritzValues(gram, rows, Math.min(k, rows));
    if (complete || previous !== void 0 && maxChange(previous, ritz) <= tol) {
      converged = true;
      break;
    }
    previous = ritz;
    if (last) break;
    q.push(...multiply(a, m, n, z.slice(j * l)));
    matvecs += l;
    orthonormalize(q, (j + 1) * l);
  }
  const kk = Math.min(k, ritz.length);
  if (kk > 0 && ritz[0] > 0 && ritz[kk - 1] < 1e-4 * ritz[0]) {
    const b = new Float64Array(z.length * n);
    z.forEach((v, r) => b.set(v, r * n));
    ritz = bidiagonalSingularValues(b, z.length, n).slice(0, kk);
  }
  return { values: ritz.slice(0, kk), iterations: blocks - 1, converged, matvecs };
}
function ritzValues(gram, rows, count) {
  const g = new Float64Array(rows * rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c <= r; c++) {
      g[r * rows + c] = gram[r][c];
      g[c * rows + r] = gram[r][c];
    }
  }
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
function dot(x, y) {
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 1 < x.length; j += 2) {
    s0 += x[j] * y[j];
    s1 += x[j + 1] * y[j + 1];
  }
  if (j < x.length) s0 += x[j] * y[j];
  return s0 + s1;
}
function multiply(a, m, n, xs) {
  const l = xs.length;
  const outs = xs.map(() => new Float64Array(m));
  for (let i = 0; i < m; i++) {
    const row = i * n;
    let c = 0;
    for (; c + 3 < l; c += 4) {
      const x0 = xs[c];
      const x1 = xs[c + 1];
      const x2 = xs[c + 2];
      const x3 = xs[c + 3];
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < n; j++) {
        const v = a[row + j];
        s0 += v * x0[j];
        s1 += v * x1[j];
        s2 += v * x2[j];
        s3 += v * x3[j];
      }
      outs[c][i] = s0;
      outs[c + 1][i] = s1;
      outs[c + 2][i] = s2;
      outs[c + 3][i] = s3;
    }
    for (; c < l; c++) {
      const x0 = xs[c];
      let s0 = 0;
      for (let j = 0; j < n; j++) s0 += a[row + j] * x0[j];
      outs[c][i] = s0;
    }
  }
  return outs;
}
function multiplyTransposed(a, m, n, ys) {
  const outs = ys.map(() => new Float64Array(n));
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    for (let c = 0; c < ys.length; c++) {
      const y = ys[c];
      const y0 = y[i];
      const y1 = y[i + 1];
      const y2 = y[i + 2];
      const y3 = y[i + 3];
      const out = outs[c];
      for (let j = 0; j < n; j++) out[j] += y0 * a[r0 + j] + y1 * a[r1 + j] + y2 * a[r2 + j] + y3 * a[r3 + j];
    }
  }
  for (; i < m; i++) {
    const row = i * n;
    for (let c = 0; c < ys.length; c++) {
      const yi = ys[c][i];
      const out = outs[c];
      for (let j = 0; j < n; j++) out[j] += yi * a[row + j];
    }
  }
  return outs;
}
function orthonormalize(vs, from) {
  for (let c = from; c < vs.length; c++) {
    const v = vs[c];
    const before = dot(v, v);
    for (let pass = 0; pass < 2; pass++) {
      for (let d = 0; d < c; d++) {
        const u = vs[d];
        const p = dot(v, u);
        if (p !== 0) for (let j = 0; j < v.length; j++) v[j] -= p * u[j];
      }
    }
    const norm2 = dot(v, v);
    if (norm2 === 0 || norm2 <= 1e-20 * before) v.fill(0);
    else {
      const inv = 1 / Math.sqrt(norm2);
      for (let j = 0; j < v.length; j++) v[j] *= inv;
    }
  }
}

// cross.tmp.ts
import { Rng as Rng2 } from "@descent/tensor";
var med = (f, r = 3) => {
  const t = [];
  for (let i = 0; i < r; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[1];
};
{
  const a = new Float64Array(128 * 128).map(() => Math.random());
  for (let i = 0; i < 3; i++) {
    bidiagonalSingularValues(a.slice(), 128, 128);
    randomizedSingularValues(a, 128, 128, { k: 4 });
  }
}
for (const [m, n] of [[256, 256], [512, 512], [1024, 1024], [512, 2048], [2048, 256]]) {
  const rng = new Rng2(1);
  const a = new Float64Array(m * n).map(() => rng.normal());
  const full = med(() => bidiagonalSingularValues(a.slice(), m, n));
  const line = [`${m}x${n} full ${full.toFixed(0)}`];
  for (const k of [1, 2, 4, 8, 16]) line.push(`k${k} ${med(() => randomizedSingularValues(a, m, n, { k })).toFixed(0)}`);
  console.log(line.join(" | "));
}
