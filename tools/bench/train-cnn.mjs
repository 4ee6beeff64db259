// Case 1b, training: one epoch of the book's CIFAR100CNN (@descent/models cifarCnn, 1.19 M
// parameters) on CIFAR-shaped synthetic data (seeded uint8 32×32×3 images, 100 classes), batch
// 128, Adam 1e-3: Descent's training loop on tfjs against PyTorch 1.13 CPU at its best setting
// (train_cnn_torch.py: torch.set_num_threads(1), OpenBLAS's own threads) on the same images.
// Weights are initialised by each side (same scheme, U(±1/√fan_in), not the same values).
// If the backend lacks a kernel of the CNN's backward pass the row says so instead of failing.
// usage: node tools/bench/train-cnn.mjs [images=768] [reps=2] [batch=128]   (needs `npm run build`)
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { useBackend, tf } from '@descent/tensor';
import { ImageDataset } from '@descent/datasets';
import { cifarCnn } from '@descent/models';
import { adam } from '@descent/optim-adam';
import { train } from '@descent/train';
import { summary, python, fmt, machine } from './lib.mjs';

export function syntheticCifar(n, seed = 3) {
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(1664525, s) + 1013904223) >>> 0);
  const images = new Uint8Array(n * 32 * 32 * 3);
  for (let i = 0; i < images.length; i++) images[i] = rnd() >>> 24;
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) labels[i] = (rnd() >>> 8) % 100;
  return { images, labels };
}

export async function benchTrainCnn(n = 768, reps = 2, batchSize = 128) {
  const backend = await useBackend('auto');
  const { images, labels } = syntheticCifar(n);
  const data = new ImageDataset({ name: 'cifar-shaped', split: 'train', images, labels, shape: [32, 32, 3], numClasses: 100 });
  const model = cifarCnn({ seed: 0 });
  const times = [];
  let error;
  try {
    for (let r = 0; r <= reps; r++) {
      const t0 = performance.now();
      // Run 0 warms up (kernel setup, allocation) on the first 2 batches only.
      const result = await train({ model, optimizer: adam.create({ lr: 1e-3 }), train: r === 0 ? data.subset(0, 2 * batchSize) : data, epochs: 1, batchSize, seed: r, progress: 'none', checkpoint: false });
      const seconds = (performance.now() - t0) / 1000;
      result.optimizer.dispose();
      if (result.status !== 'completed') throw new Error(`run ${result.status}: ${result.diverged?.reason ?? ''}`);
      if (r > 0) times.push(seconds);
      process.stderr.write(`  train-cnn Descent run ${r}: ${fmt(seconds)}\n`);
    }
  } catch (e) {
    error = String(e?.message ?? e).split('\n')[0];
  }
  model.dispose();
  const dir = mkdtempSync(join(tmpdir(), 'descent-cnn-bench-'));
  writeFileSync(join(dir, 'images.u8'), images);
  writeFileSync(join(dir, 'labels.u8'), labels);
  const torch = python(join(dirname(fileURLToPath(import.meta.url)), 'train_cnn_torch.py'), [dir, n, batchSize, reps + 1, 1]);
  rmSync(dir, { recursive: true, force: true });
  return { backend, n, batchSize, reps, descent: error ? undefined : summary(times), error, torch, reference: summary(torch.times.slice(1)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [n, reps, batch] = [768, 2, 128].map((d, i) => Number(process.argv[2 + i] ?? d));
  const load0 = loadavg();
  const r = await benchTrainCnn(n, reps, batch);
  const spread = (s) => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
  console.log(machine());
  console.log(`load average (1, 5, 15 min) at the start: ${load0.map((v) => v.toFixed(2)).join(', ')}; at the end: ${loadavg().map((v) => v.toFixed(2)).join(', ')}`);
  console.log(`Training: one epoch of CIFAR100CNN (1,194,084 parameters) on ${r.n} CIFAR-shaped images (32×32×3, 100 classes), batch ${r.batchSize}, Adam 1e-3; median (min–max) of ${r.reps} epochs after a 2-batch warm-up.`);
  console.log(`Descent on tfjs ${r.backend.backend} ${tf.version_core}${r.backend.fastMatMul ? ' with the fast matMul' : ''}; PyTorch ${r.torch.torch} CPU, set_num_threads(${r.torch.threads}) with OpenBLAS's own threads.`);
  console.log('');
  console.log('| case | Descent | PyTorch | PyTorch / Descent | per 50k-image epoch (Descent, PyTorch) |');
  console.log('|---|---:|---:|---:|---|');
  const per = (s) => fmt((s.median * 50000) / r.n);
  if (r.descent) console.log(`| CNN epoch, ${r.n} images | ${spread(r.descent)} | ${spread(r.reference)} | ${(r.reference.median / r.descent.median).toFixed(2)}× | ${per(r.descent)}, ${per(r.reference)} |`);
  else console.log(`| CNN epoch, ${r.n} images | not supported on ${r.backend.backend}: ${r.error} | ${spread(r.reference)} | — | —, ${per(r.reference)} |`);
}
