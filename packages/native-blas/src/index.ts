import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Activation codes of {@link NativeBlas.sgemm}. */
export const ACTIVATIONS = { linear: 0, relu: 1, relu6: 2, sigmoid: 3, elu: 4, leakyrelu: 5, tanh: 6 } as const;
export type NativeActivation = keyof typeof ACTIVATIONS;

/** A view of (or the buffer of) a wasm memory: `backend.wasm.HEAPU8`, a `Float32Array`, an `ArrayBuffer`. */
export type Heap = ArrayBufferView | ArrayBufferLike;

/**
 * The geometry of a 2-D convolution or pool, NHWC: the fields of TensorFlow.js'
 * `backend_util.Conv2DInfo` that the native kernels read (pass computeConv2DInfo's or
 * computePool2DInfo's result as is). Padding is explicit: `padInfo.top` and `padInfo.left` rows
 * and columns of zeros before the input (the bottom and right ones follow from the output size).
 */
export interface ConvGeometry {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padInfo: { top: number; left: number };
}

/**
 * The addon: OpenBLAS on a wasm heap, in place. Offsets are in bytes from the start of `heap`,
 * batch strides in floats; every range is checked against the heap (RangeError when outside).
 */
export interface NativeBlas {
  /**
   * For each b < batch: C_b = alpha·op(A_b)·op(B_b) + beta·C_b (row-major, packed: op(A) m×k,
   * op(B) k×n, C m×n), then C_b += bias broadcast over rows (biasOff < 0: no bias; biasLen 1 or n)
   * and the activation (a code of {@link ACTIVATIONS}; actAlpha is leakyrelu's slope).
   * A stride of 0 broadcasts one matrix over the batch.
   */
  sgemm(
    heap: Heap, transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    aOff: number, bOff: number, beta: number, cOff: number,
    batch: number, strideA: number, strideB: number, strideC: number,
    biasOff: number, biasLen: number, activation: number, actAlpha: number,
  ): void;
  /** out[j] = Σ_i x[i, j] for a row-major rows×cols matrix x: the bias gradient of a dense layer. */
  colSum(heap: Heap, xOff: number, rows: number, cols: number, outOff: number): void;
  /**
   * NHWC 2-D convolution by im2col + sgemm: y[b, oy, ox, co] = Σ x[b, oy·strideHeight − top +
   * i·dilationHeight, ox·strideWidth − left + j·dilationWidth, ci] · filter[i, j, ci, co] (zero
   * outside x), then + bias[co] (biasOff < 0: none) and the activation (a code of
   * {@link ACTIVATIONS}). x is [batchSize, inHeight, inWidth, inChannels], filter [filterHeight,
   * filterWidth, inChannels, outChannels], y [batchSize, outHeight, outWidth, outChannels].
   */
  conv2d(heap: Heap, geometry: ConvGeometry, xOff: number, filterOff: number, yOff: number, biasOff: number, activation: number, actAlpha: number): void;
  /** The input gradient of {@link NativeBlas.conv2d} (without bias and activation): dx = col2im(dy · filterᵀ). */
  conv2dBackpropInput(heap: Heap, geometry: ConvGeometry, dyOff: number, filterOff: number, dxOff: number): void;
  /** The filter gradient of {@link NativeBlas.conv2d}: dw = im2col(x)ᵀ · dy, shaped [filterHeight, filterWidth, inChannels, outChannels]. */
  conv2dBackpropFilter(heap: Heap, geometry: ConvGeometry, xOff: number, dyOff: number, dwOff: number): void;
  /**
   * The gradient of an NHWC max pool (geometry of a pool: inChannels = outChannels, filterHeight ×
   * filterWidth the window): each dy value goes to the first maximum of its window in x (NaN never
   * wins), overlapping windows add up, dx is [batchSize, inHeight, inWidth, inChannels].
   */
  maxPoolGrad(heap: Heap, geometry: ConvGeometry, xOff: number, dyOff: number, dxOff: number): void;
  /** out = x (row-major, `shape`) repeated reps[i] times along axis i (rank ≤ 8). */
  tile(heap: Heap, xOff: number, shape: number[], reps: number[], outOff: number): void;
  /**
   * Batch normalisation, channels last: out[r, c] = offset[c] + (x[r, c] − mean[c]) · scale[c] /
   * √(variance[c] + epsilon) for a rows × channels x; offsetOff / scaleOff < 0 mean 0 / 1.
   */
  batchNorm(heap: Heap, xOff: number, rows: number, channels: number, meanOff: number, varianceOff: number, offsetOff: number, scaleOff: number, epsilon: number, outOff: number): void;
  /**
   * The gradients of {@link NativeBlas.batchNorm} with respect to x, mean, variance, scale and
   * offset, as TensorFlow.js' FusedBatchNorm gradient defines them (mean and variance independent
   * inputs), in one pass: with r = 1/√(variance + ε) and s = scale (1 when scaleOff < 0),
   * dx = dy·r·s, dMean = −r·s·Σdy, dVariance = −½·r³·s·Σ(x − mean)·dy, dScale = r·Σ(x − mean)·dy,
   * dOffset = Σdy (sums over rows, accumulated in double). dx is rows × channels, the others channels.
   */
  batchNormGrad(
    heap: Heap, xOff: number, dyOff: number, rows: number, channels: number, meanOff: number, varianceOff: number, scaleOff: number, epsilon: number,
    dxOff: number, dMeanOff: number, dVarianceOff: number, dScaleOff: number, dOffsetOff: number,
  ): void;
  /** OpenBLAS's thread count (openblas_get_num_threads). */
  threads(): number;
  /**
   * Sets OpenBLAS's thread count for the calling JavaScript thread (main or worker): the addon
   * applies it before each of this thread's products (OpenBLAS itself has one global count).
   */
  setThreads(n: number): void;
  /** OpenBLAS's build configuration and the CPU core it dispatched to. */
  config(): string;
}

