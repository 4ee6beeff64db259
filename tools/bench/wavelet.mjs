#!/usr/bin/env node
// Times @descent/wavelet (packages/wavelet/dist, build it first: cd packages/wavelet && npx tsup)
// against PyWavelets 1.1.1 (/usr/bin/python3) in the same run, median of REPS after a warm-up
// (both sides: at least 5 calls and 0.3 s; V8 needs a few calls to optimise the CWT, whose first
// call takes ~10× longer).
// Both sides are single-threaded; besides wall time the script reports process CPU time
// (Node: process.cpuUsage, Python: time.process_time), which stays meaningful on a busy machine.
// A second table times each side at three sizes (wavedec2 on 256², 512², 1024²; CWT with the 64
// scales on 1024, 4096, 16384 samples) and fits the growth exponent b of time ∝ n^b (least
// squares of log time on log n; n = cells of the grid or samples of the signal).
//   node tools/bench/wavelet.mjs [reps]
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '../..');
const W = await import(pathToFileURL(resolve(root, 'packages/wavelet/dist/index.js')).href);
const REPS = Number(process.argv[2] ?? 9);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** [median wall ms, median CPU ms]. */
function time(fn) {
  // warm-up: JIT and caches
  for (let k = 0, t0 = performance.now(); k < 5 || performance.now() - t0 < 300; k++) fn();
  const wall = [];
  const cpu = [];
  for (let i = 0; i < REPS; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  return [median(wall), median(cpu)];
}

let seed = 1;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
const img = W.array2d(1024, 1024, Float64Array.from({ length: 1024 * 1024 }, rand));
const sig = Float64Array.from({ length: 4096 }, rand);
const scales = Float64Array.from({ length: 64 }, (_, i) => i + 1);

const cases = [
  ...['haar', 'db4', 'sym8'].map((w) => ({ id: `wavedec2 ${w} 1024² level 3`, js: () => W.wavedec2(img, w, { level: 3 }), py: `pywt.wavedec2(Z, '${w}', level=3)` })),
  ...['mexh', 'morl', 'cmor1.5-1.0'].flatMap((w) =>
    ['conv', 'fft'].map((m) => ({ id: `cwt ${w} 4096×64 ${m}`, js: () => W.cwt(sig, scales, w, { method: m }), py: `pywt.cwt(x, scales, '${w}', method='${m}')` })),
  ),
];

// Growth with size: the same calls at three sizes each.
const GRID = [256, 512, 1024];
const SAMPLES = [1024, 4096, 16384];
const imgs = Object.fromEntries(GRID.map((m) => [m, m === 1024 ? img : W.array2d(m, m, Float64Array.from({ length: m * m }, rand))]));
const sigs = Object.fromEntries(SAMPLES.map((m) => [m, m === 4096 ? sig : Float64Array.from({ length: m }, rand)]));
const scaling = [
  ...GRID.map((m) => ({ group: 'wavedec2 db4, level 3', n: m * m, size: `${m}²`, js: () => W.wavedec2(imgs[m], 'db4', { level: 3 }), py: `pywt.wavedec2(Zs[${m}], 'db4', level=3)` })),
  ...['conv', 'fft'].flatMap((method) =>
    SAMPLES.map((m) => ({ group: `cwt mexh, 64 scales, ${method}`, n: m, size: String(m), js: () => W.cwt(sigs[m], scales, 'mexh', { method }), py: `pywt.cwt(xs[${m}], scales, 'mexh', method='${method}')` })),
  ),
];

const py = `
import json, time, numpy as np, pywt
rng = np.random.default_rng(1)
Z = rng.uniform(-1, 1, (1024, 1024)); x = rng.uniform(-1, 1, 4096); scales = np.arange(1, 65)
Zs = {m: Z if m == 1024 else rng.uniform(-1, 1, (m, m)) for m in (${GRID.join(', ')})}
xs = {m: x if m == 4096 else rng.uniform(-1, 1, m) for m in (${SAMPLES.join(', ')})}
def med(f, reps=${REPS}):
    t0 = time.perf_counter(); k = 0
    while k < 5 or time.perf_counter() - t0 < 0.3: f(); k += 1
    wall = []; cpu = []
    for _ in range(reps):
        c = time.process_time(); t = time.perf_counter(); f()
        wall.append((time.perf_counter() - t) * 1e3); cpu.append((time.process_time() - c) * 1e3)
    return [sorted(wall)[reps // 2], sorted(cpu)[reps // 2]]
print(json.dumps({'version': pywt.__version__, 'runs': [med(lambda: ${cases.map((c) => c.py).join('), med(lambda: ')})],
                  'scaling': [med(lambda: ${scaling.map((c) => c.py).join('), med(lambda: ')})]}))
`;

const js = cases.map((c) => time(c.js));
const jsScaling = scaling.map((c) => time(c.js));
const { version, runs: pyr, scaling: pyScaling } = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' }));
const f = (v) => v.toFixed(1);
console.log(`median of ${REPS} runs, ms (Node ${process.version}, pywt ${version} via /usr/bin/python3, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
// Ratios as everywhere in docs/benchmarks.md: reference time / Descent time (above 1: Descent is faster).
console.log('| case | Descent wall | pywt wall | Descent CPU | pywt CPU | speed-up wall (pywt / Descent) | speed-up CPU (pywt / Descent) |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
cases.forEach((c, i) => console.log(`| ${c.id} | ${f(js[i][0])} | ${f(pyr[i][0])} | ${f(js[i][1])} | ${f(pyr[i][1])} | ${(pyr[i][0] / js[i][0]).toFixed(2)} | ${(pyr[i][1] / js[i][1]).toFixed(2)} |`));

/** Least-squares slope of log t on log n: t ∝ n^slope. */
function exponent(ns, ts) {
  const X = ns.map(Math.log);
  const Y = ts.map(Math.log);
  const mx = X.reduce((a, b) => a + b) / X.length;
  const my = Y.reduce((a, b) => a + b) / Y.length;
  let sxy = 0;
  let sxx = 0;
  X.forEach((xv, i) => {
    sxy += (xv - mx) * (Y[i] - my);
    sxx += (xv - mx) ** 2;
  });
  return sxy / sxx;
}
console.log('');
console.log('Growth with size (median CPU ms; ns per cell = CPU time / n, n = grid cells or signal samples; exponent b of time ∝ n^b, least squares on log–log):');
console.log('');
console.log('| case | size | n | Descent CPU ms | pywt CPU ms | Descent ns/cell | pywt ns/cell | speed-up CPU (pywt / Descent) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
const groups = [...new Set(scaling.map((c) => c.group))];
const fits = [];
for (const g of groups) {
  const idx = scaling.map((c, i) => (c.group === g ? i : -1)).filter((i) => i >= 0);
  for (const i of idx) {
    const c = scaling[i];
    const [d, r] = [jsScaling[i][1], pyScaling[i][1]];
    console.log(`| ${g} | ${c.size} | ${c.n} | ${f(d)} | ${f(r)} | ${((d * 1e6) / c.n).toFixed(1)} | ${((r * 1e6) / c.n).toFixed(1)} | ${(r / d).toFixed(2)} |`);
  }
  const ns = idx.map((i) => scaling[i].n);
  fits.push(`${g}: Descent ${exponent(ns, idx.map((i) => jsScaling[i][1])).toFixed(2)}, pywt ${exponent(ns, idx.map((i) => pyScaling[i][1])).toFixed(2)}`);
}
console.log('');
console.log(`Growth exponents (CPU time): ${fits.join('; ')}.`);
