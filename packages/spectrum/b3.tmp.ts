import { bidiagonalSingularValues } from './src/bidiagonal';
import { randomizedSingularValues } from './src/randomized';
import { Rng } from '@descent/tensor';
const sizes = process.argv.slice(2).map(Number);
for (const n of sizes) {
  const rng = new Rng(3);
  const a = new Float64Array(n * n); for (let i = 0; i < a.length; i++) a[i] = rng.normal() / Math.sqrt(n);
  let t = performance.now();
  const full = n <= 1024 ? bidiagonalSingularValues(a.slice(), n, n) : null;
  const tf_ = performance.now() - t;
  for (const q of [1, 2, 4, 8]) for (const k of [1, 10]) {
    t = performance.now();
    const r = randomizedSingularValues(a, n, n, { k, powerIterations: q });
    const tr = performance.now() - t;
    const errs = full ? Array.from(r, (x, i) => Math.abs(x - full[i]) / full[i]) : [];
    console.log(n, 'q', q, 'k', k, 'time', tr.toFixed(0), 'full', tf_.toFixed(0), 'maxrelerr', full ? Math.max(...errs).toExponential(2) : '-', r[0]);
  }
}
