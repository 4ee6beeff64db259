#!/usr/bin/env node
/**
 * Times @descent/topology against GUDHI's CubicalComplex in the same run, on the same grids.
 *
 *   cd packages/topology && npx tsup && cd ../.. && node tools/bench/topology.mjs [reps=5] [sizes=256,512,1024] [volumes=64]
 *
 * Grid: a noisy field of 30 gaussians (random centres, widths 2-10 % of the side, amplitudes in
 * [-1, 1]) plus uniform noise of amplitude 0.05, from a seeded LCG; volumes (n^3, dimensions
 * 0-2) the same in 3-D with widths 5-15 %. Each grid goes to
 * /usr/bin/python3 as raw float64; both sides time the full call (GUDHI: build the complex and
 * persistence(); Descent: cubicalPersistence(), validation and sorting included) and report the
 * median of at least `reps` runs (and at least 0.5 s of runs) after a warm-up. Both diagrams are
 * then compared pair for pair.
 *
 * Then diagram distances: two random diagrams of n points each (births uniform in [-1, 3],
 * persistence exponential with mean 0.7), exact bottleneck (gudhi.bottleneck_distance, e=0) and
 * 1-Wasserstein (gudhi.wasserstein, POT), values compared.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine } from './lib.mjs';

const root = new URL('../../', import.meta.url);
const { cubicalPersistence, bottleneckDistance, wassersteinDistance } = await import(new URL('packages/topology/dist/index.js', root).href).catch(() => {
  console.error('Build first: cd packages/topology && npx tsup');
  process.exit(1);
});

const reps = Number(process.argv[2] ?? 5);
const sizes = (process.argv[3] ?? '256,512,1024').split(',').map(Number);
const volumes = (process.argv[4] ?? '64').split(',').filter(Boolean).map(Number);
const diagramSizes = (process.argv[5] ?? '200,1000').split(',').filter(Boolean).map(Number);

function field(n, dims, seed = 7) {
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(1664525, s) + 1013904223) >>> 0) / 2 ** 32;
  const [w0, w1] = dims === 2 ? [0.02, 0.08] : [0.05, 0.1];
  const gaussians = Array.from({ length: 30 }, () => ({ c: [rnd() * n, rnd() * n, rnd() * n], w: (w0 + w1 * rnd()) * n, a: 2 * rnd() - 1 }));
  const data = new Float64Array(n ** dims);
  const at = [0, 0, 0];
  for (let k = 0; k < data.length; k++) {
    for (let d = 0, r = k; d < dims; d++, r = Math.floor(r / n)) at[d] = r % n;
    let v = 0;
    for (const g of gaussians) {
      let r2 = 0;
      for (let d = 0; d < dims; d++) r2 += (at[d] - g.c[d]) ** 2;
      v += g.a * Math.exp(-r2 / (2 * g.w * g.w));
    }
    data[k] = v + 0.05 * (rnd() - 0.5);
  }
  return data;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Warm up (the JIT needs a few calls), then time at least `reps` runs and at least 0.5 s. */
function time(f) {
  for (let r = 0, t0 = performance.now(); r < 3 || performance.now() - t0 < 200; r++) f();
  const times = [];
  let value;
  for (let t0 = performance.now(); times.length < reps || (performance.now() - t0 < 500 && times.length < 100); ) {
    const t = performance.now();
    value = f();
    times.push(performance.now() - t);
  }
  return { ms: median(times), min: Math.min(...times), max: Math.max(...times), value };
}

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);
const spread = (t) => `${fmt(t.ms)} (${fmt(t.min)}–${fmt(t.max)})`;
const stats = (secs) => {
  const ms = secs.map((x) => x * 1000);
  return { ms: median(ms), min: Math.min(...ms), max: Math.max(...ms) };
};

const PY = String.raw`
import sys, time, json, numpy as np, gudhi
path, n, dims, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
a = np.fromfile(path, dtype=np.float64).reshape((n,) * dims)
def run():
    return gudhi.CubicalComplex(top_dimensional_cells=a).persistence()
run()
times = []
t0 = time.perf_counter()
while len(times) < reps or (time.perf_counter() - t0 < 0.5 and len(times) < 100):
    t = time.perf_counter(); p = run(); times.append(time.perf_counter() - t)
pairs = np.array(sorted((d, b, e) for d, (b, e) in p), dtype=np.float64)
pairs.tofile(path + '.pairs')
print(json.dumps({'times': times, 'gudhi': gudhi.__version__}))
`;

const PY_DIST = String.raw`
import sys, time, json, numpy as np, gudhi, gudhi.wasserstein
path, n, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
x = np.fromfile(path, dtype=np.float64).reshape(2, n, 2)
out = {}
for name, f in (('bottleneck', lambda: gudhi.bottleneck_distance(x[0], x[1], e=0)), ('wasserstein', lambda: gudhi.wasserstein.wasserstein_distance(x[0], x[1], order=1))):
    f()
    times = []
    t0 = time.perf_counter()
    while len(times) < reps or (time.perf_counter() - t0 < 0.5 and len(times) < 100):
        t = time.perf_counter(); v = f(); times.append(time.perf_counter() - t)
    out[name] = {'times': times, 'value': float(v)}
print(json.dumps(out))
`;

function randomDiagram(n, rnd) {
  return Array.from({ length: n }, () => {
    const b = 4 * rnd() - 1;
    return [b, b - 0.7 * Math.log(1 - rnd())];
  });
}

