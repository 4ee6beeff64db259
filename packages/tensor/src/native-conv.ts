import * as tf from './tf';
import { NATIVE_ACTIVATION_CODES, size, wasmOf, withOutput, type Impl as ImplOf } from './native-heap';
import { fusedBatchNorm, type NativeBatchNormLike } from './native-batchnorm';

/**
 * The native kernels of a CNN's training step on the wasm backend, computed by
 * @descent/native-blas on the wasm heap (zero-copy, see native-kernels.ts which registers them):
 * `Conv2D` and `FusedConv2D` (im2col + OpenBLAS sgemm, + bias and activation),
 * `Conv2DBackpropInput` (sgemm + col2im), `Conv2DBackpropFilter` (im2col + sgemm), `MaxPoolGrad`,
 * `FusedBatchNorm` (native-batchnorm.ts, which also replaces its gradient), and two kernels tfjs'
 * batch-norm statistics and gradients lean on, `Tile` (a plain strided copy where wasm computes
 * every index) and `Mean` over every axis but the last (a column sum where wasm transposes first),
 * and a zero-copy `Cast` to the same dtype.
 * Each returns undefined for what it does not cover (NCHW, non-float32, prelu, a bias that
 * is not one value per output channel, mismatched shapes, an addon built before these functions):
 * the previously registered kernel then runs and reports tfjs' own errors.
 */

/** tfjs' Conv2DInfo fields the addon reads (structurally @descent/native-blas' ConvGeometry). */
export type ConvGeometryLike = Pick<
  tf.backend_util.Conv2DInfo,
  'batchSize' | 'inHeight' | 'inWidth' | 'inChannels' | 'outHeight' | 'outWidth' | 'outChannels' | 'filterHeight' | 'filterWidth' | 'strideHeight' | 'strideWidth' | 'dilationHeight' | 'dilationWidth'
> & { padInfo: { top: number; left: number } };

/** The part of @descent/native-blas these kernels use (optional: an older addon lacks them). */
export interface NativeConvLike extends NativeBatchNormLike {
  conv2d?(heap: ArrayBufferView, geometry: ConvGeometryLike, xOff: number, filterOff: number, yOff: number, biasOff: number, activation: number, actAlpha: number): void;
  conv2dBackpropInput?(heap: ArrayBufferView, geometry: ConvGeometryLike, dyOff: number, filterOff: number, dxOff: number): void;
  conv2dBackpropFilter?(heap: ArrayBufferView, geometry: ConvGeometryLike, xOff: number, dyOff: number, dwOff: number): void;
  maxPoolGrad?(heap: ArrayBufferView, geometry: ConvGeometryLike, xOff: number, dyOff: number, dxOff: number): void;
  tile?(heap: ArrayBufferView, xOff: number, shape: number[], reps: number[], outOff: number): void;
  colSum(heap: ArrayBufferView, xOff: number, rows: number, cols: number, outOff: number): void;
}

