// Throughput of @descent/datasets batching: one epoch of batches (tensors made and disposed).
// Run: cd /work/main && npx vite-node --config vitest.config.ts tools/bench/datasets-batching.ts
import { Rng, tf, useBackend } from '@descent/tensor';
import { ImageDataset, loadFashionMnist } from '@descent/datasets';

function epoch(ds: ImageDataset, opts: Parameters<ImageDataset['batches']>[0]): { ms: number; batches: number } {
  const t0 = performance.now();
  let batches = 0;
  for (const b of ds.batches(opts)) {
    batches++;
    b.dispose();
  }
  return { ms: performance.now() - t0, batches };
}

function report(label: string, ds: ImageDataset, opts: Parameters<ImageDataset['batches']>[0]) {
  epoch(ds, opts); // warm-up
  const runs = [epoch(ds, opts), epoch(ds, opts), epoch(ds, opts)].sort((a, b) => a.ms - b.ms);
  const { ms, batches } = runs[1];
  console.log(`${label}: ${ds.size} images, ${batches} batches, epoch ${ms.toFixed(0)} ms (median of 3), ${((ds.size / ms) * 1000).toFixed(0)} images/s`);
}

const backend = await useBackend(process.argv[2] === 'cpu' ? 'cpu' : 'wasm');
console.log(`backend ${backend.backend}, node ${process.version}`);

let t0 = performance.now();
const train = await loadFashionMnist({ split: 'train', allowEmbeddedFallback: true });
console.log(`loadFashionMnist(train): ${(performance.now() - t0).toFixed(0)} ms, ${train.size} images from ${train.source!.kind}`);
const rng = new Rng(0);
report('FashionMNIST batch 128, shuffled', train, { batchSize: 128, shuffle: true, rng });
report('FashionMNIST batch 128, shuffled, flattened, one-hot', train, { batchSize: 128, shuffle: true, rng, flatten: true, oneHot: true });

// CIFAR-sized synthetic data (no CIFAR files are shipped): 50,000 × 32×32×3 random bytes.
const n = 50_000;
const images = new Uint8Array(n * 3072);
for (let i = 0; i < images.length; i++) images[i] = (i * 2654435761) >>> 24;
const cifar = new ImageDataset({ name: 'cifar-like', split: 'train', images, labels: Uint8Array.from({ length: n }, (_, i) => i % 100), shape: [32, 32, 3], numClasses: 100 });
report('CIFAR-sized batch 128, shuffled', cifar, { batchSize: 128, shuffle: true, rng });
report('CIFAR-sized batch 128, shuffled, augment flip + rotate ±10° (book)', cifar, { batchSize: 128, shuffle: true, rng, augment: true });
report('CIFAR-sized batch 128, shuffled, augment flip + crop pad 4', cifar, { batchSize: 128, shuffle: true, rng, augment: { flip: true, crop: 4 } });
t0 = performance.now();
console.log(`tensors left: ${tf.memory().numTensors}`);
