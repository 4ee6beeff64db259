// A 41×41 loss surface of the ReLU SimpleNetwork (283,914 weights) on 256 FashionMNIST test
// images, two random filter-normalised directions: Descent in this thread, on a worker pool of 1
// and of 2 threads, against a PyTorch 1.13 CPU loop over the same grid (landscape_torch.py, same
// weights, directions and images, 1 and 2 threads), in one run. Also checks that both give the
// same losses.
// usage: node tools/bench/landscape.mjs [grid] [reps]     (needs `npm run build`)
// Wall times on a loaded, shared machine mislead: CPU times (all threads of the process) and the
// load average are printed too.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { useBackend, tf, Rng, paramsOf } from '@descent/tensor';
import { loadFashionMnist } from '@descent/datasets';
import { simpleNetwork } from '@descent/models';
import { randomDirection, surface2d, surface2dParallel, WorkerPool } from '@descent/landscape';
import { summary, python, fmt, machine, median } from './lib.mjs';

async function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await fn();
  const c = process.cpuUsage(c0);
  return { seconds: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, out };
}

export async function benchLandscape(grid = 41, reps = 2) {
  const backend = await useBackend('wasm');
  const test = await loadFashionMnist({ split: 'test' });
  const batch = test.subset(0, 256).toTensors();
  const model = simpleNetwork({ activation: 'relu', inputShape: [28, 28, 1], seed: 0 });
  const problem = { model, inputs: batch.x, labels: batch.y };
  const theta = paramsOf(model);
  const rng = new Rng(1);
  const dirs = [randomDirection(theta, { rng }), randomDirection(theta, { rng })];
  const opts = { xRange: [-1, 1], xPoints: grid };

  const results = {};
  // In this thread, no executor (surface2d itself).
  const inThread = [];
  let reference;
  for (let r = 0; r < reps; r++) {
    const t = await timed(() => surface2d(problem, dirs, opts));
    inThread.push(t);
    reference = t.out;
  }
  results['in-process (surface2d)'] = inThread;
  for (const size of [1, 2]) {
    const pool = new WorkerPool({ size });
    // Warm-up: starts the workers (tfjs + wasm load) and compiles the kernels; timed separately.
    const warm = await timed(() => surface2dParallel(problem, dirs, { ...opts, xPoints: 3, executor: pool }));
    const runs = [];
    for (let r = 0; r < reps; r++) runs.push(await timed(() => surface2dParallel(problem, dirs, { ...opts, executor: pool })));
    await pool.close();
    let diff = 0;
    runs[0].out.loss.forEach((v, i) => (diff = Math.max(diff, Math.abs(v - reference.loss[i]))));
    results[`worker pool, ${size} thread${size > 1 ? 's' : ''}`] = runs;
    results[`worker pool, ${size} thread${size > 1 ? 's' : ''}`].startup = warm.seconds;
    results[`worker pool, ${size} thread${size > 1 ? 's' : ''}`].maxDiff = diff;
  }

  // The same weights, directions and images for PyTorch (tfjs layout: dense kernels [in, out]).
  const dir = mkdtempSync(join(tmpdir(), 'descent-landscape-bench-'));
  const names = Object.keys(theta);
  const cat = (map) => {
    const parts = names.map((n) => map[n].dataSync());
    const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  writeFileSync(join(dir, 'theta.f32'), cat(theta));
  writeFileSync(join(dir, 'd1.f32'), cat(dirs[0]));
  writeFileSync(join(dir, 'd2.f32'), cat(dirs[1]));
  writeFileSync(join(dir, 'x.f32'), batch.x.dataSync());
  writeFileSync(join(dir, 'y.i32'), batch.y.dataSync());
  writeFileSync(join(dir, 'shapes.json'), JSON.stringify(names.map((n) => theta[n].shape)));
  writeFileSync(join(dir, 'loss.f64'), new Float64Array(reference.loss));
  const here = dirname(fileURLToPath(import.meta.url));
  const torch = {};
  for (const threads of [1, 2]) torch[threads] = python(join(here, 'landscape_torch.py'), [dir, grid, reps, threads]);
  rmSync(dir, { recursive: true, force: true });
  dirs.forEach((d) => tf.dispose(Object.values(d)));
  tf.dispose([batch.x, batch.y]);
  model.dispose();
  return { grid, reps, backend: backend.backend, results, torch, load: loadavg() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const grid = Number(process.argv[2] ?? 41);
  const reps = Number(process.argv[3] ?? 2);
  const r = await benchLandscape(grid, reps);
  console.log(machine());
  console.log(`load average at the end: ${r.load.map((v) => v.toFixed(2)).join(', ')}`);
  console.log(`Loss surface: ${grid}×${grid} grid (${grid * grid} points), SimpleNetwork ReLU (283,914 weights), 256 images; median of ${reps}; wall (CPU of all threads)`);
  const line = (name, runs) => {
    const wall = median(runs.map((x) => x.seconds));
    const cpu = median(runs.map((x) => x.cpu));
    return { wall, cpu, text: `  ${name.padEnd(28)} ${fmt(wall).padStart(9)}  (CPU ${fmt(cpu)})  ${(1000 * wall / (grid * grid)).toFixed(2)} ms/point` };
  };
  const rows = {};
  for (const [name, runs] of Object.entries(r.results)) {
    const l = line(name, runs);
    rows[name] = l;
    console.log(l.text + (runs.startup !== undefined ? `  [startup + 3×3 warm-up ${fmt(runs.startup)}; max |Δloss| vs in-process ${runs.maxDiff.toExponential(1)}]` : ''));
  }
  for (const [threads, t] of Object.entries(r.torch)) {
    const s = summary(t.times);
    console.log(`  ${`PyTorch ${t.torch}, ${threads} thread${threads > 1 ? 's' : ''}`.padEnd(28)} ${fmt(s.median).padStart(9)}  (CPU ${fmt(median(t.cpu))})  ${(1000 * s.median / (grid * grid)).toFixed(2)} ms/point  [max |Δloss| vs Descent ${t.maxDiff.toExponential(1)}]`);
    rows[`torch${threads}`] = { wall: s.median };
  }
  const w1 = rows['worker pool, 1 thread'].wall;
  const w2 = rows['worker pool, 2 threads'].wall;
  console.log(`  2 workers vs 1: ${(w1 / w2).toFixed(2)}× faster (wall)`);
  console.log(`  speed ratio (PyTorch time / Descent time): 1 thread ${(rows.torch1.wall / w1).toFixed(2)}×, 2 threads ${(rows.torch2.wall / w2).toFixed(2)}×`);
}
