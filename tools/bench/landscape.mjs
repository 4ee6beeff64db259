// A 41×41 loss surface of the ReLU SimpleNetwork (283,914 weights) on 256 FashionMNIST test
// images, two random filter-normalised directions: Descent in this thread, on a worker pool of 1
// and of 2 threads, against a PyTorch 1.13 CPU loop over the same grid (landscape_torch.py, same
// weights, directions and images, 1 and 2 threads), in one run. Also checks that both give the
// same losses.
// usage: node tools/bench/landscape.mjs [grid] [reps] [--workers-only]     (needs `npm run build`)
// --workers-only: just the worker pool with 1 and 2 threads (e.g. `51 1 --workers-only` for the
// "a 51×51 grid uses both cores" check); "cores used" is CPU time / wall time.
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

/**
 * How many cores this process can get right now: the same fixed pure-JS loop in 1 and in 2 worker
 * threads; 2 free cores give equal times (2.0), one busy core elsewhere gives ~1.0.
 */
async function coresAvailable() {
  const { Worker } = await import('node:worker_threads');
  const code = "const { parentPort } = require('node:worker_threads'); let s = 0; for (let i = 0; i < 3e8; i++) s += i % 7; parentPort.postMessage(s);";
  const run = async (n) => {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: n }, () => new Promise((done) => {
      const w = new Worker(code, { eval: true });
      w.once('message', () => w.terminate().then(done));
    })));
    return performance.now() - t0;
  };
  const one = await run(1);
  const two = await run(2);
  return (2 * one) / two;
}

async function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await fn();
  const c = process.cpuUsage(c0);
  return { seconds: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, out };
}

export async function benchLandscape(grid = 41, reps = 2, workersOnly = false) {
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
  const cores = await coresAvailable();
  // In this thread, no executor (surface2d itself).
  const inThread = [];
  let reference;
  for (let r = 0; r < (workersOnly ? 1 : reps); r++) {
    const t = await timed(() => surface2d(problem, dirs, opts));
    inThread.push(t);
    reference = t.out;
  }
  if (!workersOnly) results['in-process (surface2d)'] = inThread;
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
  // BLAS threads pinned to torch's, so "1 thread" is one core; and torch's usual best on this
  // machine: one torch thread with OpenBLAS's own threads (as tools/bench/train-epoch.mjs).
  const pin = (n) => ({ OPENBLAS_NUM_THREADS: String(n), OMP_NUM_THREADS: String(n), MKL_NUM_THREADS: String(n) });
  const configs = { '1 thread': [1, pin(1)], '1 thread + OpenBLAS': [1, {}], '2 threads': [2, pin(2)] };
  if (!workersOnly) for (const [name, [threads, env]] of Object.entries(configs)) torch[name] = python(join(here, 'landscape_torch.py'), [dir, grid, reps, threads], env);
  rmSync(dir, { recursive: true, force: true });
  dirs.forEach((d) => tf.dispose(Object.values(d)));
  tf.dispose([batch.x, batch.y]);
  model.dispose();
  return { grid, reps, backend: backend.backend, results, torch, load: loadavg(), cores, coresAfter: await coresAvailable() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const workersOnly = process.argv.includes('--workers-only');
  const grid = Number(args[0] ?? 41);
  const reps = Number(args[1] ?? 2);
  const load0 = loadavg();
  const r = await benchLandscape(grid, reps, workersOnly);
  console.log(machine());
  console.log(`cores free for this process (2 busy-loop threads vs 1): ${r.cores.toFixed(2)} before, ${r.coresAfter.toFixed(2)} after`);
  console.log(`load average (1, 5, 15 min) at the start: ${load0.map((v) => v.toFixed(2)).join(', ')}; at the end: ${r.load.map((v) => v.toFixed(2)).join(', ')}`);
  console.log(`Loss surface: ${grid}×${grid} grid (${grid * grid} points), SimpleNetwork ReLU (283,914 weights), 256 images; median of ${reps}; wall (CPU of all threads)`);
  const line = (name, runs) => {
    const wall = median(runs.map((x) => x.seconds));
    const cpu = median(runs.map((x) => x.cpu));
    return { wall, cpu, text: `  ${name.padEnd(36)} ${fmt(wall).padStart(9)}  (CPU ${fmt(cpu)}, ${(cpu / wall).toFixed(2)} cores used)  ${(1000 * wall / (grid * grid)).toFixed(2)} ms/point` };
  };
  const rows = {};
  for (const [name, runs] of Object.entries(r.results)) {
    const l = line(name, runs);
    rows[name] = l;
    console.log(l.text + (runs.startup !== undefined ? `  [startup + 3×3 warm-up ${fmt(runs.startup)}; max |Δloss| vs in-process ${runs.maxDiff.toExponential(1)}]` : ''));
  }
  for (const [name, t] of Object.entries(r.torch)) {
    const s = summary(t.times);
    const cpu = median(t.cpu);
    console.log(`  ${`PyTorch ${t.torch}, ${name}`.padEnd(36)} ${fmt(s.median).padStart(9)}  (CPU ${fmt(cpu)}, ${(cpu / s.median).toFixed(2)} cores used)  ${(1000 * s.median / (grid * grid)).toFixed(2)} ms/point  [max |Δloss| vs Descent ${t.maxDiff.toExponential(1)}]`);
    rows[`torch ${name}`] = { wall: s.median };
  }
  const w1 = rows['worker pool, 1 thread'].wall;
  const w2 = rows['worker pool, 2 threads'].wall;
  console.log(`  2 workers vs 1: ${(w1 / w2).toFixed(2)}× faster (wall)`);
  if (rows['torch 1 thread']) {
    const best = Math.min(...Object.keys(rows).filter((k) => k.startsWith('torch')).map((k) => rows[k].wall));
    console.log(`  speed ratio (PyTorch time / Descent time): 1 core ${(rows['torch 1 thread'].wall / w1).toFixed(2)}×; 2 threads ${(rows['torch 2 threads'].wall / w2).toFixed(2)}×; PyTorch's best setting vs 2 workers ${(best / w2).toFixed(2)}×`);
  }
}