type Impl = ImplOf<NativeConvLike>;

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** NHWC only ('NHWC' is tfjs' default; conv2d layers pass it explicitly). */
const channelsLast = (attrs: Record<string, unknown>) => attrs.dataFormat === undefined || attrs.dataFormat === 'NHWC';

/** The geometry, or undefined where tfjs would refuse it (the fallback then throws tfjs' error). */
function geometry(compute: () => tf.backend_util.Conv2DInfo): tf.backend_util.Conv2DInfo | undefined {
  try {
    const info = compute();
    return [info.outHeight, info.outWidth].every((d) => Number.isInteger(d) && d >= 0) ? info : undefined;
  } catch {
    return undefined;
  }
}

const conv2d = (kernelName: 'Conv2D' | 'FusedConv2D'): Impl => (blas, { inputs, backend, attrs }) => {
  const { x, filter, bias } = inputs;
  const wasm = wasmOf(backend);
  if (!blas.conv2d || !wasm || x.dtype !== 'float32' || filter.dtype !== 'float32' || x.shape.length !== 4 || filter.shape.length !== 4) return undefined;
  if (!channelsLast(attrs) || x.shape[3] !== filter.shape[2]) return undefined;
  let act = 0, actAlpha = 0;
  if (kernelName === 'FusedConv2D') {
    const activation = (attrs.activation as string | undefined) ?? 'linear';
    if (!(activation in NATIVE_ACTIVATION_CODES) || inputs.preluActivationWeights) return undefined;
    act = NATIVE_ACTIVATION_CODES[activation];
    actAlpha = Number(attrs.leakyreluAlpha ?? 0.2);
    // One value per output channel ([outC], [1, 1, 1, outC], …); a scalar or other broadcast: fallback.
    if (bias && (bias.dtype !== 'float32' || bias.shape.length > 4 || size(bias.shape) !== filter.shape[3] || bias.shape[bias.shape.length - 1] !== filter.shape[3])) return undefined;
  }
  const info = geometry(() =>
    tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], attrs.strides as number | [number, number], (attrs.dilations ?? 1) as number | [number, number], attrs.pad as 'same', attrs.dimRoundingMode as 'floor' | undefined, false, 'channelsLast'),
  );
  if (!info) return undefined;
  const useBias = kernelName === 'FusedConv2D' && bias !== undefined;
  return withOutput(wasm, backend, info.outShape, 'float32', (heap, off, out) =>
    blas.conv2d!(heap, info, off(x), off(filter), off(out), useBias ? off(bias) : -1, act, actAlpha),
  );
};

const conv2dBackpropInput: Impl = (blas, { inputs, backend, attrs }) => {
  const { dy, filter } = inputs;
  const wasm = wasmOf(backend);
  const inputShape = attrs.inputShape as number[] | undefined;
  if (!blas.conv2dBackpropInput || !wasm || dy.dtype !== 'float32' || filter.dtype !== 'float32' || dy.shape.length !== 4 || filter.shape.length !== 4) return undefined;
  if (!channelsLast(attrs) || !Array.isArray(inputShape) || inputShape.length !== 4 || inputShape[3] !== filter.shape[2]) return undefined;
  const info = geometry(() =>
    tf.backend_util.computeConv2DInfo(inputShape as [number, number, number, number], filter.shape as [number, number, number, number], attrs.strides as number | [number, number], 1, attrs.pad as 'same', attrs.dimRoundingMode as 'floor' | undefined, false, 'channelsLast'),
  );
  if (!info || !sameShape(dy.shape, info.outShape)) return undefined;
  return withOutput(wasm, backend, [...inputShape], 'float32', (heap, off, out) => blas.conv2dBackpropInput!(heap, info, off(dy), off(filter), off(out)));
};

const conv2dBackpropFilter: Impl = (blas, { inputs, backend, attrs }) => {
  const { x, dy } = inputs;
  const wasm = wasmOf(backend);
  const filterShape = attrs.filterShape as number[] | undefined;
  if (!blas.conv2dBackpropFilter || !wasm || x.dtype !== 'float32' || dy.dtype !== 'float32' || x.shape.length !== 4 || dy.shape.length !== 4) return undefined;
  if (!channelsLast(attrs) || !Array.isArray(filterShape) || filterShape.length !== 4 || x.shape[3] !== filterShape[2]) return undefined;
  const info = geometry(() =>
    tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape as [number, number, number, number], attrs.strides as number | [number, number], 1, attrs.pad as 'same', attrs.dimRoundingMode as 'floor' | undefined, false, 'channelsLast'),
  );
  if (!info || !sameShape(dy.shape, info.outShape)) return undefined;
  return withOutput(wasm, backend, [...filterShape], 'float32', (heap, off, out) => blas.conv2dBackpropFilter!(heap, info, off(x), off(dy), off(out)));
};

