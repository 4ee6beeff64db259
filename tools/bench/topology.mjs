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
 * median of `reps` runs after one warm-up. Both diagrams are then compared pair for pair.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url);
const { cubicalPersistence } = await import(new URL('packages/topology/dist/index.js', root).href).catch(() => {
  console.error('Build first: cd packages/topology && npx tsup');
  process.exit(1);
});

const reps = Number(process.argv[2] ?? 5);
const sizes = (process.argv[3] ?? '256,512,1024').split(',').map(Number);
const volumes = (process.argv[4] ?? '64').split(',').filter(Boolean).map(Number);

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

const PY = String.raw`
import sys, time, json, numpy as np, gudhi
path, n, dims, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
a = np.fromfile(path, dtype=np.float64).reshape((n,) * dims)
def run():
    return gudhi.CubicalComplex(top_dimensional_cells=a).persistence()
run()
times = []
for _ in range(reps):
    t = time.perf_counter(); p = run(); times.append(time.perf_counter() - t)
pairs = np.array(sorted((d, b, e) for d, (b, e) in p), dtype=np.float64)
pairs.tofile(path + '.pairs')
print(json.dumps({'times': times, 'gudhi': gudhi.__version__}))
`;

const dir = mkdtempSync(join(tmpdir(), 'descent-topology-bench-'));
const rows = [];
try {
  for (const [n, dims] of [...sizes.map((n) => [n, 2]), ...volumes.map((n) => [n, 3])]) {
    const data = field(n, dims);
    const shape = Array(dims).fill(n);
    const path = join(dir, `grid-${n}-${dims}.f64`);
    writeFileSync(path, Buffer.from(data.buffer));
    // Descent first, then GUDHI, so both see a similar machine state.
    cubicalPersistence({ data, shape });
    const ours = [];
    let diagram;
    for (let r = 0; r < reps; r++) {
      const t = performance.now();
      diagram = cubicalPersistence({ data, shape });
      ours.push(performance.now() - t);
    }
    const py = spawnSync('/usr/bin/python3', ['-c', PY, path, String(n), String(dims), String(reps)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (py.status !== 0) throw new Error(py.stderr);
    const ref = JSON.parse(py.stdout);
    const raw = readFileSync(`${path}.pairs`); // small files share a pooled buffer: copy out our bytes
    const refPairs = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
    const mine = diagram.map((p) => [p.dimension, p.birth, p.death]).sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
    let same = mine.length * 3 === refPairs.length;
    for (let i = 0; same && i < mine.length; i++) same = mine[i].every((v, k) => v === refPairs[3 * i + k]);
    rows.push({ grid: shape.join('x'), ours: median(ours), gudhi: median(ref.times) * 1000, pairs: mine.length, same, version: ref.gudhi });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`reps=${reps}, median wall time, node ${process.version}, GUDHI ${rows[0]?.version}`);
console.log('| grid | pairs | Descent | GUDHI CubicalComplex | speed-up | same diagram |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
  console.log(`| ${r.grid} | ${r.pairs} | ${fmt(r.ours)} | ${fmt(r.gudhi)} | ${(r.gudhi / r.ours).toFixed(1)}x | ${r.same ? 'yes' : 'NO'} |`);
}
if (rows.some((r) => !r.same)) process.exitCode = 1;
