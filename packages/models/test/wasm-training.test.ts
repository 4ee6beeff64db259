import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend } from '@descent/tensor';
import { cifarCnn, simpleTransformer, TRANSFORMER_PRESETS } from '@descent/models';

// One optimizer step of each CIFAR model on the wasm backend, which needs Descent's
// Conv2DBackpropFilter kernel (packages/tensor/src/wasm-gradients.ts) for the CNN.
describe('training on the wasm backend', () => {
  beforeAll(async () => {
    expect((await useBackend('wasm')).backend).toBe('wasm');
  });

  const models: Array<[string, () => tf.LayersModel]> = [
    ['cifar-cnn', () => cifarCnn({ seed: 1 })],
    ['transformer small', () => simpleTransformer({ ...TRANSFORMER_PRESETS.small, inputShape: [32, 32, 3], seed: 1 })],
  ];
  for (const [name, make] of models) {
    it(`${name}: one step changes every trainable weight and leaks no tensor`, () => {
      const model = make();
      const optimizer = tf.train.sgd(0.05);
      const x = tf.randomNormal([4, 32, 32, 3], 0, 1, 'float32', 3);
      const y = tf.oneHot(tf.tensor1d([1, 7, 42, 99], 'int32'), 100);
      const loss = () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
      const before = model.trainableWeights.map((w) => w.read().dataSync().slice());
      const step = () => optimizer.minimize(loss, true, model.trainableWeights.map((w) => w.read() as tf.Variable))!;
      step().dispose(); // the optimizer creates no slots for SGD; warm up anyway
      const count = tf.memory().numTensors;
      const l = step();
      expect(Number.isFinite(l.dataSync()[0])).toBe(true);
      l.dispose();
      expect(tf.memory().numTensors).toBe(count);
      model.trainableWeights.forEach((w, i) => {
        // The book's transformer attends over a sequence of one token: softmax over one key is 1,
        // so query and key get zero gradients on every backend (cpu too).
        if (/attention\/(query|key)\//.test(w.name)) return;
        const now = w.read().dataSync();
        expect(now.some((v, k) => v !== before[i][k]), w.name).toBe(true);
      });
      tf.dispose([x, y]);
      model.dispose();
      optimizer.dispose();
    });
  }
});