const dir = mkdtempSync(join(tmpdir(), 'descent-topology-bench-'));
const rows = [];
const distanceRows = [];
try {
  for (const [n, dims] of [...sizes.map((n) => [n, 2]), ...volumes.map((n) => [n, 3])]) {
    const data = field(n, dims);
    const shape = Array(dims).fill(n);
    const path = join(dir, `grid-${n}-${dims}.f64`);
    writeFileSync(path, Buffer.from(data.buffer));
    // Descent first, then GUDHI, so both see a similar machine state.
    const ours = time(() => cubicalPersistence({ data, shape }));
    const diagram = ours.value;
    const py = spawnSync('/usr/bin/python3', ['-c', PY, path, String(n), String(dims), String(reps)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (py.status !== 0) throw new Error(py.stderr);
    const ref = JSON.parse(py.stdout);
    const raw = readFileSync(`${path}.pairs`); // small files share a pooled buffer: copy out our bytes
    const refPairs = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
    const mine = diagram.map((p) => [p.dimension, p.birth, p.death]).sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
    let same = mine.length * 3 === refPairs.length;
    for (let i = 0; same && i < mine.length; i++) same = mine[i].every((v, k) => v === refPairs[3 * i + k]);
    rows.push({ grid: shape.join('x'), ours, gudhi: stats(ref.times), pairs: mine.length, same, version: ref.gudhi });
  }
  let s = 11;
  const rnd = () => (s = (Math.imul(1664525, s) + 1013904223) >>> 0) / 2 ** 32;
  for (const n of diagramSizes) {
    const a = randomDiagram(n, rnd);
    const b = randomDiagram(n, rnd);
    const path = join(dir, `diagrams-${n}.f64`);
    writeFileSync(path, Buffer.from(Float64Array.from([...a.flat(), ...b.flat()]).buffer));
    const py = spawnSync('/usr/bin/python3', ['-c', PY_DIST, path, String(n), String(reps)], { encoding: 'utf8' });
    if (py.status !== 0) throw new Error(py.stderr);
    const ref = JSON.parse(py.stdout);
    for (const [name, f] of [['bottleneck', () => bottleneckDistance(a, b)], ['wasserstein', () => wassersteinDistance(a, b)]]) {
      const ours = time(f);
      const same = Math.abs(ours.value - ref[name].value) <= 1e-10 * Math.max(1, ref[name].value);
      distanceRows.push({ name, n, ours, gudhi: stats(ref[name].times), same });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`${machine()}, GUDHI ${rows[0]?.version} via /usr/bin/python3, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`wall time: median (min–max) of >= ${reps} runs after a warm-up; speed-up = GUDHI median / Descent median`);
console.log('');
console.log('| grid | pairs | Descent cubicalPersistence | GUDHI CubicalComplex.persistence | speed-up | same diagram |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.grid} | ${r.pairs} | ${spread(r.ours)} | ${spread(r.gudhi)} | ${(r.gudhi.ms / r.ours.ms).toFixed(1)}x | ${r.same ? 'yes' : 'NO'} |`);
}
// Growth with size (2-D grids): median time per pixel (top-dimensional cell) and the exponent b of
// time ∝ pixels^b, least squares of log time on log pixels.
const planar = rows.filter((r) => r.grid.split('x').length === 2);
if (planar.length >= 2) {
  const cells = planar.map((r) => r.grid.split('x').reduce((a, b) => a * Number(b), 1));
  const slope = (ts) => {
    const X = cells.map(Math.log);
    const Y = ts.map(Math.log);
    const mx = X.reduce((a, b) => a + b) / X.length;
    const my = Y.reduce((a, b) => a + b) / Y.length;
    return X.reduce((a, x, i) => a + (x - mx) * (Y[i] - my), 0) / X.reduce((a, x) => a + (x - mx) ** 2, 0);
  };
  console.log('');
  console.log('| grid | pixels | Descent ns/pixel | GUDHI ns/pixel |');
  console.log('|---|---:|---:|---:|');
  planar.forEach((r, i) => console.log(`| ${r.grid} | ${cells[i]} | ${((r.ours.ms * 1e6) / cells[i]).toFixed(0)} | ${((r.gudhi.ms * 1e6) / cells[i]).toFixed(0)} |`));
  console.log('');
  console.log(`Growth exponent b of time ∝ pixels^b (2-D grids): Descent ${slope(planar.map((r) => r.ours.ms)).toFixed(2)}, GUDHI ${slope(planar.map((r) => r.gudhi.ms)).toFixed(2)}.`);
}
if (distanceRows.length > 0) {
  console.log('');
  console.log('| distance (GUDHI function) | points per diagram | Descent | GUDHI | speed-up | same value |');
  console.log('|---|---|---|---|---|---|');
  for (const r of distanceRows) {
    const ref = r.name === 'bottleneck' ? 'bottleneck (bottleneck_distance, e=0)' : 'W1 (wasserstein_distance, POT)';
    console.log(`| ${ref} | ${r.n} | ${spread(r.ours)} | ${spread(r.gudhi)} | ${(r.gudhi.ms / r.ours.ms).toFixed(1)}x | ${r.same ? 'yes' : 'NO'} |`);
  }
}
if ([...rows, ...distanceRows].some((r) => !r.same)) process.exitCode = 1;
