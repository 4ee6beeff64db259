import { describe, it, expect, vi } from 'vitest';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { nativeBlas, nativeBlasReason, addonPath, defaultThreads, ACTIVATIONS } from '@descent/native-blas';

// WebAssembly is a global of Node, though not in the ES2022 type library.
const { Memory } = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum?: number }) => { buffer: ArrayBuffer; grow(pages: number): number } } }).WebAssembly;

const blas = nativeBlas();
const reason = nativeBlasReason();
if (!blas) console.warn(`@descent/native-blas tests skipped: ${reason}`);

/** Deterministic values in [-1, 1). */
function fill(f: Float32Array, off: number, count: number, seed: number) {
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    f[off + i] = s / 2 ** 31 - 1;
  }
}

/** Reference: row-major op(A)·op(B) in float64, + bias, activation. */
function reference(f: Float32Array, o: { a: number; b: number; m: number; n: number; k: number; ta: boolean; tb: boolean; bias?: number; biasLen?: number; act?: number; alpha?: number }) {
  const { m, n, k, ta, tb } = o;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += f[o.a + (ta ? p * m + i : i * k + p)] * f[o.b + (tb ? j * k + p : p * n + j)];
      if (o.bias !== undefined) s += f[o.bias + (o.biasLen === 1 ? 0 : j)];
      const x = s;
      out[i * n + j] = [x, Math.max(x, 0), Math.min(Math.max(x, 0), 6), 1 / (1 + Math.exp(-x)), x > 0 ? x : Math.expm1(x), x > 0 ? x : (o.alpha ?? 0) * x, Math.tanh(x)][o.act ?? 0];
    }
  return out;
}

function maxDiff(f: Float32Array, off: number, ref: Float64Array) {
  let d = 0;
  for (let i = 0; i < ref.length; i++) d = Math.max(d, Math.abs(f[off + i] - ref[i]) / (1 + Math.abs(ref[i])));
  return d;
}

describe('@descent/native-blas', () => {
  it('reports why it is or is not available', () => {
    expect(reason).toMatch(blas ? /^OpenBLAS sgemm on the wasm heap/ : /not built|failed to load|DESCENT_NATIVE=0/);
    expect(addonPath()).toMatch(/build[\\/]descent_blas\.node$/);
  });

  it('DESCENT_NATIVE=0 disables it, with that reason, checked on every call', async () => {
    const saved = process.env.DESCENT_NATIVE;
    process.env.DESCENT_NATIVE = '0';
    try {
      expect(nativeBlas()).toBeNull();
      expect(nativeBlasReason()).toBe('disabled by DESCENT_NATIVE=0');
      vi.resetModules(); // also before the first load
      const fresh = await import('../src/index');
      expect(fresh.nativeBlas()).toBeNull();
      expect(fresh.nativeBlasReason()).toBe('disabled by DESCENT_NATIVE=0');
    } finally {
      if (saved === undefined) delete process.env.DESCENT_NATIVE;
      else process.env.DESCENT_NATIVE = saved;
    }
    expect(nativeBlas()).toBe(blas);
    expect(nativeBlasReason()).toBe(reason);
  });
});