let loaded: { blas: NativeBlas | null; reason: string; path?: string } | undefined;

/** This package's directory: up from this module (src/ or dist/), else via Node's resolver. */
function packageDir(): string | undefined {
  let here: string;
  try {
    here = fileURLToPath(import.meta.url);
  } catch {
    return undefined;
  }
  const ours = (file: string) => {
    try {
      return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === '@descent/native-blas';
    } catch {
      return false;
    }
  };
  for (let dir = dirname(here); dirname(dir) !== dir; dir = dirname(dir)) if (ours(join(dir, 'package.json'))) return dir;
  try {
    const file = createRequire(here).resolve('@descent/native-blas/package.json');
    return ours(file) ? dirname(file) : undefined;
  } catch {
    return undefined;
  }
}

/** Where the compiled addon is expected: `<package>/build/descent_blas.node`. */
export function addonPath(): string | undefined {
  const dir = packageDir();
  return dir === undefined ? undefined : join(dir, 'build', 'descent_blas.node');
}

/**
 * The OpenBLAS core to force when OpenBLAS 0.3.21's run-time detection does not know the CPU and
 * falls back to its slowest kernels (it reports "Prescott" on e.g. Sapphire Rapids under a VM):
 * derived from the CPU flags the kernel reports. Only on Linux x86-64 and only when the user set
 * no OPENBLAS_CORETYPE. Exported so that benchmarks give the Python references (NumPy, PyTorch on
 * Debian's OpenBLAS) the same fix.
 */
export function openblasCoreTypeHint(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64' || process.env.OPENBLAS_CORETYPE !== undefined) return undefined;
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('flags'));
    const flags = new Set((line ?? '').split(':')[1]?.trim().split(/\s+/) ?? []);
    const all = (...f: string[]) => f.every((x) => flags.has(x));
    if (all('avx512f', 'avx512vl', 'avx512bw', 'avx512dq', 'avx512cd', 'avx512_bf16')) return 'Cooperlake';
    if (all('avx512f', 'avx512vl', 'avx512bw', 'avx512dq', 'avx512cd')) return 'SkylakeX';
    if (all('avx2', 'fma')) return 'Haswell';
  } catch {
    /* no /proc: let OpenBLAS decide */
  }
  return undefined;
}

/**
 * The addon, loaded once, or null when it is absent (not built: no compiler, no libopenblas-dev),
 * does not load, or DESCENT_NATIVE=0 is set. {@link nativeBlasReason} says which.
 */
export function nativeBlas(): NativeBlas | null {
  if (process.env.DESCENT_NATIVE === '0') return null; // checked on every call, never cached
  if (loaded) return loaded.blas;
  const path = addonPath();
  if (!path || !existsSync(path)) {
    loaded = { blas: null, reason: `not built (${path ?? 'package directory not found'}; needs a C compiler and libopenblas-dev, then \`npm run build\`)` };
    return null;
  }
  // OpenBLAS reads these once, when the addon's dlopen loads it; set only for that moment.
  const loadEnv: Record<string, string | undefined> = { OPENBLAS_CORETYPE: openblasCoreTypeHint() };
  // Idle OpenBLAS workers spin for 2^28 cycles (~0.1 s) by default after each product, taking a
  // core from the JavaScript thread's own kernels between products; 2^16 (~20 µs) keeps them
  // awake within one fused call and asleep between calls (CNN epoch 0.98 s → 0.92 s here).
  if (process.env.OPENBLAS_THREAD_TIMEOUT === undefined) loadEnv.OPENBLAS_THREAD_TIMEOUT = '16';
  const setEnv = Object.entries(loadEnv).filter((e): e is [string, string] => e[1] !== undefined);
  try {
    for (const [k, v] of setEnv) process.env[k] = v;
    const blas = createRequire(path)(path) as NativeBlas;
    if (process.env.OPENBLAS_NUM_THREADS === undefined && process.env.OMP_NUM_THREADS === undefined) blas.setThreads(defaultThreads());
    loaded = { blas, reason: `OpenBLAS sgemm on the wasm heap (${blas.config()}, ${blas.threads()} thread${blas.threads() === 1 ? '' : 's'})`, path };
  } catch (e) {
    loaded = { blas: null, reason: `failed to load ${path}: ${((e as Error).message ?? String(e)).split('\n')[0]}` };
  } finally {
    for (const [k] of setEnv) delete process.env[k];
  }
  return loaded.blas;
}

/**
 * OpenBLAS threads for the calling JavaScript thread when the user set neither
 * OPENBLAS_NUM_THREADS nor OMP_NUM_THREADS: every core on the main thread (the large products of
 * the fused training and Hessian steps run 1.6-1.8× faster on two cores than on one here), one in
 * a worker thread (pools such as @descent/landscape's run one worker per core). The count is per
 * JavaScript thread: the addon applies it before each of that thread's products.
 */
export function defaultThreads(): number {
  return isMainThread ? Math.max(1, availableParallelism()) : 1;
}

/** Why {@link nativeBlas} returned what it did: the OpenBLAS configuration, or why it is unavailable. */
export function nativeBlasReason(): string {
  if (process.env.DESCENT_NATIVE === '0') return 'disabled by DESCENT_NATIVE=0';
  nativeBlas();
  return loaded!.reason;
}
