import { describe, it, expect, afterAll } from 'vitest';
import { tf, useBackend, nativeActive, installNativeKernels, uninstallNativeKernels, nativeKernelCounts } from '@descent/tensor';

// The native path runs only where @descent/native-blas built its addon (a C compiler and
// libopenblas-dev); elsewhere these tests check the fallback and skip the native comparisons.
const savedEnv = process.env.DESCENT_NATIVE; // DESCENT_NATIVE=0 in the environment: every native test skips
const restoreEnv = () => (savedEnv === undefined ? delete process.env.DESCENT_NATIVE : (process.env.DESCENT_NATIVE = savedEnv));
const first = await useBackend('wasm');
const built = first.native.active;
if (!built) console.warn(`native matMul tests skipped: ${first.native.reason}`);

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

interface Case { a: number[]; b: number[]; ta: boolean; tb: boolean; bias?: number[]; activation?: 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'elu' | 'leakyrelu' | 'prelu' }

/** The product on the current backend, as a flat array and a shape. */
function product(c: Case): { data: Float32Array; shape: number[] } {
  return tf.tidy(() => {
    const size = (s: number[]) => s.reduce((p, x) => p * x, 1);
    const a = tf.tensor(values(size(c.a), 1 + size(c.a)), c.a);
    const b = tf.tensor(values(size(c.b), 2 + size(c.b)), c.b);
    const y = c.bias || c.activation
      ? tf.fused.matMul({
          a, b, transposeA: c.ta, transposeB: c.tb,
          bias: c.bias ? tf.tensor(values(size(c.bias), 3), c.bias) : undefined,
          activation: c.activation, leakyreluAlpha: 0.3,
          preluActivationWeights: c.activation === 'prelu' ? tf.scalar(0.25) : undefined,
        })
      : tf.matMul(a, b, c.ta, c.tb);
    return { data: y.dataSync() as Float32Array, shape: y.shape };
  });
}

/** Computes every case on the cpu backend, then on wasm (native or fallback), and compares. */
async function compareWithCpu(cases: Case[]) {
  await useBackend('cpu');
  const refs = cases.map(product);
  const report = await useBackend('wasm');
  const before = tf.memory().numTensors;
  for (const [i, c] of cases.entries()) {
    const got = product(c);
    expect(got.shape, JSON.stringify(c)).toEqual(refs[i].shape);
    let worst = 0;
    for (let j = 0; j < got.data.length; j++) worst = Math.max(worst, Math.abs(got.data[j] - refs[i].data[j]) / (1 + Math.abs(refs[i].data[j])));
    expect(worst, JSON.stringify(c)).toBeLessThan(1e-5);
  }
  expect(tf.memory().numTensors).toBe(before);
  return report;
}

const VARIANTS = [[false, false], [true, false], [false, true], [true, true]] as const;
const shape = (batch: number[], rows: number, cols: number, t: boolean) => [...batch, ...(t ? [cols, rows] : [rows, cols])];

/** m×k by k×n in every transpose variant, with the given batch dimensions of a and b. */
function variants(m: number, n: number, k: number, batchA: number[] = [], batchB: number[] = [], extra: Partial<Case> = {}): Case[] {
  return VARIANTS.map(([ta, tb]) => ({ a: shape(batchA, m, k, ta), b: shape(batchB, k, n, tb), ta, tb, ...extra }));
}

const CASES: Case[] = [
  ...variants(7, 5, 3),
  ...variants(33, 17, 65),
  ...variants(1, 1, 1),
  ...variants(4, 6, 5, [2], [2]),
  ...variants(4, 6, 5, [2, 3], [2, 3]),
  ...variants(4, 6, 5, [3], []), // b broadcast over a's batch
  ...variants(4, 6, 5, [1], [3]), // a broadcast over b's batch
  ...variants(4, 6, 5, [], [1]),
  ...variants(9, 11, 7, [], [], { bias: [11], activation: 'relu' }), // incl. transposeB + bias (wrong in stock wasm)
  ...variants(9, 11, 7, [], [], { bias: [1, 11], activation: 'linear' }),
  ...variants(9, 11, 7, [2], [2], { bias: [11], activation: 'relu' }),
  ...variants(5, 3, 4, [], [], { bias: [], activation: 'relu6' }),
  ...(['linear', 'relu', 'relu6', 'sigmoid', 'elu', 'leakyrelu'] as const).map((activation) => ({ a: [6, 5], b: [4, 5], ta: false, tb: true, bias: [4], activation })),
  ...variants(5, 4, 3, [], [], { activation: 'relu' }), // activation without bias
];
/** Cases the native kernels hand to the fallback: they must still be right. */
const FALLBACK: Case[] = [
  { a: [2, 4, 3], b: [3, 3, 5], ta: false, tb: false }, // batch 2 against 3: tfjs' error, from the fallback
  { a: [6, 5], b: [5, 4], ta: false, tb: false, bias: [6, 4], activation: 'relu' }, // bias not a row vector
  { a: [6, 5], b: [5, 4], ta: false, tb: false, bias: [4], activation: 'prelu' },
  { a: [2, 1, 4, 3], b: [1, 2, 3, 5], ta: false, tb: false }, // general batch broadcasting
];

