import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, Rng, denseStackAvailable, perParameter, type GradientTransform } from '@descent/tensor';
import { train, type DataSource } from '@descent/train';
import { nativeBlas } from '@descent/native-blas';
import { denseStackPlan } from '../src/fused-step';

let models = 0;
const unique = (base: string) => `${base}${models++}`;

/** Flatten → dense 24 → relu (an Activation layer applied twice, shared) → dense 16 → relu → dense 4. */
function sharedActivationMlp(seed: number): tf.LayersModel {
  const name = unique('fs_mlp');
  const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
  const x = tf.input({ shape: [3, 4] });
  const relu = tf.layers.activation({ activation: 'relu', name: `${name}_relu` });
  let h = tf.layers.flatten({ name: `${name}_flat` }).apply(x) as tf.SymbolicTensor;
  h = relu.apply(tf.layers.dense({ units: 24, kernelInitializer: init(seed), biasInitializer: tf.initializers.randomNormal({ seed: seed + 3 }), name: `${name}_d1` }).apply(h)) as tf.SymbolicTensor;
  h = relu.apply(tf.layers.dense({ units: 16, kernelInitializer: init(seed + 1), name: `${name}_d2` }).apply(h)) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 4, kernelInitializer: init(seed + 2), name: `${name}_d3` }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: h, name });
}

/** 4 classes in 12 features (as 3×4 "images"); class c shifts feature c. */
function data(n: number, seed: number): DataSource {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 12), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 4;
    for (let j = 0; j < 12; j++) x[i * 12 + j] = rng.normal() * 0.5 + (j === y[i] ? 2 : 0);
  }
  return {
    size: n,
    *batches({ batchSize, shuffle, rng: r }) {
      const order = shuffle && r ? r.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
      for (let s = 0; s < n; s += batchSize) {
        const idx = Array.from(order.subarray(s, s + batchSize));
        const bx = new Float32Array(idx.length * 12);
        idx.forEach((k, i) => bx.set(x.subarray(k * 12, k * 12 + 12), i * 12));
        yield { x: tf.tensor3d(bx, [idx.length, 3, 4]), y: tf.tensor1d(idx.map((k) => y[k]), 'int32'), size: idx.length };
      }
    },
  };
}

const sgd = (lr: number): GradientTransform<any> =>
  perParameter<Record<string, never>>({ hyper: { lr }, init: () => ({}), update: (g, slot, { hyper }) => ({ update: tf.mul(g, -hyper.lr), slot }) });

describe('the fused training step', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('recognises chains of dense layers, with shared activation layers and flattened input', () => {
    const model = sharedActivationMlp(1);
    const plan = denseStackPlan(model);
    expect(plan.ok).toBe(true);
    if (plan.ok) expect(plan.layers.map((l) => l.activation)).toEqual(['relu', 'relu', 'linear']);
    const seq = tf.sequential({ layers: [tf.layers.dense({ units: 5, inputShape: [3], activation: 'tanh' }), tf.layers.dense({ units: 2, useBias: false })] });
    const p2 = denseStackPlan(seq);
    expect(p2.ok && p2.layers.map((l) => [l.activation, l.bias === undefined])).toEqual([['tanh', false], ['linear', true]]);
    model.dispose();
    seq.dispose();
  });

  it('leaves other models to the general path, saying why', () => {
    const conv = tf.sequential({ layers: [tf.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1] }), tf.layers.flatten(), tf.layers.dense({ units: 2 })] });
    const drop = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3] }), tf.layers.dropout({ rate: 0.5 }), tf.layers.dense({ units: 2 })] });
    const gelu = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], activation: 'elu' }), tf.layers.dense({ units: 2 })] });
    const frozen = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], trainable: false }), tf.layers.dense({ units: 2 })] });
    const unflattened = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [2, 3] }), tf.layers.flatten(), tf.layers.dense({ units: 2 })] });
    expect(denseStackPlan(conv)).toMatchObject({ ok: false, reason: expect.stringMatching(/Conv2D/) });
    expect(denseStackPlan(drop)).toMatchObject({ ok: false, reason: expect.stringMatching(/Dropout/) });
    expect(denseStackPlan(gelu)).toMatchObject({ ok: false, reason: expect.stringMatching(/elu/) });
    expect(denseStackPlan(frozen)).toMatchObject({ ok: false, reason: expect.stringMatching(/frozen|outside/) });
    expect(denseStackPlan(unflattened).ok).toBe(false);
    for (const m of [conv, drop, gelu, frozen, unflattened]) m.dispose();
  });

  it.skipIf(nativeBlas() === null)('trains like the general path, through one native kernel per step, without leaks', async () => {
    expect(denseStackAvailable()).toBe(true);
    const calls = { n: 0 };
    const kernel = tf.getKernel('DescentDenseStackGradients', 'wasm')!;
    tf.unregisterKernel(kernel.kernelName, 'wasm');
    tf.registerKernel({ ...kernel, kernelFunc: (args) => (calls.n++, kernel.kernelFunc(args)) });
    try {
      const run = async (fusedStep: boolean) => {
        const model = sharedActivationMlp(7);
        const before = tf.memory().numTensors;
        const result = await train({ model, optimizer: sgd(0.1), train: data(90, 3), test: data(40, 4), epochs: 3, batchSize: 16, seed: 5, progress: 'none', checkpoint: false, fusedStep });
        result.optimizer.dispose();
        const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
        const leaked = tf.memory().numTensors - before;
        model.dispose();
        return { epochs: result.epochs, weights, leaked };
      };
      const general = await run(false);
      expect(calls.n).toBe(0);
      const fused = await run(true);
      expect(calls.n).toBe(3 * Math.ceil(90 / 16));
      expect(general.leaked).toBe(0);
      expect(fused.leaked).toBe(0);
      fused.epochs.forEach((e, i) => {
        const g = general.epochs[i];
        expect(e.trainLoss).toBeCloseTo(g.trainLoss, 5);
        expect(e.trainAccuracy).toBe(g.trainAccuracy);
        expect(e.gradNorm).toBeCloseTo(g.gradNorm, 4);
        expect(e.testLoss!).toBeCloseTo(g.testLoss!, 5);
      });
      fused.weights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - general.weights[i][j])).toBeLessThan(1e-5)));
    } finally {
      tf.unregisterKernel(kernel.kernelName, 'wasm');
      tf.registerKernel(kernel);
    }
  });

  it('reports divergence from the fused step as from the general one', async () => {
    const model = sharedActivationMlp(9);
    const result = await train({ model, optimizer: sgd(1e6), train: data(64, 1), epochs: 5, batchSize: 16, seed: 1, progress: 'none', checkpoint: false });
    expect(result.status).toBe('diverged');
    expect(result.diverged?.reason).toMatch(/loss is|non-finite/);
    result.optimizer.dispose();
    model.dispose();
  });
});
