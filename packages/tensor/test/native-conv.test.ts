import { describe, it, expect, afterAll } from 'vitest';
import { tf, useBackend, installNativeKernels, uninstallNativeKernels, nativeKernelCounts, nativeActive } from '@descent/tensor';
import { nativeBatchNormGradCount } from '../src/native-batchnorm';

// The CNN kernels of the native path (src/native-conv.ts) against the cpu backend's, and a CNN's
// training through them against the wasm fallback. They run only where @descent/native-blas built
// its addon (with the conv functions); elsewhere these tests skip.
const first = await useBackend('wasm');
const built = first.native.active && nativeKernelCounts().Conv2D !== undefined;
if (!built) console.warn(`native conv tests skipped: ${first.native.reason}`);

/** Deterministic values in [-1, 1). */
function values(count: number, seed: number): Float32Array {
  const f = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    f[i] = s / 2 ** 31 - 1;
  }
  return f;
}
const size = (s: number[]) => s.reduce((p, x) => p * x, 1);
const rand = (shape: number[], seed: number) => tf.tensor(values(size(shape), seed + size(shape)), shape);

interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
  dilations?: number;
  fused?: { bias: number[]; activation: 'linear' | 'relu' | 'relu6' | 'elu' | 'leakyrelu' | 'sigmoid' | 'prelu' };
}

/** y, and the gradients of Σ y·r with respect to x and the filter (r fixed random weights). */
function convAndGrads(c: ConvCase): Array<{ shape: number[]; data: Float32Array }> {
  return tf.tidy(() => {
    const x = rand(c.x, 1), filter = rand(c.filter, 2);
    const bias = c.fused ? rand(c.fused.bias, 3) : undefined;
    const f = (xx: tf.Tensor, ff: tf.Tensor) =>
      c.fused
        ? tf.fused.conv2d({ x: xx as tf.Tensor4D, filter: ff as tf.Tensor4D, strides: c.strides, pad: c.pad, dilations: c.dilations, bias, activation: c.fused.activation, preluActivationWeights: c.fused.activation === 'prelu' ? tf.scalar(0.2) : undefined, leakyreluAlpha: 0.3 })
        : tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dilations);
    const y = f(x, filter);
    const r = rand(y.shape, 4);
    const outs: tf.Tensor[] = [y];
    if ((c.dilations ?? 1) === 1) outs.push(...tf.grads((xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.mul(f(xx, ff), r)))([x, filter]));
    return outs.map((t) => ({ shape: t.shape, data: t.dataSync() as Float32Array }));
  });
}

function expectClose(got: Array<{ shape: number[]; data: Float32Array }>, ref: Array<{ shape: number[]; data: Float32Array }>, what: string, tol = 1e-5) {
  expect(got.length, what).toBe(ref.length);
  for (const [i, g] of got.entries()) {
    expect(g.shape, `${what} #${i}`).toEqual(ref[i].shape);
    let worst = 0;
    for (let j = 0; j < g.data.length; j++) worst = Math.max(worst, Math.abs(g.data[j] - ref[i].data[j]) / (1 + Math.abs(ref[i].data[j])));
    expect(worst, `${what} #${i}`).toBeLessThan(tol);
  }
}

