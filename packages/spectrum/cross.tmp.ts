import { bidiagonalSingularValues } from './src/bidiagonal';
import { randomizedSingularValues } from './src/randomized';
import { Rng } from '@descent/tensor';
const med = (f: () => void, r = 3) => { const t: number[] = []; for (let i = 0; i < r; i++) { const t0 = performance.now(); f(); t.push(performance.now() - t0); } return t.sort((a, b) => a - b)[1]; };
{ const a = new Float64Array(128 * 128).map(() => Math.random()); for (let i = 0; i < 3; i++) { bidiagonalSingularValues(a.slice(), 128, 128); randomizedSingularValues(a, 128, 128, { k: 4 }); } }
for (const [m, n] of [[256, 256], [512, 512], [1024, 1024], [512, 2048], [2048, 256]]) {
  const rng = new Rng(1);
  const a = new Float64Array(m * n).map(() => rng.normal());
  const full = med(() => bidiagonalSingularValues(a.slice(), m, n));
  const line = [`${m}x${n} full ${full.toFixed(0)}`];
  for (const k of [1, 2, 4, 8, 16]) line.push(`k${k} ${med(() => randomizedSingularValues(a, m, n, { k })).toFixed(0)}`);
  console.log(line.join(' | '));
}
