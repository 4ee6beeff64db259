#!/usr/bin/env node
// Times @descent/wavelet (packages/wavelet/dist, build it first: cd packages/wavelet && npx tsup)
// against PyWavelets 1.1.1 (/usr/bin/python3) in the same run, median of REPS after a warm-up.
//   node tools/bench/wavelet.mjs [reps]
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '../..');
const W = await import(pathToFileURL(resolve(root, 'packages/wavelet/dist/index.js')).href);
const REPS = Number(process.argv[2] ?? 9);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(fn) {
  fn(); // warm-up: JIT and caches
  const ts = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return median(ts);
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
    f(); ts = []
    for _ in range(reps):
        t = time.perf_counter(); f(); ts.append((time.perf_counter() - t) * 1e3)
    return sorted(ts)[len(ts) // 2]
print(json.dumps([med(lambda: ${cases.map((c) => c.py).join('), med(lambda: ')})]))
`;

const jsMs = cases.map((c) => time(c.js));
const pyMs = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' }));
console.log(`median of ${REPS} runs, ms (Node ${process.version}, pywt via /usr/bin/python3)`);
console.log('| case | Descent | pywt 1.1.1 | Descent / pywt |');
console.log('|---|---:|---:|---:|');
cases.forEach((c, i) => console.log(`| ${c.id} | ${jsMs[i].toFixed(1)} | ${pyMs[i].toFixed(1)} | ${(jsMs[i] / pyMs[i]).toFixed(2)} |`));
