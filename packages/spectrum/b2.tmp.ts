import { Matrix, SVD } from 'ml-matrix';
import { bidiagonalSingularValues } from './src/bidiagonal';
for (const [m, n] of [[300, 200], [200, 300], [512, 512], [1024, 1024], [784, 256]]) {
  let seed = 7; const r = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647 - 0.5; };
  const a = new Float64Array(m * n); for (let i = 0; i < a.length; i++) a[i] = r();
  const A = new Matrix(m, n); for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) A.set(i, j, a[i * n + j]);
  let t = performance.now();
  const s1 = new SVD(A, { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: true }).diagonal;
  const t1 = performance.now() - t; t = performance.now();
  const s2 = bidiagonalSingularValues(a.slice(), m, n);
  const t2 = performance.now() - t;
  let err = 0; for (let i = 0; i < s1.length; i++) err = Math.max(err, Math.abs(s1[i] - s2[i]) / s1[0]);
  console.log(m, n, 'ml', t1.toFixed(0), 'hand', t2.toFixed(0), 'maxrelerr', err.toExponential(2), s1[0], s2[0], s1[s1.length-1], s2[s2.length-1]);
}
