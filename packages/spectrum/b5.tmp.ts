import { randomizedSingularValues } from './src/randomized';
import { Rng } from '@descent/tensor';
const n = +process.argv[2];
const rng = new Rng(3);
const a = new Float64Array(n * n); for (let i = 0; i < a.length; i++) a[i] = rng.normal() / Math.sqrt(n);
for (const [k, tol] of [[1, 1e-7], [1, 1e-8], [10, 1e-8], [10, 1e-13]] as const) {
  const t = performance.now();
  const r = randomizedSingularValues(a, n, n, { k, tol, maxIterations: 200 });
  console.log(n, 'k', k, 'tol', tol, 'ms', (performance.now() - t).toFixed(0), 'it', r.iterations, r.converged, Array.from(r.values.slice(0, 3)));
}
