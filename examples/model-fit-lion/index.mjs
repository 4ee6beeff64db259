// A stock tfjs-layers model trained by model.fit, with Descent's Lion as its optimizer and Kaiming
// (He) normal initialisation as its kernel initializer, on a small synthetic problem.
import { tf, useBackend, toTfOptimizer, toLayersInitializer, Rng } from '@descent/tensor';
import { lion } from '@descent/optim-lion';
import { kaimingNormal } from '@descent/init-kaiming';

await useBackend('cpu');
const rng = new Rng(0);

// Two Gaussian blobs in 8 dimensions, labelled 0 and 1.
const n = 512;
const xs = tf.tidy(() => tf.concat([tf.add(rng.randomNormal([n / 2, 8]), 1), tf.sub(rng.randomNormal([n / 2, 8]), 1)]));
const ys = tf.oneHot(tf.tensor1d([...Array(n / 2).fill(0), ...Array(n / 2).fill(1)], 'int32'), 2);

const init = () => toLayersInitializer(kaimingNormal({ nonlinearity: 'relu' }), { rng: rng.fork('init') });
const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 32, activation: 'relu', inputShape: [8], kernelInitializer: init() }),
    tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: init() }),
  ],
});
model.compile({ optimizer: toTfOptimizer(lion.create({ lr: 3e-3, weightDecay: 0.01 })), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

const history = await model.fit(xs, ys, { epochs: 5, batchSize: 64, shuffle: true, verbose: 0 });
const loss = history.history.loss;
const acc = history.history.acc ?? history.history.accuracy;
console.log(`epochs: ${loss.length}; final accuracy ${(100 * acc.at(-1)).toFixed(1)} %`);
console.log(`lion: loss fell from ${loss[0].toFixed(4)} to ${loss.at(-1).toFixed(4)}`);
if (!(loss.at(-1) < loss[0])) {
  console.error('the loss did not fall');
  process.exit(1);
}
tf.dispose([xs, ys]);
model.dispose();
