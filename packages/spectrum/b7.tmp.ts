import { Matrix, EigenvalueDecomposition } from 'ml-matrix';
import { bidiagonalSingularValues } from './src/bidiagonal';
for (const [m, n] of [[784, 256], [4096, 256], [2048, 512], [8192, 128], [1024, 1024]]) {
  let seed = 7; const r = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647 - 0.5; };
  const a = new Float64Array(m * n); for (let i = 0; i < a.length; i++) a[i] = r();
  let t = performance.now();
  const s = bidiagonalSingularValues(a.slice(), m, n);
  const t1 = performance.now() - t; t = performance.now();
  const A = new Matrix(m, n); for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) A.set(i, j, a[i * n + j]);
  const G = A.transpose().mmul(A);
  const tg = performance.now() - t;
  const ev = new EigenvalueDecomposition(G, { assumeSymmetric: true }).realEigenvalues.map((x) => Math.sqrt(Math.max(x, 0))).sort((x, y) => y - x);
  const t2 = performance.now() - t;
  console.log(m, n, 'bidiag', t1.toFixed(0), 'gram(ml mmul)', tg.toFixed(0), 'gram+evd', t2.toFixed(0), 'relerr min', Math.abs(ev[n - 1] - s[n - 1]) / s[n - 1]);
}