describe.skipIf(!blas)(`native sgemm on a wasm memory (${blas ? 'built' : `skipped: ${reason}`})`, () => {
  const b = blas!;

  it('equals the float64 reference in every transpose variant, odd sizes, alpha and beta', () => {
    const mem = new Memory({ initial: 2 });
    const f = new Float32Array(mem.buffer);
    for (const [m, n, k] of [[1, 1, 1], [7, 5, 3], [33, 17, 65], [3, 129, 2]]) {
      for (const ta of [false, true])
        for (const tb of [false, true]) {
          const A = 4, B = A + m * k + 3, C = B + k * n + 1; // odd float offsets
          fill(f, A, m * k, m + 10 * n);
          fill(f, B, k * n, k + 7);
          fill(f, C, m * n, 99);
          const ref = reference(f, { a: A, b: B, m, n, k, ta, tb });
          const before = Float64Array.from(f.subarray(C, C + m * n));
          b.sgemm(f, ta, tb, m, n, k, 0.5, A * 4, B * 4, 2, C * 4, 1, 0, 0, 0, -1, 0, 0, 0);
          expect(maxDiff(f, C, ref.map((x, i) => 0.5 * x + 2 * before[i]))).toBeLessThan(1e-5);
          b.sgemm(mem.buffer, ta, tb, m, n, k, 1, A * 4, B * 4, 0, C * 4, 1, 0, 0, 0, -1, 0, 0, 0);
          expect(maxDiff(f, C, ref)).toBeLessThan(1e-5);
        }
    }
  });

  it('batched, with broadcast (stride 0) operands, bias and every activation', () => {
    const mem = new Memory({ initial: 1 });
    const f = new Float32Array(mem.buffer);
    const [batch, m, n, k] = [3, 5, 6, 4];
    const A = 0, B = A + batch * m * k, BIAS = B + batch * k * n, C = BIAS + n;
    fill(f, A, batch * m * k, 1);
    fill(f, B, batch * k * n, 2);
    fill(f, BIAS, n, 3);
    for (const [act, code] of Object.entries(ACTIVATIONS))
      for (const biasLen of [n, 1])
        for (const [sA, sB] of [[m * k, k * n], [0, k * n], [m * k, 0]]) {
          b.sgemm(f, true, false, m, n, k, 1, A * 4, B * 4, 0, C * 4, batch, sA, sB, m * n, BIAS * 4, biasLen, code, 0.2);
          for (let i = 0; i < batch; i++) {
            const ref = reference(f, { a: A + i * sA, b: B + i * sB, m, n, k, ta: true, tb: false, bias: BIAS, biasLen, act: code, alpha: 0.2 });
            expect(maxDiff(f, C + i * m * n, ref), `${act} biasLen ${biasLen} strides ${sA},${sB}`).toBeLessThan(1e-5);
          }
        }
  });

  it('after memory growth: a fresh view works, a detached one is refused, not written', () => {
    const mem = new Memory({ initial: 1, maximum: 100 });
    const old = new Float32Array(mem.buffer);
    fill(old, 0, 64, 5);
    mem.grow(3); // detaches `old`
    expect(old.length).toBe(0);
    expect(() => b.sgemm(old, false, false, 4, 4, 4, 1, 0, 64, 0, 128, 1, 0, 0, 0, -1, 0, 0, 0)).toThrow(RangeError);
    const f = new Float32Array(mem.buffer);
    const far = 3 * 16384; // floats: in the grown part (a page is 64 KiB)
    fill(f, far, 16, 6);
    b.sgemm(f, false, true, 4, 4, 4, 1, 0, far * 4, 0, (far + 16) * 4, 1, 0, 0, 0, -1, 0, 0, 0);
    expect(maxDiff(f, far + 16, reference(f, { a: 0, b: far, m: 4, n: 4, k: 4, ta: false, tb: true }))).toBeLessThan(1e-5);
  });

  it('refuses ranges outside the heap, misaligned offsets, bad sizes and bad heaps', () => {
    const f = new Float32Array(new Memory({ initial: 1 }).buffer);
    const end = f.length * 4;
    expect(() => b.sgemm(f, false, false, 2, 2, 2, 1, 0, 16, 0, end - 8, 1, 0, 0, 0, -1, 0, 0, 0)).toThrow(/outside the heap/);
    expect(() => b.sgemm(f, false, false, 2, 2, 2, 1, 2, 16, 0, 32, 1, 0, 0, 0, -1, 0, 0, 0)).toThrow(/misaligned/);
    expect(() => b.sgemm(f, false, false, 2, 2, 2, 1, 0, 16, 0, 32, 2, 0, 0, end, -1, 0, 0, 0)).toThrow(RangeError);
    expect(() => b.sgemm(f, false, false, -1, 2, 2, 1, 0, 16, 0, 32, 1, 0, 0, 0, -1, 0, 0, 0)).toThrow(/non-negative/);
    expect(() => b.sgemm(f, false, false, 2, 2, 2, 1, 0, 16, 0, 32, 1, 0, 0, 0, 48, 3, 0, 0)).toThrow(/biasLen/);
    expect(() => b.sgemm(f, false, false, 2, 2, 2, 1, 0, 16, 0, 32, 1, 0, 0, 0, -1, 0, 9, 0)).toThrow(/activation/);
    expect(() => b.sgemm({} as never, false, false, 2, 2, 2, 1, 0, 16, 0, 32, 1, 0, 0, 0, -1, 0, 0, 0)).toThrow(/heap must be/);
    expect(() => b.sgemm(f, false, false, 1.5, 2, 2, 1, 0, 16, 0, 32, 1, 0, 0, 0, -1, 0, 0, 0)).toThrow(/integer/);
    expect(() => (b.sgemm as (...a: unknown[]) => void)(f, false)).toThrow(/expected 19 arguments/);
  });

  it('k = 0 gives beta·C; colSum sums columns', () => {
    const f = new Float32Array(new Memory({ initial: 1 }).buffer);
    f.set([1, 2, 3, 4], 0);
    b.sgemm(f, false, false, 2, 2, 0, 1, 64, 64, 0.5, 0, 1, 0, 0, 0, -1, 0, 0, 0);
    expect(Array.from(f.subarray(0, 4))).toEqual([0.5, 1, 1.5, 2]);
    fill(f, 100, 7 * 9, 8);
    b.colSum(f, 400, 7, 9, 4000);
    for (let j = 0; j < 9; j++) {
      let s = 0;
      for (let i = 0; i < 7; i++) s += f[100 + i * 9 + j];
      expect(f[1000 + j]).toBeCloseTo(s, 5);
    }
    expect(() => b.colSum(f, 400, 7, 9, f.length * 4)).toThrow(RangeError);
  });

  it('thread count and configuration are readable', () => {
    const t = b.threads();
    expect(t).toBeGreaterThanOrEqual(1);
    b.setThreads(1);
    expect(b.threads()).toBe(1);
    b.setThreads(t);
    expect(() => b.setThreads(0)).toThrow(RangeError);
    expect(b.config()).toMatch(/OpenBLAS/);
  });

  it('the thread count is per JavaScript thread: a worker asking for one leaves the main thread its own', async () => {
    const main = Math.max(2, b.threads());
    b.setThreads(main);
    // The worker loads the same addon (one OpenBLAS per process), sets one thread and multiplies.
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const a = require(workerData);
       a.setThreads(1);
       const f = new Float32Array(new WebAssembly.Memory({ initial: 1 }).buffer);
       f.fill(1, 0, 64 * 64 * 2);
       a.sgemm(f, false, false, 64, 64, 64, 1, 0, 64 * 64 * 4, 0, 2 * 64 * 64 * 4, 1, 0, 0, 0, -1, 0, 0, 0);
       parentPort.postMessage([a.threads(), f[2 * 64 * 64]]);`,
      { eval: true, workerData: addonPath() },
    );
    const [inWorker, value] = await new Promise<number[]>((resolve, reject) => worker.once('message', resolve).once('error', reject));
    await worker.terminate();
    expect([inWorker, value]).toEqual([1, 64]);
    // OpenBLAS's global count is the worker's now; the main thread's next product applies its own.
    const f = new Float32Array(new Memory({ initial: 1 }).buffer);
    b.sgemm(f, false, false, 2, 2, 2, 1, 0, 16, 0, 32, 1, 0, 0, 0, -1, 0, 0, 0);
    expect(b.threads()).toBe(main);
  });

  it('defaults to every core on the main thread', () => {
    expect(defaultThreads()).toBe(availableParallelism());
  });
});
