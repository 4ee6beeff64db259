import * as tf from './tf';
import { NATIVE_ACTIVATION_CODES } from './native-heap';
import { CONV_KERNELS, CONV_KERNEL_NAMES, type NativeConvLike } from './native-conv';
import { installBatchNormGrad, uninstallBatchNormGrad } from './native-batchnorm';
import { installElementwiseKernel, uninstallElementwiseKernel, type NativeElementwise } from './elementwise';
import { installDenseStackKernel, uninstallDenseStackKernel, type NativeDenseStack } from './dense-stack';
import { installBatchNormTrainKernels, uninstallBatchNormTrainKernels, type NativeBatchNormTrain } from './batch-norm';
import { installGatherRowsKernel, uninstallGatherRowsKernel, type NativeGatherRows } from './gather-rows';
import { installDotsKernel, uninstallDotsKernel, type NativeDots } from './dots';
import { installDenseChainHvpKernel, uninstallDenseChainHvpKernel, type NativeDenseChainHvp } from './dense-chain-hvp';

/** Descent's own kernels that the addon computes (no tfjs kernel is replaced): installed and removed together. */
const FUSED_KERNELS: Array<{ install(addon: unknown, backendName: string): boolean; uninstall(backendName: string): boolean }> = [
  // Element-wise programs (optimizer steps).
  { install: (a, b) => installElementwiseKernel(a as NativeElementwise, b), uninstall: uninstallElementwiseKernel },
  // The training step of a dense stack.
  { install: (a, b) => installDenseStackKernel(a as NativeDenseStack, b), uninstall: uninstallDenseStackKernel },
  // Hessian-vector products of a dense chain (@descent/hessian's R-operator).
  { install: (a, b) => installDenseChainHvpKernel(a as NativeDenseChainHvp, b), uninstall: uninstallDenseChainHvpKernel },
  // Inner products of parameter-space vectors.
  { install: (a, b) => installDotsKernel(a as NativeDots, b), uninstall: uninstallDotsKernel },
  // Batch normalisation in training mode, and its gradient through the batch statistics.
  { install: (a, b) => installBatchNormTrainKernels(a as NativeBatchNormTrain, b), uninstall: uninstallBatchNormTrainKernels },
  // Batches of byte datasets, normalised.
  { install: (a, b) => installGatherRowsKernel(a as NativeGatherRows, b), uninstall: uninstallGatherRowsKernel },
];
const uninstallFused = (backendName: string) => FUSED_KERNELS.forEach((k) => k.uninstall(backendName));

/**
 * The optional native fast path of the wasm backend: `BatchMatMul` and `_FusedMatMul` computed by
 * OpenBLAS `cblas_sgemm` (from @descent/native-blas, an N-API addon) directly on the wasm heap —
 * each tensor is a byte offset into the wasm memory, so there is no copy in or out. Every case it
 * does not cover (non-float32, general batch broadcasting, prelu, a bias that is not a row vector)
 * goes to the kernel that was registered before (Descent's transposing wasm wrapper, see
 * fast-matmul.ts). It never uses the stock wasm `_FusedMatMul` (wrong with transposeB plus a bias).
 * With it come a column `Sum` (the bias gradient, one native pass instead of transpose + reduce)
 * and a zero-copy `Identity`, and a CNN's kernels (native-conv.ts: Conv2D, FusedConv2D, both conv
 * gradients, MaxPoolGrad, Tile, Mean, FusedBatchNorm and its gradient: native-batchnorm.ts).
 * DESCENT_NATIVE=0 restores the previous kernels.
 */

/** The part of @descent/native-blas used here (kept local: @descent/tensor does not depend on it). */
interface NativeBlasLike extends NativeConvLike {
  sgemm(
    heap: ArrayBufferView, transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    aOff: number, bOff: number, beta: number, cOff: number,
    batch: number, strideA: number, strideB: number, strideC: number,
    biasOff: number, biasLen: number, activation: number, actAlpha: number,
  ): void;
  colSum(heap: ArrayBufferView, xOff: number, rows: number, cols: number, outOff: number): void;
}

/** The internals of tfjs-backend-wasm 4.22's BackendWasm that the native path reads. */
interface WasmBackendLike {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  incRef(dataId: object): void;
}

export interface NativeStatus {
  /** Whether the native kernels are registered now. */
  active: boolean;
  /** Why: the OpenBLAS configuration, or why the native path is not used. */
  reason: string;
}

type KernelArgs = { inputs: Record<string, tf.TensorInfo>; backend: tf.KernelBackend; attrs: Record<string, unknown> };
type Marked = tf.KernelFunc & { descentWrapped?: boolean; descentNative?: boolean };

// With the CNN kernels of native-conv.ts (convolutions and their gradients, MaxPoolGrad, Tile, Mean, FusedBatchNorm).
const KERNELS = ['BatchMatMul', '_FusedMatMul', 'Sum', 'Identity', ...CONV_KERNEL_NAMES] as const;
/** The kernels replaced, per backend, to restore on uninstall. */
const replaced = new Map<string, Map<string, tf.KernelConfig>>();