afterAll(async () => {
  restoreEnv();
  await useBackend('wasm');
});

describe('native matMul kernels on wasm', () => {
  it('useBackend reports the active matMul path and why', async () => {
    const r = await useBackend('wasm');
    expect(r.matMulPath).toBe(built ? 'native' : 'wasm-fast');
    expect(r.native.active).toBe(built);
    expect(r.native.reason.length).toBeGreaterThan(0);
    expect(nativeActive('wasm')).toBe(built);
    const cpu = await useBackend('cpu');
    expect(cpu.matMulPath).toBe('backend');
    expect(cpu.native).toEqual({ active: false, reason: 'only for the wasm backend (cpu is active)' });
  });

  it.skipIf(!built)('equal the cpu backend: every transpose variant, batched, broadcast, bias, activations, odd sizes', async () => {
    const before = nativeKernelCounts();
    const r = await compareWithCpu(CASES);
    expect(r.matMulPath).toBe('native');
    const after = nativeKernelCounts();
    const mm = (c: ReturnType<typeof nativeKernelCounts>, k: 'native' | 'fallback') => c.BatchMatMul[k] + c._FusedMatMul[k];
    expect(mm(after, 'native') - mm(before, 'native')).toBe(CASES.length); // every case ran natively
    expect(mm(after, 'fallback')).toBe(mm(before, 'fallback'));
  });

  it('cases the native path does not cover go to the fallback and are still right', async () => {
    const ok = FALLBACK.filter((c) => c.a.length !== 3 || c.a[0] === c.b[0]); // [2,…]·[3,…] is an error everywhere
    const before = nativeKernelCounts();
    await compareWithCpu(ok);
    const after = nativeKernelCounts();
    if (built) expect(after.BatchMatMul.fallback + after._FusedMatMul.fallback - before.BatchMatMul.fallback - before._FusedMatMul.fallback).toBe(ok.length);
    await useBackend('wasm');
    expect(() => product(FALLBACK[0])).toThrow(); // tfjs' own error, from the fallback
    expect(() => product({ a: [4, 3], b: [4, 5], ta: false, tb: false })).toThrow(/inner shapes|must match/i);
  });

  it.skipIf(!built)('are right after the wasm memory grows during the output allocation', async () => {
    await useBackend('wasm');
    const backend = tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } };
    const before = tf.memory().numTensors;
    const heapBefore = backend.wasm.HEAPU8.byteLength;
    // A 2^24-float output (64 MiB) is more than the heap has free: makeOutput grows the memory.
    const rows = 4096, cols = 4096;
    const [got, ref] = tf.tidy(() => {
      const a = tf.tensor2d(values(rows, 5), [rows, 1]);
      const b = tf.tensor2d(values(cols, 6), [1, cols]);
      const y = tf.fused.matMul({ a, b: tf.transpose(b), transposeB: true, bias: tf.ones([cols]), activation: 'relu' });
      // Sample rows of the product against scalar arithmetic.
      const av = a.dataSync(), bv = b.dataSync(), yv = y.dataSync();
      let worst = 0;
      for (const i of [0, 1, 777, rows - 1])
        for (const j of [0, 3, 2049, cols - 1]) worst = Math.max(worst, Math.abs(yv[i * cols + j] - Math.max(av[i] * bv[j] + 1, 0)));
      return [worst, 0];
    });
    expect(backend.wasm.HEAPU8.byteLength).toBeGreaterThan(heapBefore);
    expect(got).toBeLessThan(1e-6);
    expect(ref).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    // And everything still computes after the growth.
    await compareWithCpu(CASES.slice(0, 8));
  });

  it('DESCENT_NATIVE=0 uses the fallback (and it is right); unsetting it restores the native path', async () => {
    process.env.DESCENT_NATIVE = '0';
    try {
      const r = await compareWithCpu(CASES);
      expect(r.matMulPath).toBe('wasm-fast');
      expect(r.native).toEqual({ active: false, reason: 'disabled by DESCENT_NATIVE=0' });
      expect(nativeActive('wasm')).toBe(false);
    } finally {
      restoreEnv();
    }
    expect((await useBackend('wasm')).matMulPath).toBe(built ? 'native' : 'wasm-fast');
  });

  it.skipIf(!built)('column Sum (the bias gradient) equals the cpu backend; other sums go to the fallback', async () => {
    const cases: Array<{ shape: number[]; axis: number | number[] | null; keepDims: boolean }> = [
      { shape: [7, 5], axis: 0, keepDims: false },
      { shape: [7, 5], axis: [0], keepDims: true },
      { shape: [2, 3, 5], axis: [0, 1], keepDims: false },
      { shape: [2, 3, 5], axis: [1, -3], keepDims: true },
      { shape: [1, 256, 33], axis: [0, 1], keepDims: false },
      { shape: [4, 0], axis: 0, keepDims: false },
      { shape: [7, 5], axis: 1, keepDims: false }, // fallback
      { shape: [2, 3, 5], axis: null, keepDims: false }, // fallback
      { shape: [2, 3, 5], axis: [0, 2], keepDims: false }, // fallback
    ];
    const run = () => cases.map((c) => tf.tidy(() => {
      const x = tf.tensor(values(c.shape.reduce((p, d) => p * d, 1), 9), c.shape);
      const y = tf.sum(x, c.axis ?? undefined, c.keepDims);
      return { shape: y.shape, data: Array.from(y.dataSync()) };
    }));
    await useBackend('cpu');
    const refs = run();
    await useBackend('wasm');
    const before = nativeKernelCounts().Sum;
    const start = tf.memory().numTensors;
    const got = run();
    expect(tf.memory().numTensors).toBe(start);
    for (const [i, g] of got.entries()) {
      expect(g.shape, JSON.stringify(cases[i])).toEqual(refs[i].shape);
      for (const [j, v] of g.data.entries()) expect(v, JSON.stringify(cases[i])).toBeCloseTo(refs[i].data[j], 4);
    }
    const after = nativeKernelCounts().Sum;
    expect(after.native - before.native).toBe(6);
    expect(after.fallback - before.fallback).toBe(3);
  });

  it.skipIf(!built)('zero-copy Identity: a clone shares memory, each side disposes independently', async () => {
    await useBackend('wasm');
    const start = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const before = nativeKernelCounts().Identity.native;
    const y = tf.clone(x);
    expect(nativeKernelCounts().Identity.native).toBe(before + 1);
    expect(y.dataId).toBe(x.dataId);
    x.dispose();
    expect(y.arraySync()).toEqual([[1, 2], [3, 4]]);
    const z = tf.add(y, 1); // a fresh output, not written over y
    expect(y.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(z.arraySync()).toEqual([[2, 3], [4, 5]]);
    tf.dispose([y, z]);
    expect(tf.memory().numTensors).toBe(start);
    expect(tf.memory().numBytes).toBe(bytes);
    // A variable assigned from a clone, and the clone disposed: the variable keeps its values.
    const init = tf.zeros([3]);
    const v = tf.variable(init);
    init.dispose();
    const src = tf.tensor1d([5, 6, 7]);
    const c = tf.clone(src);
    v.assign(c);
    tf.dispose([src, c]);
    expect(Array.from(v.dataSync())).toEqual([5, 6, 7]);
    v.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it.skipIf(!built)('model.fit: the same weights and losses as the fallback path, no leaked tensors', async () => {
    const fit = async () => {
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ units: 32, activation: 'relu', inputShape: [20], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
          tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
          tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
        ],
      });
      const optimizer = tf.train.sgd(0.1);
      model.compile({ optimizer, loss: 'categoricalCrossentropy' });
      const x = tf.tensor2d(values(67 * 20, 7), [67, 20]);
      const y = tf.oneHot(tf.tensor1d(Array.from({ length: 67 }, (_, i) => (i * 7) % 3), 'int32'), 3);
      const h = await model.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      tf.dispose([x, y]);
      model.dispose();
      optimizer.dispose();
      return { loss: h.history.loss as number[], weights };
    };
    await useBackend('wasm');
    // tfjs-layers' fit itself keeps one tensor per call (on every path): the native kernels add none.
    const start = tf.memory().numTensors;
    const counted = nativeKernelCounts();
    const native = await fit();
    const nativeKept = tf.memory().numTensors - start;
    const fitted = nativeKernelCounts();
    for (const k of ['BatchMatMul', '_FusedMatMul', 'Sum', 'Identity'] as const) {
      expect(fitted[k].native, k).toBeGreaterThan(counted[k].native); // forward and backward ran natively
    }
    expect(fitted.BatchMatMul.fallback + fitted._FusedMatMul.fallback).toBe(counted.BatchMatMul.fallback + counted._FusedMatMul.fallback);
    uninstallNativeKernels('wasm');
    expect(nativeActive('wasm')).toBe(false);
    const fallback = await fit();
    const fallbackKept = tf.memory().numTensors - start - nativeKept;
    expect((await installNativeKernels('wasm')).active).toBe(true);
    expect(nativeKept).toBe(fallbackKept);
    expect(nativeKept).toBeLessThanOrEqual(1);
    expect(native.loss.length).toBe(3);
    for (const [i, l] of native.loss.entries()) expect(l).toBeCloseTo(fallback.loss[i], 4);
    expect(native.loss[2]).toBeLessThan(native.loss[0]); // it trains
    for (const [i, w] of native.weights.entries()) {
      const worst = w.reduce((d, v, j) => Math.max(d, Math.abs(v - fallback.weights[i][j])), 0);
      expect(worst, `weight ${i}`).toBeLessThan(1e-4);
    }
  });
});