const CASES: ConvCase[] = [
  { x: [2, 7, 5, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 7, 6, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { x: [1, 6, 7, 2], filter: [3, 3, 2, 3], strides: 1, pad: 'valid' },
  { x: [3, 9, 8, 5], filter: [2, 3, 5, 2], strides: [2, 1], pad: 'valid' },
  { x: [2, 6, 5, 3], filter: [3, 2, 3, 4], strides: 2, pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
  { x: [2, 4, 3, 6], filter: [1, 1, 6, 5], strides: 1, pad: 'valid' },
  { x: [1, 9, 8, 2], filter: [3, 2, 2, 3], strides: 1, pad: 'same', dilations: 2 },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same', fused: { bias: [4], activation: 'relu' } },
  { x: [2, 7, 6, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'valid', fused: { bias: [4], activation: 'linear' } },
  ...(['relu6', 'elu', 'leakyrelu', 'sigmoid'] as const).map((activation): ConvCase => ({ x: [1, 5, 5, 2], filter: [3, 3, 2, 3], strides: 1, pad: 'same', fused: { bias: [3], activation } })),
];
/** Cases handed to the fallback kernel (and still right). */
const FALLBACK: ConvCase[] = [
  { x: [1, 5, 5, 2], filter: [3, 3, 2, 3], strides: 1, pad: 'same', fused: { bias: [3], activation: 'prelu' } },
];

const kernelCount = (name: string, kind: 'native' | 'fallback') => (nativeKernelCounts() as Record<string, { native: number; fallback: number }>)[name]?.[kind] ?? 0;

afterAll(async () => {
  await useBackend('wasm');
});

describe.skipIf(!built)('native CNN kernels on wasm', () => {
  it('Conv2D, FusedConv2D and both gradients (through tf.grads) equal the cpu backend', async () => {
    await useBackend('cpu');
    const refs = CASES.map(convAndGrads);
    await useBackend('wasm');
    const names = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'];
    const before = names.map((n) => kernelCount(n, 'native'));
    const fallbackBefore = names.map((n) => kernelCount(n, 'fallback'));
    const start = tf.memory().numTensors;
    for (const [i, c] of CASES.entries()) expectClose(convAndGrads(c), refs[i], JSON.stringify(c));
    expect(tf.memory().numTensors).toBe(start);
    const ran = names.map((n, i) => kernelCount(n, 'native') - before[i]);
    expect(ran[0] + ran[1]).toBeGreaterThanOrEqual(CASES.length); // forward passes (the gradients run more)
    expect(ran[2]).toBeGreaterThanOrEqual(CASES.length - 1); // every case but the dilated one
    expect(ran[3]).toBeGreaterThanOrEqual(CASES.length - 1);
    expect(names.map((n) => kernelCount(n, 'fallback'))).toEqual(fallbackBefore);
  });

  it('uncovered cases go to the fallback and are still right', async () => {
    await useBackend('cpu');
    const refs = FALLBACK.map(convAndGrads);
    await useBackend('wasm');
    const before = kernelCount('FusedConv2D', 'fallback');
    const start = tf.memory().numTensors;
    for (const [i, c] of FALLBACK.entries()) expectClose(convAndGrads(c).slice(0, 1), refs[i].slice(0, 1), JSON.stringify(c));
    expect(tf.memory().numTensors).toBe(start);
    expect(kernelCount('FusedConv2D', 'fallback') - before).toBe(FALLBACK.length);
  });

  it('MaxPoolGrad, Tile and Mean equal the cpu backend; other Means and bool Tiles go to the fallback', async () => {
    const run = () =>
      tf.tidy(() => {
        const out: tf.Tensor[] = [];
        for (const [shape, pool, strides, pad] of [
          [[2, 6, 7, 3], 2, 2, 'valid'],
          [[2, 7, 6, 4], 3, 2, 'same'],
          [[1, 5, 5, 2], 3, 1, 'valid'],
        ] as Array<[[number, number, number, number], number, number, 'same' | 'valid']>) {
          const x = rand(shape, 5);
          const r = rand(tf.maxPool(x as tf.Tensor4D, pool, strides, pad).shape, 6);
          out.push(tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xx as tf.Tensor4D, pool, strides, pad), r)))(x));
        }
        out.push(tf.tile(rand([1, 1, 1, 3], 7), [2, 3, 2, 1]), tf.tile(rand([2, 3], 8), [3, 2]), tf.tile(tf.tensor1d([1, 2, 3], 'int32'), [2]));
        out.push(tf.mean(rand([4, 3, 5, 6], 9), [0, 1, 2]), tf.mean(rand([7, 5], 10), 0, true), tf.mean(rand([2, 3, 5], 11), [0, 1]));
        out.push(tf.tile(tf.tensor1d([true, false], 'bool'), [2]), tf.mean(rand([7, 5], 12), 1), tf.mean(rand([2, 3, 5], 13))); // fallback
        return out.map((t) => ({ shape: t.shape, data: Float32Array.from(t.dataSync() as ArrayLike<number>) }));
      });
    await useBackend('cpu');
    const refs = run();
    await useBackend('wasm');
    const names = ['MaxPoolGrad', 'Tile', 'Mean'];
    const before = names.map((n) => [kernelCount(n, 'native'), kernelCount(n, 'fallback')]);
    const start = tf.memory().numTensors;
    expectClose(run(), refs, 'pool, tile, mean');
    expect(tf.memory().numTensors).toBe(start);
    const delta = names.map((n, i) => [kernelCount(n, 'native') - before[i][0], kernelCount(n, 'fallback') - before[i][1]]);
    expect(delta[0]).toEqual([3, 0]);
    expect(delta[1][0]).toBeGreaterThanOrEqual(3);
    expect(delta[1][1]).toBe(1);
    expect(delta[2]).toEqual([3, 2]);
  });

  it('the gradient of Mean (a tiled dy / n) equals the cpu backend', async () => {
    const run = () =>
      tf.tidy(() =>
        ([
          [[4, 3, 5, 6], [0, 1, 2], false],
          [[4, 3, 5, 6], [0, 1, 2], true],
          [[7, 5], 1, false],
          [[2, 3, 5], undefined, false],
          [[2, 3, 5], [0, 2], true],
        ] as Array<[number[], number | number[] | undefined, boolean]>).map(([shape, axis, keepDims], i) => {
          const x = rand(shape, 30 + i);
          const r = rand(tf.mean(x, axis, keepDims).shape, 40 + i);
          const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.mean(xx, axis, keepDims), r)))(x);
          return { shape: g.shape, data: g.dataSync() as Float32Array };
        }),
      );
    await useBackend('cpu');
    const refs = run();
    await useBackend('wasm');
    const tiles = kernelCount('Tile', 'native');
    const start = tf.memory().numTensors;
    expectClose(run(), refs, 'mean gradient');
    expect(tf.memory().numTensors).toBe(start);
    expect(kernelCount('Tile', 'native') - tiles).toBe(5); // each gradient is one native Tile
  });

  it('FusedBatchNorm and its gradient (every input, through tf.grads) equal the cpu backend; other shapes use tfjs\' own', async () => {
    const run = () =>
      tf.tidy(() => {
        const out: tf.Tensor[] = [];
        for (const [shape, params, withOffset, withScale] of [
          [[4, 5, 3, 6], [6], true, true],
          [[33, 7], [7], false, true],
          [[2, 3, 4, 5], [5], false, false],
          [[2, 3, 4, 5], [1, 1, 1, 5], true, true], // broadcast parameters: forward and gradient by tfjs
        ] as Array<[number[], number[], boolean, boolean]>) {
          const x = rand(shape, 20), mean = rand(params, 21), variance = tf.add(tf.abs(rand(params, 22)), 0.1);
          const offset = withOffset ? rand(params, 23) : undefined, scale = withScale ? rand(params, 24) : undefined;
          const bn = (xx: tf.Tensor, m: tf.Tensor, v: tf.Tensor, o?: tf.Tensor, sc?: tf.Tensor) => tf.batchNorm(xx, m, v, o, sc, 1e-3);
          const y = bn(x, mean, variance, offset, scale);
          const r = rand(y.shape, 25);
          out.push(y);
          // (tfjs' tape cannot differentiate a batchNorm without offset or scale: forward only then.)
          if (!offset || !scale) continue;
          if (params.length === 1) {
            const f = (xx: tf.Tensor, m: tf.Tensor, v: tf.Tensor, o: tf.Tensor, sc: tf.Tensor) => tf.sum(tf.mul(bn(xx, m, v, o, sc), r));
            out.push(...tf.grads(f)([x, mean, variance, offset, scale]));
          } else {
            out.push(tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(bn(xx, mean, variance, offset, scale), r)))(x));
          }
        }
        return out.map((t) => ({ shape: t.shape, data: t.dataSync() as Float32Array }));
      });
    await useBackend('cpu');
    const refs = run();
    await useBackend('wasm');
    const before = [kernelCount('FusedBatchNorm', 'native'), kernelCount('FusedBatchNorm', 'fallback'), nativeBatchNormGradCount()];
    const start = tf.memory().numTensors;
    expectClose(run(), refs, 'batch norm', 1e-4);
    expect(tf.memory().numTensors).toBe(start);
    expect([kernelCount('FusedBatchNorm', 'native') - before[0], kernelCount('FusedBatchNorm', 'fallback') - before[1], nativeBatchNormGradCount() - before[2]]).toEqual([4, 2, 1]);
  });

  it('second derivatives through batch norm (tfjs\' differentiable gradient then) equal the cpu backend', async () => {
    const run = () =>
      tf.tidy(() => {
        const x = rand([3, 4, 5], 50), mean = rand([5], 51), variance = tf.add(tf.abs(rand([5], 52)), 0.1), offset = rand([5], 53), scale = rand([5], 54);
        const r = rand([3, 4, 5], 55);
        const inner = (xx: tf.Tensor) => tf.grad((z: tf.Tensor) => tf.sum(tf.mul(tf.square(tf.batchNorm(tf.mul(z, xx), mean, variance, offset, scale, 1e-3)), r)))(xx);
        const g = tf.grad((xx: tf.Tensor) => tf.sum(inner(xx)))(x);
        return [{ shape: g.shape, data: g.dataSync() as Float32Array }];
      });
    await useBackend('cpu');
    const refs = run();
    await useBackend('wasm');
    const start = tf.memory().numTensors;
    expectClose(run(), refs, 'second derivative', 1e-4);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('a CNN trains to the same losses and weights as the wasm fallback, with no leaked tensors', async () => {
    const fit = async () => {
      const init = (seed: number) => tf.initializers.glorotUniform({ seed });
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [12, 12, 3], filters: 8, kernelSize: 3, padding: 'same', kernelInitializer: init(1) }),
          tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }),
          tf.layers.reLU(),
          tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
          tf.layers.conv2d({ filters: 12, kernelSize: 3, padding: 'same', kernelInitializer: init(2) }),
          tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }),
          tf.layers.reLU(),
          tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 5, kernelInitializer: init(3) }),
        ],
      });
      // SGD, not Adam: a conv bias before batch norm gets a zero gradient up to rounding, which Adam
      // would scale up to full steps of arbitrary sign on either path.
      const optimizer = tf.train.sgd(0.05);
      model.compile({ optimizer, loss: tf.losses.softmaxCrossEntropy });
      const x = tf.tensor4d(values(40 * 12 * 12 * 3, 7), [40, 12, 12, 3]);
      const y = tf.oneHot(tf.tensor1d(Array.from({ length: 40 }, (_, i) => (i * 7) % 5), 'int32'), 5);
      const h = await model.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      tf.dispose([x, y]);
      model.dispose();
      optimizer.dispose();
      return { loss: h.history.loss as number[], weights };
    };
    await useBackend('wasm');
    const start = tf.memory().numTensors;
    const names = ['FusedConv2D', 'Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'MaxPoolGrad', 'Mean', 'FusedBatchNorm'];
    const counted = names.map((n) => kernelCount(n, 'native'));
    const bnGrads = nativeBatchNormGradCount();
    const native = await fit();
    expect(nativeBatchNormGradCount()).toBeGreaterThan(bnGrads);
    const nativeKept = tf.memory().numTensors - start;
    const ran = Object.fromEntries(names.map((n, i) => [n, kernelCount(n, 'native') - counted[i]]));
    expect(ran.FusedConv2D + ran.Conv2D, 'forward convolutions').toBeGreaterThan(0);
    for (const n of ['Conv2DBackpropInput', 'Conv2DBackpropFilter', 'MaxPoolGrad', 'Mean', 'FusedBatchNorm']) expect(ran[n], n).toBeGreaterThan(0);
    uninstallNativeKernels('wasm');
    expect(nativeActive('wasm')).toBe(false);
    const fallback = await fit();
    const fallbackKept = tf.memory().numTensors - start - nativeKept;
    expect((await installNativeKernels('wasm')).active).toBe(true);
    expect(nativeKept).toBe(fallbackKept);
    expect(nativeKept).toBeLessThanOrEqual(1); // tfjs-layers' fit keeps one tensor per call on every path
    for (const [i, l] of native.loss.entries()) expect(l, `loss ${i}`).toBeCloseTo(fallback.loss[i], 4);
    expect(native.loss[2]).toBeLessThan(native.loss[0]); // it trains
    for (const [i, w] of native.weights.entries()) {
      const worst = w.reduce((d, v, j) => Math.max(d, Math.abs(v - fallback.weights[i][j])), 0);
      expect(worst, `weight ${i}`).toBeLessThan(1e-4);
    }
  });
});
