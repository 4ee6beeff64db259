// One epoch of the ReLU SimpleNetwork on the 60k FashionMNIST training set, batch 256, Adam 1e-3:
// Descent's training loop (TensorFlow.js wasm with Descent's matMul fast path) against PyTorch
// 1.13 CPU at its best setting (torch.set_num_threads(1); OpenBLAS keeps its own threads).
// usage: node tools/bench/train-epoch.mjs [reps]   (needs `npm run build` and dataset-fashion-mnist)
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { useBackend, tf } from '@descent/tensor';
import { loadFashionMnist } from '@descent/datasets';
import { simpleNetwork } from '@descent/models';
import { adam } from '@descent/optim-adam';
import { train } from '@descent/train';
import { summary, python, fmt, machine } from './lib.mjs';

export async function benchTrainEpoch(reps = 3) {
  const backend = await useBackend('auto');
  const data = await loadFashionMnist({ split: 'train', sources: ['explicit', 'env', 'debian'] });
  const model = simpleNetwork({ activation: 'relu', inputShape: [28, 28, 1] });
  const times = [];
  // One warm-up epoch (kernel compilation, allocation), then the timed ones.
  for (let r = 0; r <= reps; r++) {
    const t0 = performance.now();
    const result = await train({ model, optimizer: adam.create({ lr: 1e-3 }), train: data, epochs: 1, batchSize: 256, seed: r, progress: 'none', checkpoint: false });
    const seconds = (performance.now() - t0) / 1000;
    result.optimizer.dispose();
    if (r > 0) times.push(seconds);
  }
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
    note: `Descent on tfjs ${backend.backend}${backend.fastMatMul ? ' with the fast matMul' : ''}; ${tf.version_core}`,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await benchTrainEpoch(Number(process.argv[2] ?? 3));
  console.log(machine());
  console.log(`${r.name}\n  Descent   ${fmt(r.descent.median)} (${fmt(r.descent.min)}–${fmt(r.descent.max)})\n  ${r.referenceName}  ${fmt(r.reference.median)} (${fmt(r.reference.min)}–${fmt(r.reference.max)})\n  speed ratio (reference time / Descent time): ${r.ratio.toFixed(2)}×  [${r.note}]`);
}
