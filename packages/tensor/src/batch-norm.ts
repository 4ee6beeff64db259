import * as tf from './tf';
import { InvalidParameterError } from './errors';
import { nativeFusionEnabled, size, wasmOf } from './native-heap';

/**
 * Batch normalisation in training mode, channels last: the batch's own mean and (biased)
 * variance over every axis but the last, y = scale·(x − mean)/√(variance + ε) + offset, and the
 * gradient through those statistics. This is what tf.layers.batchNormalization computes in
 * training (tf.moments, then tf.batchNorm), where TensorFlow.js' autodiff runs about twenty
 * whole-tensor kernels for the gradient; with @descent/native-blas on the wasm backend it is two
 * native passes forward (`DescentBatchNormTrain`) and two backward. Elsewhere, the tfjs ops.
 */

export const BATCH_NORM_TRAIN_KERNEL = 'DescentBatchNormTrain';
const GRAD_KERNEL = 'DescentBatchNormTrainGrad';

export interface BatchNormTrainingResult {
  y: tf.Tensor;
  /** The batch statistics per channel (for the moving averages). */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** Whether the native kernel runs here (see setNativeFusion). */
export function batchNormTrainingNative(): boolean {
  return nativeFusionEnabled() && tf.getKernel(BATCH_NORM_TRAIN_KERNEL, tf.getBackend()) !== undefined;
}

/**
 * Normalises `x` ([..., channels], float32) with its batch statistics; `scale` and `offset`
 * ([channels]) may be null (1 and 0). Differentiable with respect to x, scale and offset.
 */
export function batchNormTraining(x: tf.Tensor, scale: tf.Tensor | null, offset: tf.Tensor | null, epsilon: number): BatchNormTrainingResult {
  if (x.dtype !== 'float32' || x.rank < 2) throw new InvalidParameterError('x', `${x.dtype} [${x.shape}]`, 'float32 [batch, ..., channels]');
  const channels = x.shape[x.rank - 1];
  for (const [name, t] of [['scale', scale], ['offset', offset]] as const) {
    if (t && (t.dtype !== 'float32' || t.rank !== 1 || t.shape[0] !== channels)) throw new InvalidParameterError(name, `${t.dtype} [${t.shape}]`, `float32 [${channels}] or null`);
  }
  if (!(epsilon >= 0)) throw new InvalidParameterError('epsilon', epsilon, 'a number ≥ 0');
  if (size(x.shape) === 0) throw new InvalidParameterError('x', `[${x.shape}]`, 'a batch of at least one element per channel');
  if (batchNormTrainingNative()) {
    const inputs: Record<string, tf.Tensor> = { x };
    if (scale) inputs.scale = scale;
    if (offset) inputs.offset = offset;
    const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN_KERNEL, inputs as tf.NamedTensorMap, { epsilon } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  }
  // tf.layers.batchNormalization's own composition (normalizeBatchInTraining).
  return tf.tidy(() => {
    const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
    const { mean, variance } = tf.moments(x, axes);
    const y = tf.batchNorm(x, mean, variance, offset ?? undefined, scale ?? undefined, epsilon);
    return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  });
}

/**
 * The gradient as differentiable TensorFlow.js ops, for a gradient that is itself recorded (a
 * second derivative): with r = 1/√(variance + ε) and x̂ = (x − mean)·r,
 * dx = s·r·(dy − mean(dy) − x̂·mean(dy·x̂)) + dMean/n + dVariance·2(x − mean)/n. The statistics
 * are recomputed from x: tfjs' saved copies of a kernel's outputs are not connected to it on the
 * tape (each copy is recorded before the kernel), so a derivative through them would be lost.
 */
function gradientOps(x: tf.Tensor, dy: tf.Tensor, scale: tf.Tensor | undefined, dMean: tf.Tensor, dVariance: tf.Tensor, epsilon: number): tf.Tensor[] {
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  const n = size(x.shape) / x.shape[x.rank - 1];
  const r = tf.rsqrt(tf.add(variance, epsilon));
  const centred = tf.sub(x, mean);
  const xhat = tf.mul(centred, r);
  const sumDy = tf.sum(dy, axes);
  const sumDyXhat = tf.sum(tf.mul(dy, xhat), axes);
  const sr = scale ? tf.mul(scale, r) : r;
  let dx = tf.mul(sr, tf.sub(tf.sub(dy, tf.div(sumDy, n)), tf.mul(xhat, tf.div(sumDyXhat, n))));
  dx = tf.add(dx, tf.add(tf.div(dMean, n), tf.mul(centred, tf.mul(dVariance, 2 / n))));
  return [dx, sumDyXhat, sumDy];
}

/** The addon functions the kernels call. */
export interface NativeBatchNormTrain {
  batchNormTrain(heap: ArrayBufferView, xOff: number, rows: number, channels: number, scaleOff: number, offsetOff: number, epsilon: number, yOff: number, meanOff: number, varianceOff: number): void;
  batchNormTrainGrad(
    heap: ArrayBufferView, xOff: number, dyOff: number, rows: number, channels: number, meanOff: number, varianceOff: number, scaleOff: number, epsilon: number,
    dxOff: number, dScaleOff: number, dOffsetOff: number, dMeanOff: number, dVarianceOff: number,
  ): void;
}

/** Registers both kernels on the wasm backend, and the forward kernel's gradient. */
export function installBatchNormTrainKernels(addon: NativeBatchNormTrain, backendName = 'wasm'): boolean {
  if (typeof addon.batchNormTrain !== 'function' || typeof addon.batchNormTrainGrad !== 'function' || backendName !== 'wasm') return false;
  uninstallBatchNormTrainKernels(backendName);
  tf.registerKernel({
    kernelName: BATCH_NORM_TRAIN_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = wasmOf(backend as tf.KernelBackend)!;
      const { x, scale, offset } = inputs as Record<string, tf.TensorInfo | undefined>;
      const channels = x!.shape[x!.shape.length - 1];
      const outs = [wasm.makeOutput([...x!.shape], 'float32'), wasm.makeOutput([channels], 'float32'), wasm.makeOutput([channels], 'float32')];
      const offsetOf = (t: tf.TensorInfo | undefined) => (t ? wasm.dataIdMap.get(t.dataId)!.memoryOffset : -1);
      try {
        addon.batchNormTrain(wasm.wasm.HEAPU8, offsetOf(x), size(x!.shape) / channels, channels, offsetOf(scale), offsetOf(offset), (attrs as { epsilon: number }).epsilon, ...(outs.map(offsetOf) as [number, number, number]));
      } catch (e) {
        for (const o of outs) (backend as tf.KernelBackend).disposeData(o.dataId);
        throw e;
      }
      return outs;
    },
  });
  tf.registerKernel({
    kernelName: GRAD_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = wasmOf(backend as tf.KernelBackend)!;
      const { x, dy, mean, variance, scale, dMean, dVariance } = inputs as Record<string, tf.TensorInfo | undefined>;
      const channels = x!.shape[x!.shape.length - 1];
      const outs = [wasm.makeOutput([...x!.shape], 'float32'), wasm.makeOutput([channels], 'float32'), wasm.makeOutput([channels], 'float32')];
      const offsetOf = (t: tf.TensorInfo | undefined) => (t ? wasm.dataIdMap.get(t.dataId)!.memoryOffset : -1);
      try {
        addon.batchNormTrainGrad(
          wasm.wasm.HEAPU8, offsetOf(x), offsetOf(dy), size(x!.shape) / channels, channels, offsetOf(mean), offsetOf(variance), offsetOf(scale),
          (attrs as { epsilon: number }).epsilon, ...(outs.map(offsetOf) as [number, number, number]), offsetOf(dMean), offsetOf(dVariance),
        );
      } catch (e) {
        for (const o of outs) (backend as tf.KernelBackend).disposeData(o.dataId);
        throw e;
      }
      return outs;
    },
  });
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAIN_KERNEL,
    inputsToSave: ['x', 'scale'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [dy, dMean, dVariance] = dys as tf.Tensor[];
      const [x, scale, mean, variance] = saved as Array<tf.Tensor | undefined>;
      const { epsilon } = attrs as unknown as { epsilon: number };
      // A recorded gradient (a second derivative) needs differentiable ops; the native kernel has no gradient.
      const outer = ((tf.engine() as unknown as { state?: { gradientDepth?: number } }).state?.gradientDepth ?? 1) > 0;
      const [dx, dScale, dOffset] = outer
        ? gradientOps(x!, dy, scale, dMean, dVariance, epsilon)
        : (tf.engine().runKernel(GRAD_KERNEL, { x: x!, dy, mean: mean!, variance: variance!, ...(scale ? { scale } : {}), dMean, dVariance } as tf.NamedTensorMap, { epsilon } as unknown as tf.NamedAttrMap) as tf.Tensor[]);
      return { x: () => dx, scale: () => dScale, offset: () => dOffset };
    },
  });
  return true;
}

export function uninstallBatchNormTrainKernels(backendName = 'wasm'): boolean {
  let any = false;
  for (const k of [BATCH_NORM_TRAIN_KERNEL, GRAD_KERNEL]) {
    if (!tf.getKernel(k, backendName)) continue;
    tf.unregisterKernel(k, backendName);
    any = true;
  }
  return any;
}
