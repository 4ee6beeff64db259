// Case 3, Hessian: @descent/hessian on the ReLU SimpleNetwork (283,914 weights, after 40 Adam steps) and 256
// FashionMNIST test images: top-1 and top-5 eigenvalues by power iteration with deflation
// (exactly 20 Hessian-vector products per eigenvalue: tolerance 0) and Hutchinson's trace with
// 20 Rademacher vectors, against PyTorch 1.13 double backprop (hessian_torch.py, PyHessian's way)
// on the same weights and images. Median (min–max) of the repetitions after one warm-up run.
// usage: node tools/bench/hessian.mjs [reps=2] [iters=20] [samples=20]   (needs `npm run build`)
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { useBackend, tf, paramsOf } from '@descent/tensor';
import { loadFashionMnist } from '@descent/datasets';
import { simpleNetwork } from '@descent/models';
import { modelProblem, topEigenpairs, hutchinsonTrace, hessianOperator } from '@descent/hessian';
import { adam } from '@descent/optim-adam';
import { train } from '@descent/train';
import { summary, python, fmt, machine } from './lib.mjs';

export async function benchHessian(reps = 2, iters = 20, samples = 20) {
  const backend = await useBackend('auto');
  const test = await loadFashionMnist({ split: 'test' });
  const batch = test.subset(0, 256).toTensors();
  const model = simpleNetwork({ activation: 'relu', inputShape: [28, 28, 1], seed: 0 });
  // A briefly trained network (40 Adam steps on 10,240 training images): at initialisation the
  // largest |λ| of both signs are too close for 20 power iterations to settle.
  const trainSet = await loadFashionMnist({ split: 'train', sources: ['explicit', 'env', 'debian'] });
  const warm = await train({ model, optimizer: adam.create({ lr: 1e-3 }), train: trainSet.subset(0, 10240), epochs: 1, batchSize: 256, seed: 0, progress: 'none', checkpoint: false });
  warm.optimizer?.dispose?.();
  const problem = modelProblem(model, batch.x, batch.y);
  const probe = hessianOperator(problem);
  const method = probe.method;
  probe.dispose();
  const cases = {
    top1: () => topEigenpairs(problem, { topN: 1, maxIterations: iters, tolerance: 0, seed: 1 }),
    top5: () => topEigenpairs(problem, { topN: 5, maxIterations: iters, tolerance: 0, seed: 1 }),
    trace: () => hutchinsonTrace(problem, { maxIterations: samples, tolerance: 0, seed: 1 }),
  };
  const descent = {};
  const tensors0 = tf.memory().numTensors;
  for (const [name, fn] of Object.entries(cases)) {
    const times = [];
    let value;
    for (let r = 0; r <= reps; r++) {
      const t0 = performance.now();
      const out = fn();
      const dt = (performance.now() - t0) / 1000;
      if (name === 'trace') value = [out.trace, out.standardError];
      else {
        value = out.map((p) => p.value);
        out.forEach((p) => tf.dispose(Object.values(p.vector)));
      }
      if (r > 0) times.push(dt);
    }
    descent[name] = { ...summary(times), value };
    process.stderr.write(`  hessian ${name}: ${fmt(descent[name].median)}\n`);
  }
  const leaked = tf.memory().numTensors - tensors0;

  // The same weights and images for PyTorch (tfjs layout: dense kernels [in, out]).
  const dir = mkdtempSync(join(tmpdir(), 'descent-hessian-bench-'));
  const theta = paramsOf(model);
  const names = Object.keys(theta);
  const parts = names.map((n) => theta[n].dataSync());
  const flat = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  parts.reduce((at, p) => (flat.set(p, at), at + p.length), 0);
  writeFileSync(join(dir, 'theta.f32'), flat);
  writeFileSync(join(dir, 'x.f32'), batch.x.dataSync());
  writeFileSync(join(dir, 'y.i32'), batch.y.dataSync());
  writeFileSync(join(dir, 'shapes.json'), JSON.stringify(names.map((n) => theta[n].shape)));
  const torch = python(join(dirname(fileURLToPath(import.meta.url)), 'hessian_torch.py'), [dir, reps, iters, samples, 1]);
  rmSync(dir, { recursive: true, force: true });
  tf.dispose([batch.x, batch.y]);
  model.dispose();
  return { backend, descent, torch, reps, iters, samples, leaked, method };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [reps, iters, samples] = [2, 20, 20].map((d, i) => Number(process.argv[2 + i] ?? d));
  const load0 = loadavg();
  const r = await benchHessian(reps, iters, samples);
  const spread = (s) => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
  const val = (name, v) => (name === 'trace' ? `${v[0].toFixed(1)} ± ${v[1].toFixed(1)}` : v.map((x) => x.toFixed(3)).join(', '));
  console.log(machine());
  console.log(`load average (1, 5, 15 min) at the start: ${load0.map((v) => v.toFixed(2)).join(', ')}; at the end: ${loadavg().map((v) => v.toFixed(2)).join(', ')}`);
  console.log(`Hessian of the ReLU SimpleNetwork (283,914 weights), 256 FashionMNIST test images; power iteration ${r.iters} products per eigenvalue (no early stop), Hutchinson ${r.samples} Rademacher vectors; median (min–max) of ${r.reps} after a warm-up.`);
  console.log(`Descent: @descent/hessian on tfjs ${r.backend.backend} ${tf.version_core} (Hessian-vector products by ${r.method === 'r-op' ? 'the R-operator: forward pieces once per call, forward and backward R-passes per product' : 'double backprop: each product recomputes loss, gradient and the second backward'}). PyTorch ${r.torch.torch}, set_num_threads(${r.torch.threads}) with OpenBLAS's own threads, PyHessian's scheme (gradient graph once, retain_graph).`);
  console.log('');
  console.log('| case | Descent | PyTorch | PyTorch / Descent | Descent values | PyTorch values |');
  console.log('|---|---:|---:|---:|---|---|');
  const label = { top1: `top-1 eigenvalue (${r.iters} it.)`, top5: `top-5 eigenvalues (5×${r.iters} it.)`, trace: `Hutchinson trace (${r.samples} samples)` };
  for (const name of ['top1', 'top5', 'trace']) {
    const d = r.descent[name];
    const t = r.torch.results[name];
    const ts = summary(t.times);
    console.log(`| ${label[name]} | ${spread(d)} | ${spread(ts)} | ${(ts.median / d.median).toFixed(2)}× | ${val(name, d.value)} | ${val(name, t.value)} |`);
  }
  console.log(`\ntensors left after all runs: ${r.leaked}`);
}
