import * as tf from './tf';

// Shared by the native kernel files: the wasm backend's internals they read, and output allocation.

export interface WasmBackendLike {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

export type KernelArgs = { inputs: Record<string, tf.TensorInfo>; backend: tf.KernelBackend; attrs: Record<string, unknown> };
/** A native kernel: its output, or undefined where the previously registered kernel must run. */
export type Impl<Blas> = (blas: Blas, args: KernelArgs) => tf.TensorInfo | undefined;

/**
 * The addon's activation codes (native/util.h of @descent/native-blas), for the fused kernels'
 * `activation` attribute: tfjs' names plus tanh (used by the dense-stack step).
 */
export const NATIVE_ACTIVATION_CODES: Readonly<Record<string, number>> = { linear: 0, relu: 1, relu6: 2, sigmoid: 3, elu: 4, leakyrelu: 5, tanh: 6 };

let fusion = true;

/**
 * Turns Descent's fused native kernels on or off: element-wise programs, the dense-stack training
 * step and the dense-chain Hessian-vector product (on by default, where @descent/native-blas
 * provides them). Off, the same computations run as TensorFlow.js operations: for comparisons and
 * tests. The native matMul and convolution kernels stay. Returns the previous setting.
 */
export function setNativeFusion(enabled: boolean): boolean {
  const previous = fusion;
  fusion = enabled;
  return previous;
}

/** Whether {@link setNativeFusion} leaves the fused kernels on. */
export function nativeFusionEnabled(): boolean {
  return fusion;
}

export const size = (s: readonly number[]) => s.reduce((p, x) => p * x, 1);

export function wasmOf(backend: tf.KernelBackend): WasmBackendLike | undefined {
  const wasm = backend as unknown as WasmBackendLike;
  return wasm.dataIdMap && wasm.wasm?.HEAPU8 && typeof wasm.makeOutput === 'function' ? wasm : undefined;
}

/**
 * Allocates the output, then runs `compute` with the heap read after the allocation (growing the
 * wasm memory detaches earlier views) and the byte offset of a tensor; frees the output on error.
 */
export function withOutput(wasm: WasmBackendLike, backend: tf.KernelBackend, shape: number[], dtype: tf.DataType, compute: (heap: Uint8Array, offset: (t: tf.TensorInfo) => number, out: tf.TensorInfo) => void): tf.TensorInfo {
  const out = wasm.makeOutput(shape, dtype);
  if (size(shape) === 0) return out;
  const offset = (t: tf.TensorInfo) => wasm.dataIdMap.get(t.dataId)!.memoryOffset;
  try {
    compute(wasm.wasm.HEAPU8, offset, out);
  } catch (e) {
    backend.disposeData(out.dataId);
    throw e;
  }
  return out;
}

