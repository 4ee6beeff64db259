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