/** The native library, when @descent/native-blas is resolvable and its addon was built. */
async function loadNative(): Promise<{ blas: NativeBlasLike | null; reason: string }> {
  const spec = '@descent/native-blas'; // not a literal import: no bundler may pull it in, no hard dependency
  let mod: { nativeBlas(): NativeBlasLike | null; nativeBlasReason(): string };
  try {
    mod = await import(/* @vite-ignore */ spec);
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    return { blas: null, reason: /Cannot find|ERR_MODULE_NOT_FOUND|Failed to load|Could not resolve/.test(msg) ? '@descent/native-blas not installed (optional)' : `@descent/native-blas failed to load: ${msg.split('\n')[0]}` };
  }
  return { blas: mod.nativeBlas(), reason: mod.nativeBlasReason() };
}

/**
 * Registers the native `BatchMatMul`, `_FusedMatMul`, column `Sum` and zero-copy `Identity` on
 * `backendName` (wasm) when @descent/native-blas loads, unless DESCENT_NATIVE=0 (which uninstalls
 * them). Idempotent.
 */
export async function installNativeKernels(backendName = 'wasm'): Promise<NativeStatus> {
  if (process.env.DESCENT_NATIVE === '0') {
    uninstallNativeKernels(backendName);
    uninstallFused(backendName);
    return { active: false, reason: 'disabled by DESCENT_NATIVE=0' };
  }
  if (backendName !== 'wasm') return { active: false, reason: `only for the wasm backend, not ${backendName}` };
  const { blas, reason } = await loadNative();
  if (!blas) {
    uninstallNativeKernels(backendName);
    uninstallFused(backendName);
    return { active: false, reason };
  }
  const missing = KERNELS.find((k) => !tf.getKernel(k, backendName));
  if (missing) return { active: false, reason: `the ${backendName} backend has no ${missing} kernel` };
  for (const kernelName of KERNELS) {
    const previous = tf.getKernel(kernelName, backendName)!;
    if ((previous.kernelFunc as Marked).descentNative) continue;
    const fallback = previous.kernelFunc;
    const native = ((args: KernelArgs) => {
      const conv = (CONV_KERNELS as Record<string, (b: NativeConvLike, a: KernelArgs) => tf.TensorInfo | undefined>)[kernelName];
      const out = conv ? conv(blas, args) : kernelName === 'Sum' ? nativeColumnSum(blas, args) : kernelName === 'Identity' ? sharedIdentity(args) : nativeMatMul(blas, kernelName, args);
      const count = counts[kernelName];
      if (out) return (count.native++, out);
      count.fallback++;
      return fallback(args as never);
    }) as Marked;
    // descentWrapped: installFastMatMul leaves it alone (it would only add transposes).
    native.descentWrapped = true;
    native.descentNative = true;
    let saved = replaced.get(backendName);
    if (!saved) replaced.set(backendName, (saved = new Map()));
    saved.set(kernelName, previous);
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel({ ...previous, kernelFunc: native });
  }
  for (const k of FUSED_KERNELS) k.install(blas, backendName);
  installBatchNormGrad(blas, backendName); // FusedBatchNorm's gradient in one native pass (native-batchnorm.ts)
  return { active: true, reason };
}

/** Puts back the kernels `installNativeKernels` replaced. Returns whether any was. */
export function uninstallNativeKernels(backendName = 'wasm'): boolean {
  uninstallBatchNormGrad(backendName);
  const saved = replaced.get(backendName);
  if (!saved || saved.size === 0) return false;
  for (const [kernelName, previous] of saved) {
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(previous);
  }
  saved.clear();
  return true;
}

const counts = Object.fromEntries(KERNELS.map((k) => [k, { native: 0, fallback: 0 }])) as Record<(typeof KERNELS)[number], { native: number; fallback: number }>;

/** Per kernel: how many calls the native path computed and how many it handed to the fallback, since the process started. */
export function nativeKernelCounts(): Record<(typeof KERNELS)[number], { native: number; fallback: number }> {
  return Object.fromEntries(KERNELS.map((k) => [k, { ...counts[k] }])) as ReturnType<typeof nativeKernelCounts>;
}

/** Whether the native kernels are registered on `backendName` now. */
export function nativeActive(backendName = 'wasm'): boolean {
  return KERNELS.every((k) => (tf.getKernel(k, backendName)?.kernelFunc as Marked | undefined)?.descentNative === true);
}

