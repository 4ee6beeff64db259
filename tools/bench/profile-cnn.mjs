// Where a CNN training step's time goes: wraps every kernel registered on the active backend with
// a timer, trains CIFAR100CNN (tools/bench/train-cnn.mjs's setup) for a few batches after a warm-up
// and prints the time per kernel (with input shapes of the most expensive calls) and outside kernels.
// usage: node tools/bench/profile-cnn.mjs [images=256] [batch=128]   (needs `npm run build`)
// DESCENT_NATIVE=0 profiles the wasm fallback.
import { loadavg } from 'node:os';
import { useBackend, tf } from '@descent/tensor';
import { ImageDataset } from '@descent/datasets';
import { cifarCnn } from '@descent/models';
import { adam } from '@descent/optim-adam';
import { train } from '@descent/train';
import { syntheticCifar } from './train-cnn.mjs';
import './lib.mjs';

const [n, batchSize] = [256, 128].map((d, i) => Number(process.argv[2 + i] ?? d));
const backend = await useBackend('auto');
const { images, labels } = syntheticCifar(n);
const data = new ImageDataset({ name: 'cifar-shaped', split: 'train', images, labels, shape: [32, 32, 3], numClasses: 100 });
const model = cifarCnn({ seed: 0 });
const run = async (subset, seed) => {
  const r = await train({ model, optimizer: adam.create({ lr: 1e-3 }), train: subset, epochs: 1, batchSize, seed, progress: 'none', checkpoint: false });
  r.optimizer.dispose();
  if (r.status !== 'completed') throw new Error(`run ${r.status}`);
};
await run(data.subset(0, batchSize), 0); // warm-up

const stats = new Map();
let inKernel = 0;
let depth = 0;
for (const config of tf.getKernelsForBackend(backend.backend)) {
  const inner = config.kernelFunc;
  tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => {
      if (depth > 0) return inner(args); // a kernel calling kernels: count the outer one only
      depth++;
      const t0 = performance.now();
      try {
        return inner(args);
      } finally {
        const dt = performance.now() - t0;
        depth--;
        inKernel += dt;
        const key = config.kernelName;
        let s = stats.get(key);
        if (!s) stats.set(key, (s = { ms: 0, calls: 0, shapes: new Map() }));
        s.ms += dt;
        s.calls++;
        const sig = Object.values(args.inputs ?? {}).map((t) => (t && t.shape ? `[${t.shape}]` : '?')).join(' ');
        const sh = s.shapes.get(sig) ?? { ms: 0, calls: 0 };
        sh.ms += dt;
        sh.calls++;
        s.shapes.set(sig, sh);
      }
    },
  });
}
const t0 = performance.now();
await run(data, 1);
const total = performance.now() - t0;
const steps = Math.ceil(n / batchSize);
console.log(`${backend.backend}, matMul ${backend.matMulPath}; ${steps} steps of batch ${batchSize}; load ${loadavg().map((v) => v.toFixed(2)).join(', ')}`);
console.log(`total ${(total / steps).toFixed(1)} ms/step, in kernels ${(inKernel / steps).toFixed(1)} ms/step`);
for (const [name, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
  console.log(`${name.padEnd(26)} ${(s.ms / steps).toFixed(1).padStart(8)} ms/step  ${String(s.calls / steps).padStart(5)} calls/step`);
  for (const [sig, sh] of [...s.shapes].sort((a, b) => b[1].ms - a[1].ms).slice(0, 3)) {
    if (sh.ms / steps >= 1) console.log(`    ${(sh.ms / steps).toFixed(1).padStart(8)} ms  ×${sh.calls / steps}  ${sig}`);
  }
}
model.dispose();
