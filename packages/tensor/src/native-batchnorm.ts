import * as tf from './tf';
import { size, wasmOf, withOutput, type Impl, type KernelArgs } from './native-heap';

/**
 * Batch normalisation on the native path of the wasm backend (@descent/native-blas, on the wasm
 * heap): the `FusedBatchNorm` kernel in one pass, and its gradient. TensorFlow.js' gradient of
 * FusedBatchNorm builds each of the five input gradients from separate whole-tensor kernels
 * (Sub, Tile, eight Multiplies, four Sums: a third of a CNN step on wasm); here one native pass
 * computes them all (`DescentBatchNormGrad`, a multi-output kernel registered on the wasm backend
 * only). The gradient is registered globally, as tfjs' registry is, so it checks the active backend:
 * elsewhere, and for what the native kernel does not cover (non-float32, mean/variance/scale that
 * are not one value per channel of the last axis), tfjs' own gradient runs. The gradient of `Mean`
 * (the batch statistics) is replaced the same way. Uninstalling restores tfjs' gradients.
 */

/** The part of @descent/native-blas used here (optional: an older addon lacks them). */
export interface NativeBatchNormLike {
  batchNorm?(heap: ArrayBufferView, xOff: number, rows: number, channels: number, meanOff: number, varianceOff: number, offsetOff: number, scaleOff: number, epsilon: number, outOff: number): void;
  batchNormGrad?(
    heap: ArrayBufferView, xOff: number, dyOff: number, rows: number, channels: number, meanOff: number, varianceOff: number, scaleOff: number, epsilon: number,
    dxOff: number, dMeanOff: number, dVarianceOff: number, dScaleOff: number, dOffsetOff: number,
  ): void;
}

/** The name of the native gradient kernel (registered on the wasm backend while installed). */
export const BATCH_NORM_GRAD_KERNEL = 'DescentBatchNormGrad';

/** A parameter of one value per channel: [channels] (rank 1: tfjs' gradient sums over the other axes only then). */
const perChannel = (t: tf.TensorInfo | undefined, channels: number) => t === undefined || (t.dtype === 'float32' && t.shape.length === 1 && t.shape[0] === channels);

function covered(x: tf.TensorInfo, params: Array<tf.TensorInfo | undefined>): boolean {
  if (x.dtype !== 'float32' || x.shape.length < 1) return false;
  const channels = x.shape[x.shape.length - 1];
  return params.every((p) => perChannel(p, channels));
}

/** `FusedBatchNorm` (inputs x, mean, variance, offset?, scale?; varianceEpsilon), channels last. */
export const fusedBatchNorm: Impl<NativeBatchNormLike> = (native, { inputs, backend, attrs }) => {
  const { x, mean, variance, offset, scale } = inputs;
  const wasm = wasmOf(backend);
  if (!native.batchNorm || !wasm || !mean || !variance || !covered(x, [mean, variance, offset, scale])) return undefined;
  const channels = x.shape[x.shape.length - 1];
  const rows = channels === 0 ? 0 : size(x.shape) / channels;
  const eps = Number(attrs.varianceEpsilon ?? 0.001);
  return withOutput(wasm, backend, [...x.shape], 'float32', (heap, off, out) =>
    native.batchNorm!(heap, off(x), rows, channels, off(mean), off(variance), offset ? off(offset) : -1, scale ? off(scale) : -1, eps, off(out)),
  );
};