/** The native product, or undefined where the fallback must run. */
function nativeMatMul(blas: NativeBlasLike, kernelName: string, { inputs, backend, attrs }: KernelArgs): tf.TensorInfo | undefined {
  const { a, b, bias } = inputs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const wasm = backend as unknown as WasmBackendLike;
  if (!wasm.dataIdMap || !wasm.wasm?.HEAPU8 || typeof wasm.makeOutput !== 'function') return undefined;
  const ta = attrs.transposeA === true, tb = attrs.transposeB === true;
  const ra = a.shape.length, rb = b.shape.length;
  const m = ta ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = ta ? a.shape[ra - 2] : a.shape[ra - 1];
  const kB = tb ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = tb ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kB) return undefined; // the fallback throws tfjs' own error
  // Batch dimensions: equal, or one side a single matrix broadcast over the other's batch.
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const rank = Math.max(outerA.length, outerB.length);
  const padA = [...Array(rank - outerA.length).fill(1), ...outerA], padB = [...Array(rank - outerB.length).fill(1), ...outerB];
  const outer: number[] = [];
  for (let i = 0; i < rank; i++) {
    if (padA[i] !== padB[i] && padA[i] !== 1 && padB[i] !== 1) return undefined;
    outer.push(Math.max(padA[i], padB[i]));
  }
  const size = (s: number[]) => s.reduce((p, x) => p * x, 1);
  const batch = size(outer), batchA = size(outerA), batchB = size(outerB);
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return undefined; // general broadcasting
  if (batchA === batch && batchA > 1 && padA.some((d, i) => d !== outer[i])) return undefined;
  if (batchB === batch && batchB > 1 && padB.some((d, i) => d !== outer[i])) return undefined;
  let act = 0, actAlpha = 0, biasLen = 0;
  if (kernelName === '_FusedMatMul') {
    const activation = (attrs.activation as string | undefined) ?? 'linear';
    if (!(activation in NATIVE_ACTIVATION_CODES) || inputs.preluActivationWeights) return undefined;
    act = NATIVE_ACTIVATION_CODES[activation];
    actAlpha = Number(attrs.leakyreluAlpha ?? 0.2);
    if (bias) {
      // A row vector (…×1×n or n) or a scalar, of no higher rank than the output.
      if (bias.dtype !== 'float32' || bias.shape.length > rank + 2) return undefined;
      biasLen = size(bias.shape);
      if (!(biasLen === 1 || (biasLen === n && bias.shape[bias.shape.length - 1] === n))) return undefined;
    }
  }
  const out = wasm.makeOutput([...outer, m, n], 'float32');
  if (batch * m * n === 0) return out;
  // Re-read the heap after the allocation: growing the wasm memory detaches earlier views.
  const offset = (t: tf.TensorInfo) => wasm.dataIdMap.get(t.dataId)!.memoryOffset;
  try {
    blas.sgemm(
      wasm.wasm.HEAPU8, ta, tb, m, n, k, 1, offset(a), offset(b), 0, offset(out),
      batch, batchA === 1 ? 0 : m * k, batchB === 1 ? 0 : k * n, m * n,
      bias && kernelName === '_FusedMatMul' ? offset(bias) : -1, biasLen, act, actAlpha,
    );
  } catch (e) {
    backend.disposeData(out.dataId);
    throw e;
  }
  return out;
}

/**
 * `Sum` over every axis but the last (the bias gradient of a dense layer): one pass of the
 * addon's column sum, where the wasm kernel first transposes the input. Other sums: fallback.
 */
function nativeColumnSum(blas: NativeBlasLike, { inputs, backend, attrs }: KernelArgs): tf.TensorInfo | undefined {
  const { x } = inputs;
  const rank = x.shape.length;
  if (x.dtype !== 'float32' || rank < 2) return undefined;
  const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape).sort((p, q) => p - q);
  if (axes.length !== rank - 1 || axes.some((a, i) => a !== i)) return undefined;
  const wasm = backend as unknown as WasmBackendLike;
  if (!wasm.dataIdMap || !wasm.wasm?.HEAPU8 || typeof wasm.makeOutput !== 'function') return undefined;
  const cols = x.shape[rank - 1];
  const rows = x.shape.slice(0, -1).reduce((p, d) => p * d, 1);
  const out = wasm.makeOutput(attrs.keepDims ? [...Array(rank - 1).fill(1), cols] : [cols], 'float32');
  if (cols === 0) return out;
  const offset = (t: tf.TensorInfo) => wasm.dataIdMap.get(t.dataId)!.memoryOffset;
  try {
    blas.colSum(wasm.wasm.HEAPU8, offset(x), rows, cols, offset(out)); // heap re-read after makeOutput
  } catch (e) {
    backend.disposeData(out.dataId);
    throw e;
  }
  return out;
}

/**
 * `Identity` without a copy: the output shares the input's memory, reference counted, as the cpu
 * backend's Identity and the wasm backend's own Reshape do (no wasm kernel writes its inputs).
 */
function sharedIdentity({ inputs, backend }: KernelArgs): tf.TensorInfo | undefined {
  const { x } = inputs;
  const wasm = backend as unknown as WasmBackendLike;
  if (typeof wasm.incRef !== 'function') return undefined;
  wasm.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
