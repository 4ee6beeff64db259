// One epoch of the ReLU SimpleNetwork on the 60k FashionMNIST training set, batch 256, Adam 1e-3:
// Descent's training loop (TensorFlow.js wasm with Descent's matMul fast path) against PyTorch
// 1.13 CPU at its best setting (torch.set_num_threads(1); OpenBLAS keeps its own threads).
// usage: node tools/bench/train-epoch.mjs [reps] [--native=both]   (needs `npm run build` and dataset-fashion-mnist)
//   --native=both times the native OpenBLAS path (@descent/native-blas) and the wasm fallback
//   (DESCENT_NATIVE=0) alternately in one process, epoch by epoch, so both see the same load.
//   DESCENT_NATIVE=0 alone runs the fallback only.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { useBackend, tf } from '@descent/tensor';
import { loadFashionMnist } from '@descent/datasets';
import { simpleNetwork } from '@descent/models';
import { adam } from '@descent/optim-adam';
import { train } from '@descent/train';
import { summary, python, fmt, machine } from './lib.mjs';

/** Selects the backend; with `native` false, with DESCENT_NATIVE=0 (the wasm fallback matMul). */
async function backendFor(native) {
  const saved = process.env.DESCENT_NATIVE;
  if (native === false) process.env.DESCENT_NATIVE = '0';
  try {
    return await useBackend('auto');
  } finally {
    if (saved === undefined) delete process.env.DESCENT_NATIVE;
    else process.env.DESCENT_NATIVE = saved;
  }
}

export async function benchTrainEpoch(reps = 3, { bothPaths = false } = {}) {
  const paths = bothPaths ? [true, false] : [undefined];
  let backend = await backendFor(paths[0]);
  const data = await loadFashionMnist({ split: 'train', sources: ['explicit', 'env', 'debian'] });
  const model = simpleNetwork({ activation: 'relu', inputShape: [28, 28, 1] });
  const timesByPath = paths.map(() => []);
  const cpuByPath = paths.map(() => []);
  const reports = [];
  // One warm-up epoch per path (kernel compilation, allocation), then the timed ones, paths alternating.
  for (let r = 0; r <= reps; r++) {
    for (const [i, native] of paths.entries()) {
      backend = bothPaths ? await backendFor(native) : backend;
      reports[i] = backend;
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const result = await train({ model, optimizer: adam.create({ lr: 1e-3 }), train: data, epochs: 1, batchSize: 256, seed: r, progress: 'none', checkpoint: false });
      const seconds = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      result.optimizer.dispose();
      if (r > 0) timesByPath[i].push(seconds);
      if (r > 0) cpuByPath[i].push((c.user + c.system) / 1e6);
    }
  }
  if (bothPaths) backend = await backendFor(undefined);
  const times = timesByPath[0];
  model.dispose();
  const torch = python(join(dirname(fileURLToPath(import.meta.url)), 'train_epoch_torch.py'), [reps + 1, 1]);
  const torchTimes = torch.times.slice(1);
  const d = summary(times);
  const t = summary(torchTimes);
  return {
    name: 'Training: one MLP epoch (60k FashionMNIST, batch 256, Adam)',
    descent: d,
    reference: t,
    referenceName: `PyTorch ${torch.torch} CPU, set_num_threads(1)`,
    ratio: t.median / d.median,
    note: `Descent on tfjs ${reports[0].backend}, matMul ${reports[0].matMulPath ?? (reports[0].fastMatMul ? 'wasm-fast' : 'backend')}; ${tf.version_core}`,
    // With --native=both: the second path (the wasm fallback) timed in the same run.
    paths: reports.map((rep, i) => ({ matMulPath: rep.matMulPath, reason: rep.native?.reason, descent: summary(timesByPath[i]), ratio: t.median / summary(timesByPath[i]).median, cpu: summary(cpuByPath[i]) })),
    // Process CPU seconds per epoch (all threads), less sensitive to a loaded machine than wall time.
    referenceCpu: torch.cpuTimes ? summary(torch.cpuTimes.slice(1)) : undefined,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const bothPaths = args.includes('--native=both');
  const r = await benchTrainEpoch(Number(args.find((a) => !a.startsWith('--')) ?? 3), { bothPaths });
  console.log(machine());
  console.log(`${r.name}\n  Descent   ${fmt(r.descent.median)} (${fmt(r.descent.min)}–${fmt(r.descent.max)})\n  ${r.referenceName}  ${fmt(r.reference.median)} (${fmt(r.reference.min)}–${fmt(r.reference.max)})\n  speed ratio (reference time / Descent time): ${r.ratio.toFixed(2)}×  [${r.note}]`);
  if (bothPaths) {
    for (const p of r.paths) console.log(`  matMul ${p.matMulPath.padEnd(9)} ${fmt(p.descent.median)} (${fmt(p.descent.min)}–${fmt(p.descent.max)})  ratio ${p.ratio.toFixed(2)}×  [${p.reason}]`);
    if (r.referenceCpu) {
      console.log(`  CPU seconds per epoch (all threads): PyTorch ${fmt(r.referenceCpu.median)}; ${r.paths.map((p) => `${p.matMulPath} ${fmt(p.cpu.median)} (ratio ${(r.referenceCpu.median / p.cpu.median).toFixed(2)}×)`).join('; ')}`);
    }
  }
}
