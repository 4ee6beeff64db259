import { bidiagonalSingularValues } from './src/bidiagonal';
import { randomizedSingularValues } from './src/randomized';
import { Rng } from '@descent/tensor';
const n = +process.argv[2];
const rng = new Rng(3);
const a = new Float64Array(n * n); for (let i = 0; i < a.length; i++) a[i] = rng.normal() / Math.sqrt(n);
let ref: Float64Array;
if (n <= 1024) ref = bidiagonalSingularValues(a.slice(), n, n);
else ref = randomizedSingularValues(a, n, n, { k: 10, tol: 1e-14, maxIterations: 200 }).values;
for (const k of [1, 10]) for (const tol of [1e-7, 1e-9]) {
  const t = performance.now();
  const r = randomizedSingularValues(a, n, n, { k, tol });
  const tr = performance.now() - t;
  const err = Math.max(...Array.from(r.values, (x, i) => Math.abs(x - ref[i]) / ref[i]));
  console.log(n, 'k', k, 'tol', tol, 'ms', tr.toFixed(0), 'it', r.iterations, r.converged, 'err', err.toExponential(2));
}
