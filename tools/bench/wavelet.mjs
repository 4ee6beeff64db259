#!/usr/bin/env node
// Times @descent/wavelet (packages/wavelet/dist, build it first: cd packages/wavelet && npx tsup)
// against PyWavelets 1.1.1 (/usr/bin/python3) in the same run, median of REPS after a warm-up.
// Both sides are single-threaded; besides wall time the script reports process CPU time
// (Node: process.cpuUsage, Python: time.process_time), which stays meaningful on a busy machine.
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
  fn(); // warm-up: JIT and caches
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

const py = `
import json, time, numpy as np, pywt
rng = np.random.default_rng(1)
Z = rng.uniform(-1, 1, (1024, 1024)); x = rng.uniform(-1, 1, 4096); scales = np.arange(1, 65)
def med(f, reps=${REPS}):
    f(); wall = []; cpu = []
    for _ in range(reps):
        c = time.process_time(); t = time.perf_counter(); f()
        wall.append((time.perf_counter() - t) * 1e3); cpu.append((time.process_time() - c) * 1e3)
    return [sorted(wall)[reps // 2], sorted(cpu)[reps // 2]]
print(json.dumps({'version': pywt.__version__, 'runs': [med(lambda: ${cases.map((c) => c.py).join('), med(lambda: ')})]}))
`;

const js = cases.map((c) => time(c.js));
const { version, runs: pyr } = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' }));
const f = (v) => v.toFixed(1);
console.log(`median of ${REPS} runs, ms (Node ${process.version}, pywt ${version} via /usr/bin/python3, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
// Ratios as everywhere in docs/benchmarks.md: reference time / Descent time (above 1: Descent is faster).
console.log('| case | Descent wall | pywt wall | Descent CPU | pywt CPU | speed-up wall (pywt / Descent) | speed-up CPU (pywt / Descent) |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
cases.forEach((c, i) => console.log(`| ${c.id} | ${f(js[i][0])} | ${f(pyr[i][0])} | ${f(js[i][1])} | ${f(pyr[i][1])} | ${(pyr[i][0] / js[i][0]).toFixed(2)} | ${(pyr[i][1] / js[i][1]).toFixed(2)} |`));