/** The multi-output gradient kernel: [dx, dMean, dVariance, dScale, dOffset]. */
function batchNormGradKernel(blas: NativeBatchNormLike, { inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const { x, dy, mean, variance, scale } = inputs;
  const wasm = wasmOf(backend);
  if (!blas.batchNormGrad || !wasm || !covered(x, [mean, variance, scale]) || dy.dtype !== 'float32' || dy.shape.join() !== x.shape.join()) {
    throw new Error(`${BATCH_NORM_GRAD_KERNEL}: unsupported inputs (the gradient should have used tfjs' own)`);
  }
  const channels = x.shape[x.shape.length - 1];
  const rows = channels === 0 ? 0 : size(x.shape) / channels;
  const outs = [wasm.makeOutput([...x.shape], 'float32'), ...[0, 1, 2, 3].map(() => wasm.makeOutput([channels], 'float32'))];
  if (channels > 0) {
    const offset = (t: tf.TensorInfo) => wasm.dataIdMap.get(t.dataId)!.memoryOffset;
    try {
      // The heap is read after every allocation (growing the wasm memory detaches earlier views).
      blas.batchNormGrad(wasm.wasm.HEAPU8, offset(x), offset(dy), rows, channels, offset(mean), offset(variance), scale ? offset(scale) : -1, Number(attrs.varianceEpsilon ?? 0.001), ...(outs.map(offset) as [number, number, number, number, number]));
    } catch (e) {
      for (const o of outs) backend.disposeData(o.dataId);
      throw e;
    }
  }
  return outs;
}

/** tfjs' gradients replaced while installed, to restore. */
const originals = new Map<string, tf.GradConfig>();
let calls = 0;

/** How many FusedBatchNorm gradients the native kernel computed since the process started. */
export function nativeBatchNormGradCount(): number {
  return calls;
}

/**
 * Whether the native gradient may run: installed on the active backend, and no outer gradient is
 * being recorded (the native kernel has no gradient itself; a second derivative, e.g. a
 * Hessian-vector product, needs tfjs' differentiable composition).
 */
const nativeHere = () =>
  tf.getKernel(BATCH_NORM_GRAD_KERNEL, tf.getBackend()) !== undefined && ((tf.engine() as unknown as { state?: { gradientDepth?: number } }).state?.gradientDepth ?? 1) === 0;

/** FusedBatchNorm's gradient: one native kernel for all five input gradients. */
const batchNormGrad = (tfjs: tf.GradConfig): tf.GradFunc => (dy, saved, attrs) => {
  const [x, mean, variance, scale] = saved;
  if (!Array.isArray(dy) && nativeHere() && dy.dtype === 'float32' && covered(x, [mean, variance, scale ?? undefined])) {
    const inputs: Record<string, tf.Tensor> = { x, dy, mean, variance };
    if (scale) inputs.scale = scale;
    const [dx, dMean, dVariance, dScale, dOffset] = tf.engine().runKernel(BATCH_NORM_GRAD_KERNEL, inputs as never, { varianceEpsilon: (attrs as { varianceEpsilon: number }).varianceEpsilon } as never) as unknown as tf.Tensor[];
    calls++;
    return { x: () => dx, mean: () => dMean, variance: () => dVariance, scale: () => dScale, offset: () => dOffset };
  }
  return tfjs.gradFunc(dy, saved, attrs);
};

/**
 * Mean's gradient (batch-norm statistics: tfjs' moments): dy / n broadcast back over the reduced
 * axes as a Tile of the small tensor (a copy, native on this path), where tfjs multiplies dy by a
 * tensor of ones the size of x and then divides the whole result by n. Same values: the division
 * happens before the broadcast instead of after.
 */
const meanGrad = (tfjs: tf.GradConfig): tf.GradFunc => (dy, saved, attrs) => {
  const [x] = saved;
  if (Array.isArray(dy) || !nativeHere() || dy.dtype !== 'float32' || x.dtype !== 'float32') return tfjs.gradFunc(dy, saved, attrs);
  const axes = tf.util.parseAxisParam((attrs as { axis: number | number[] }).axis, x.shape);
  const reduceSize = axes.reduce((p, a) => p * x.shape[a], 1);
  return {
    x: () => {
      const expanded = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const reps = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
      return tf.tile(tf.div(tf.reshape(dy, expanded), reduceSize), reps);
    },
  };
};

const GRADIENTS: Record<string, (tfjs: tf.GradConfig) => tf.GradFunc> = { FusedBatchNorm: batchNormGrad, Mean: meanGrad };

/**
 * Registers the native gradient kernel on `backendName` and the backend-checking FusedBatchNorm
 * and Mean gradients (tfjs' own run on other backends). Returns whether it did.
 */
export function installBatchNormGrad(blas: NativeBatchNormLike, backendName: string): boolean {
  if (!blas.batchNormGrad) return false;
  if (!tf.getKernel(BATCH_NORM_GRAD_KERNEL, backendName)) {
    tf.registerKernel({ kernelName: BATCH_NORM_GRAD_KERNEL, backendName, kernelFunc: ((args: KernelArgs) => batchNormGradKernel(blas, args)) as unknown as tf.KernelFunc });
  }
  for (const [kernelName, make] of Object.entries(GRADIENTS)) {
    if (originals.has(kernelName)) continue;
    const tfjs = tf.getGradient(kernelName);
    if (!tfjs) continue;
    originals.set(kernelName, tfjs);
    tf.registerGradient({ ...tfjs, gradFunc: make(tfjs) });
  }
  return true;
}

/** Removes the native gradient kernel from `backendName` and restores tfjs' gradients. */
export function uninstallBatchNormGrad(backendName: string): void {
  if (tf.getKernel(BATCH_NORM_GRAD_KERNEL, backendName)) tf.unregisterKernel(BATCH_NORM_GRAD_KERNEL, backendName);
  for (const [, tfjs] of originals) tf.registerGradient(tfjs);
  originals.clear();
}
