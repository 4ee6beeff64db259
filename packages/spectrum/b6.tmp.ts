import { randomizedSingularValues } from './src/randomized';
import { Rng } from '@descent/tensor';
const n = +process.argv[2];
const rng = new Rng(3);
const a = new Float64Array(n * n); for (let i = 0; i < a.length; i++) a[i] = rng.normal() / Math.sqrt(n);
const ref = randomizedSingularValues(a, n, n, { k: 10, tol: 1e-14, maxIterations: 300 }).values;
for (const k of [1, 5]) for (const p of [0, 1, 2, 5, 10]) {
  const t = performance.now();
  const r = randomizedSingularValues(a, n, n, { k, tol: 1e-8, oversampling: p, maxIterations: 300 });
  const err = Math.max(...Array.from(r.values, (x, i) => Math.abs(x - ref[i]) / ref[i]));
  console.log(n, 'k', k, 'p', p, 'ms', (performance.now() - t).toFixed(0), 'it', r.iterations, 'matvecs', r.matvecs, 'err', err.toExponential(2));
}
