import { it } from 'vitest';
import { Matrix, QrDecomposition } from 'ml-matrix';

// Householder QR, column-major m×n (m ≥ n), returns thin Q column-major with sign fix.
function hhQ(a: Float64Array, m: number, n: number): Float64Array {
  const v = a; const rdiag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const ck = k * m; let nrm = 0;
    for (let i = k; i < m; i++) nrm = Math.hypot(nrm, v[ck + i]);
    if (nrm !== 0) {
      if (v[ck + k] < 0) nrm = -nrm;
      for (let i = k; i < m; i++) v[ck + i] /= nrm;
      v[ck + k] += 1;
      for (let j = k + 1; j < n; j++) { const cj = j * m; let s = 0; for (let i = k; i < m; i++) s += v[ck + i] * v[cj + i]; s = -s / v[ck + k]; for (let i = k; i < m; i++) v[cj + i] += s * v[ck + i]; }
    }
    rdiag[k] = -nrm;
  }
  const q = new Float64Array(m * n);
  for (let k = n - 1; k >= 0; k--) {
    const ck = k * m; q[ck + k] = 1;
    for (let j = k; j < n; j++) { if (v[ck + k] === 0) continue; const cj = j * m; let s = 0; for (let i = k; i < m; i++) s += v[ck + i] * q[cj + i]; s = -s / v[ck + k]; for (let i = k; i < m; i++) q[cj + i] += s * v[ck + i]; }
  }
  return q;
}

it('bench2', () => {
  for (const n of [256, 1024]) {
    const a = new Float64Array(n * n).map(() => Math.random() - 0.5);
    let t = performance.now();
    hhQ(a.slice(), n, n);
    console.log(n, 'custom', (performance.now() - t).toFixed(0), 'ms');
  }
}, 600000);
