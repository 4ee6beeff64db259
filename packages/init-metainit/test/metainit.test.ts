import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, initContext, initializeModel, InvalidParameterError, Rng } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { initializerConformance } from '@descent/testkit';
import { kaimingNormal } from '@descent/init-kaiming';
import { metaInit, gradientQuotient, metaInitPlugin, metaInitInitializer, hasMetaInitPostInit, runPostInit, metaInitDefaults } from '@descent/init-metainit';

const ce = (y: tf.Tensor, logits: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, logits);

function classificationBatch(seed: number, n: number, d: number, classes: number) {
  const rng = new Rng(seed);
  const x = rng.randomNormal([n, d]);
  const labels = tf.tensor1d(Array.from({ length: n }, () => rng.int(classes)), 'int32');
  const y = tf.oneHot(labels, classes).cast('float32');
  labels.dispose();
  return { x, y };
}

function mlp(dims: number[], activation: 'tanh' | 'relu') {
  const layers: tf.layers.Layer[] = [];
  for (let i = 1; i < dims.length; i++) {
    layers.push(tf.layers.dense({ units: dims[i], inputShape: i === 1 ? [dims[0]] : undefined, activation: i < dims.length - 1 ? activation : 'linear' }));
  }
  return tf.sequential({ layers });
}

function scaleKernels(model: tf.LayersModel, factor: number) {
  for (const w of model.trainableWeights) {
    if (w.shape.length < 2) continue;
    const v = w.read() as tf.Variable;
    const next = tf.mul(v, factor);
    v.assign(next);
    next.dispose();
  }
}

describe('metainit', () => {
  initializerConformance({
    plugin: metaInitPlugin,
    invalid: [{ steps: -1 }, { steps: 1.5 }, { lr: 0 }, { momentum: 1 }, { eps: 0 }, { hvpStep: 0 }, { scaleStep: 0.9 }, { quotient: 'exact' }, { base: 'spectral-normal' }, { baseConfig: { mode: 'fan_in' } }, { gain: 1 }],
    shapes: [
      [64, 32],
      [3, 3, 8, 16],
    ],
  });
});

describe('gradient quotient', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('matches a float64 reference on a quadratic loss (linear model, MSE), both quotient forms', () => {
    // L(W) = mean((XW − Y)²) over B·k entries: g = c·Xᵀ(XW − Y), H·v = c·XᵀX·v, c = 2/(B·k).
    const [B, d, k] = [40, 6, 3];
    const rng = new Rng(4);
    const xT = rng.randomNormal([B, d]);
    const yT = rng.randomNormal([B, k]);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: k, inputShape: [d], useBias: false, kernelInitializer: 'glorotNormal' })] });
    const X = Array.from(xT.dataSync());
    const Y = Array.from(yT.dataSync());
    const W = Array.from(model.getWeights()[0].dataSync());
    const c = 2 / (B * k);
    const xtMul = (M: number[]) => {
      // Xᵀ M for M [B, k] → [d, k]
      const out = new Array(d * k).fill(0);
      for (let b = 0; b < B; b++) for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) out[i * k + j] += X[b * d + i] * M[b * k + j];
      return out;
    };
    const xMul = (V: number[]) => {
      const out = new Array(B * k).fill(0);
      for (let b = 0; b < B; b++) for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) out[b * k + j] += X[b * d + i] * V[i * k + j];
      return out;
    };
    const resid = xMul(W).map((v, i) => v - Y[i]);
    const g = xtMul(resid).map((v) => c * v);
    const hg = xtMul(xMul(g)).map((v) => c * v);
    const eps = metaInitDefaults.eps;
    const expected = g.reduce((s, gi, i) => s + Math.abs((gi - hg[i]) / (gi + eps * (gi >= 0 ? 1 : -1)) - 1), 0) / g.length;
    const mse = (y: tf.Tensor, p: tf.Tensor) => tf.losses.meanSquaredError(y, p);
    const before = Array.from(model.getWeights()[0].dataSync());
    const hvp = gradientQuotient(model, mse, { x: xT, y: yT });
    const step = gradientQuotient(model, mse, { x: xT, y: yT }, { quotient: 'step' });
    expect(Math.abs(hvp - expected) / expected).toBeLessThan(1e-3);
    expect(Math.abs(step - expected) / expected).toBeLessThan(1e-3);
    // The weights are restored exactly.
    expect(Array.from(model.getWeights()[0].dataSync())).toEqual(before);
    model.dispose();
    tf.dispose([xT, yT]);
  });

  it('restores the weights when the loss throws during a perturbed evaluation', () => {
    const { x, y } = classificationBatch(2, 16, 5, 3);
    const model = mlp([5, 8, 3], 'tanh');
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    let calls = 0;
    const flaky = (yt: tf.Tensor, yp: tf.Tensor) => {
      if (++calls === 2) throw new Error('boom');
      return ce(yt, yp);
    };
    expect(() => gradientQuotient(model, flaky, { x, y })).toThrow('boom');
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('does not leak tensors and counts biases in N', () => {
    const { x, y } = classificationBatch(1, 16, 5, 3);
    const model = mlp([5, 8, 3], 'tanh');
    const before = tf.memory().numTensors;
    const q = gradientQuotient(model, ce, { x, y });
    expect(Number.isFinite(q) && q > 0).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => gradientQuotient(model, ce, { x, y }, { hvpStep: 0 })).toThrow(InvalidParameterError);
    model.dispose();
    tf.dispose([x, y]);
  });
});