const maxPoolGrad: Impl = (blas, { inputs, backend, attrs }) => {
  const { dy, input } = inputs;
  const wasm = wasmOf(backend);
  if (!blas.maxPoolGrad || !wasm || dy.dtype !== 'float32' || input.dtype !== 'float32' || input.shape.length !== 4 || dy.shape.length !== 4) return undefined;
  const info = geometry(() =>
    tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize as number | [number, number], attrs.strides as number | [number, number], 1, attrs.pad as 'same', attrs.dimRoundingMode as 'floor' | undefined),
  );
  if (!info || !sameShape(dy.shape, info.outShape)) return undefined;
  return withOutput(wasm, backend, [...input.shape], 'float32', (heap, off, out) => blas.maxPoolGrad!(heap, info, off(input), off(dy), off(out)));
};

const tile: Impl = (blas, { inputs, backend, attrs }) => {
  const { x } = inputs;
  const wasm = wasmOf(backend);
  const reps = attrs.reps as number[] | undefined;
  // A copy of 4-byte elements: float32 and int32 alike.
  if (!blas.tile || !wasm || (x.dtype !== 'float32' && x.dtype !== 'int32') || !Array.isArray(reps) || reps.length !== x.shape.length || x.shape.length > 8) return undefined;
  if (!reps.every((r) => Number.isInteger(r) && r >= 0)) return undefined;
  return withOutput(wasm, backend, x.shape.map((d, i) => d * reps[i]), x.dtype, (heap, off, out) => blas.tile!(heap, off(x), [...x.shape], [...reps], off(out)));
};

/** `Mean` over every axis but the last (batch-norm statistics and their gradients): a column sum, scaled. */
const mean: Impl = (blas, { inputs, backend, attrs }) => {
  const { x } = inputs;
  const rank = x.shape.length;
  const wasm = wasmOf(backend);
  if (!wasm || x.dtype !== 'float32' || rank < 2) return undefined;
  const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape).sort((p, q) => p - q);
  if (axes.length !== rank - 1 || axes.some((a, i) => a !== i)) return undefined;
  const cols = x.shape[rank - 1];
  const rows = size(x.shape.slice(0, -1));
  if (rows === 0) return undefined; // 0/0: tfjs' own result
  return withOutput(wasm, backend, attrs.keepDims ? [...Array(rank - 1).fill(1), cols] : [cols], 'float32', (heap, off, out) => {
    blas.colSum(heap, off(x), rows, cols, off(out));
    const view = new Float32Array(heap.buffer, heap.byteOffset + off(out), cols);
    for (let j = 0; j < cols; j++) view[j] /= rows;
  });
};

/**
 * `Cast` to the dtype the tensor already has (tfjs' moments and the relu, square and batch-norm
 * gradients cast float32 to float32): the output shares the input's memory, reference counted, as
 * the cpu backend's Cast does, instead of the wasm kernel's copy.
 */
const sameTypeCast: Impl = (_blas, { inputs, backend, attrs }) => {
  const { x } = inputs;
  const wasm = backend as unknown as { incRef?(dataId: object): void };
  if (attrs.dtype !== x.dtype || typeof wasm.incRef !== 'function') return undefined;
  wasm.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** The kernels of this file by name, for native-kernels.ts to register. */
export const CONV_KERNELS = {
  Conv2D: conv2d('Conv2D'),
  FusedConv2D: conv2d('FusedConv2D'),
  Conv2DBackpropInput: conv2dBackpropInput,
  Conv2DBackpropFilter: conv2dBackpropFilter,
  MaxPoolGrad: maxPoolGrad,
  Tile: tile,
  Mean: mean,
  FusedBatchNorm: fusedBatchNorm,
  Cast: sameTypeCast,
} as const satisfies Record<string, Impl>;

export const CONV_KERNEL_NAMES = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'MaxPoolGrad', 'Tile', 'Mean', 'FusedBatchNorm', 'Cast'] as const;
