#!/usr/bin/env node
/**
 * Times @descent/topology against GUDHI's CubicalComplex in the same run, on the same grids.
 *
 *   cd packages/topology && npx tsup && cd ../.. && node tools/bench/topology.mjs [reps=5] [sizes=256,512,1024]
 *
 * Grid: a noisy field of 30 gaussians (random centres, widths 2-10 % of the side, amplitudes in
 * [-1, 1]) plus uniform noise of amplitude 0.05, from a seeded LCG. Each grid goes to
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

function field(n, seed = 7) {
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(1664525, s) + 1013904223) >>> 0) / 2 ** 32;
  const gaussians = Array.from({ length: 30 }, () => ({ x: rnd() * n, y: rnd() * n, w: (0.02 + 0.08 * rnd()) * n, a: 2 * rnd() - 1 }));
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let v = 0;
      for (const g of gaussians) v += g.a * Math.exp(-((i - g.y) ** 2 + (j - g.x) ** 2) / (2 * g.w * g.w));
      data[i * n + j] = v + 0.05 * (rnd() - 0.5);
    }
  }
  return data;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const PY = String.raw`
import sys, time, json, numpy as np, gudhi
path, n, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
a = np.fromfile(path, dtype=np.float64).reshape(n, n)
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
  for (const n of sizes) {
    const data = field(n);
    const path = join(dir, `grid-${n}.f64`);
    writeFileSync(path, Buffer.from(data.buffer));
    // Descent first, then GUDHI, so both see a similar machine state.
    cubicalPersistence({ data, shape: [n, n] });
    const ours = [];
    let diagram;
    for (let r = 0; r < reps; r++) {
      const t = performance.now();
      diagram = cubicalPersistence({ data, shape: [n, n] });
      ours.push(performance.now() - t);
    }
    const py = spawnSync('/usr/bin/python3', ['-c', PY, path, String(n), String(reps)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (py.status !== 0) throw new Error(py.stderr);
    const ref = JSON.parse(py.stdout);
    const refPairs = new Float64Array(readFileSync(`${path}.pairs`).buffer.slice(0));
    const mine = diagram.map((p) => [p.dimension, p.birth, p.death]).sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
    let same = mine.length * 3 === refPairs.length;
    for (let i = 0; same && i < mine.length; i++) same = mine[i].every((v, k) => v === refPairs[3 * i + k]);
    rows.push({ n, ours: median(ours), gudhi: median(ref.times) * 1000, pairs: mine.length, same, version: ref.gudhi });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`reps=${reps}, median wall time, node ${process.version}, GUDHI ${rows[0]?.version}`);
console.log('| grid | pairs | Descent | GUDHI CubicalComplex | speed-up | same diagram |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
  console.log(`| ${r.n}x${r.n} | ${r.pairs} | ${fmt(r.ours)} | ${fmt(r.gudhi)} | ${(r.gudhi / r.ours).toFixed(1)}x | ${r.same ? 'yes' : 'NO'} |`);
}
if (rows.some((r) => !r.same)) process.exitCode = 1;