describe('metaInit', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('lowers the gradient quotient of a tanh MLP whose weights are 3× too large', () => {
    const { x, y } = classificationBatch(1, 128, 32, 10);
    const model = mlp([32, 128, 128, 10], 'tanh');
    initializeModel(model, kaimingNormal({ nonlinearity: 'tanh' }), { rng: 2 });
    scaleKernels(model, 3);
    const biasesBefore = model.getWeights().filter((w) => w.shape.length === 1).map((w) => Array.from(w.dataSync()));
    const tensorsBefore = tf.memory().numTensors;
    const seen: number[] = [];
    const r = metaInit(model, ce, { x, y }, { steps: 20, onStep: (_, gq) => seen.push(gq) });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(r.history).toHaveLength(21);
    expect(seen).toEqual(r.history);
    // GQ falls over the steps: the last value well below the first, and the second half below the first half.
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(r.history[20]).toBeLessThan(0.7 * r.history[0]);
    expect(mean(r.history.slice(11))).toBeLessThan(mean(r.history.slice(0, 10)));
    // Only the kernels were rescaled (directions kept), biases untouched; scales/norms per kernel.
    const kernels = model.trainableWeights.filter((w) => w.shape.length === 2).map((w) => w.name);
    expect(Object.keys(r.scales).sort()).toEqual([...kernels].sort());
    expect(Object.values(r.scales).some((s) => Math.abs(s - 1) > 0.05)).toBe(true);
    for (const w of model.trainableWeights.filter((w) => w.shape.length === 2)) {
      const norm = Math.sqrt(Array.from(w.read().dataSync()).reduce((s, v) => s + v * v, 0));
      expect(norm).toBeCloseTo(r.norms[w.name], 3);
    }
    expect(model.getWeights().filter((w) => w.shape.length === 1).map((w) => Array.from(w.dataSync()))).toEqual(biasesBefore);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('runs zero steps, takes a batch function, honours a filter, validates options', () => {
    const model = mlp([6, 8, 3], 'tanh');
    const batches = [1, 2, 3].map((s) => classificationBatch(s, 16, 6, 3));
    const used: number[] = [];
    const r0 = metaInit(model, ce, batches[0], { steps: 0 });
    expect(r0.history).toHaveLength(1);
    expect(Object.values(r0.scales).every((s) => Math.abs(s - 1) < 1e-6)).toBe(true);
    const first = model.trainableWeights[0].name;
    const r = metaInit(model, ce, (k) => (used.push(k), batches[k]), { steps: 2, filter: (name) => name === first });
    expect(used).toEqual([0, 1, 2]);
    expect(Object.keys(r.scales)).toEqual([first]);
    expect(() => metaInit(model, ce, batches[0], { lr: 0 })).toThrow(InvalidParameterError);
    expect(() => metaInit(model, ce, batches[0], { quotient: 'exact' as never })).toThrow(InvalidParameterError);
    expect(() => metaInit(model, ce, batches[0], { filter: () => false })).toThrow(InvalidParameterError);
    model.dispose();
    batches.forEach((b) => tf.dispose([b.x, b.y]));
  });
});

describe('metainit plugin', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('draws with the base initializer and carries the postInit marker', () => {
    const init = metaInitPlugin.create({ steps: 50, lr: 0.05, baseConfig: { nonlinearity: 'relu' } });
    expect(hasMetaInitPostInit(init)).toBe(true);
    if (!hasMetaInitPostInit(init)) return;
    expect(init.postInit).toEqual({ kind: 'metainit', config: { ...metaInitDefaults, steps: 50, lr: 0.05 } });
    const shape = [20, 10];
    const a = init(shape, initContext(shape, { rng: new Rng(3) }));
    const b = kaimingNormal({ nonlinearity: 'relu' })(shape, initContext(shape, { rng: new Rng(3) }));
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
    expect(hasMetaInitPostInit(kaimingNormal())).toBe(false);
    expect(metaInitInitializer({ base: 'orthogonal', baseConfig: { gain: 2 } }).postInit.kind).toBe('metainit');
    expect(() => metaInitInitializer({ base: 'xavier-normal', baseConfig: { gain: 0 } })).toThrow(ConfigError);
  });

  it('runPostInit runs the tuning the initializer asked for, after initializeModel (PReLU slope untouched)', () => {
    const { x, y } = classificationBatch(5, 32, 8, 3);
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 16, inputShape: [8], biasInitializer: 'ones' }),
        tf.layers.prelu({ alphaInitializer: tf.initializers.constant({ value: 0.25 }), sharedAxes: [1] }),
        tf.layers.dense({ units: 3, biasInitializer: 'ones' }),
      ],
    });
    const init = metaInitInitializer({ steps: 3 });
    initializeModel(model, init, { rng: 1 });
    const [, b1, alpha, , b2] = model.getWeights();
    expect([...b1.dataSync(), ...b2.dataSync()].every((v) => v === 0)).toBe(true);
    const r = runPostInit(init, model, ce, { x, y });
    expect(r?.history).toHaveLength(4);
    expect(Object.keys(r!.scales)).toHaveLength(2); // the two kernels; the 1-D slope is not tuned
    expect(Array.from(model.getWeights()[2].dataSync())).toEqual([0.25]);
    expect(alpha.shape).toEqual([1]);
    expect(runPostInit(kaimingNormal(), model, ce, { x, y })).toBeUndefined();
    model.dispose();
    tf.dispose([x, y]);
  });
});
