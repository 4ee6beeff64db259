import * as tf from './tf';
import { InvalidParameterError } from './errors';
import { nativeFusionEnabled, size, wasmOf } from './native-heap';

/**
 * A batch of a byte dataset (images stored as a Uint8Array, one row per example) as a float32
 * tensor in one native pass on the wasm backend (`DescentGatherRows`, from @descent/native-blas):
 * the rows at `indices`, each byte mapped through a per-channel table (256 values per channel,
 * index channel·256 + byte: the normalisation). The dataset stays in JavaScript memory. Where the
 * kernel is absent, {@link gatherRows} returns undefined and the caller builds the batch itself.
 */

export const GATHER_ROWS_KERNEL = 'DescentGatherRows';

/** Whether the native kernel runs here (see setNativeFusion). */
export function gatherRowsAvailable(): boolean {
  return nativeFusionEnabled() && tf.getKernel(GATHER_ROWS_KERNEL, tf.getBackend()) !== undefined;
}

/**
 * out[r, i] = table[(i mod channels)·256 + source[indices[r]·rowLength + i]], shaped `shape`
 * (its size must be indices.length·rowLength). Undefined where the native kernel is absent.
 */
export function gatherRows(source: Uint8Array, rowLength: number, indices: ArrayLike<number>, table: Float32Array, channels: number, shape: number[]): tf.Tensor | undefined {
  if (!gatherRowsAvailable()) return undefined;
  if (!Number.isInteger(channels) || channels < 1 || !Number.isInteger(rowLength) || rowLength < 1 || rowLength % channels !== 0) {
    throw new InvalidParameterError('rowLength', rowLength, `a positive multiple of channels (${channels})`);
  }
  if (table.length !== 256 * channels) throw new InvalidParameterError('table', `${table.length} values`, `${256 * channels} (256 per channel)`);
  if (size(shape) !== indices.length * rowLength) throw new InvalidParameterError('shape', `[${shape}]`, `${indices.length * rowLength} elements (indices × rowLength)`);
  const rows = source.length / rowLength;
  const idx = Int32Array.from(indices, (i) => {
    if (!Number.isInteger(i) || i < 0 || i >= rows) throw new InvalidParameterError('indices', i, `integers in [0, ${rows})`);
    return i;
  });
  return tf.engine().runKernel(GATHER_ROWS_KERNEL, {}, { source, rowLength, indices: idx, table, channels, shape } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** The addon function the kernel calls. */
export interface NativeGatherRows {
  gatherRows(heap: ArrayBufferView, outOff: number, source: Uint8Array, rowLength: number, indices: Int32Array, table: Float32Array, channels: number): void;
}

/** Registers the kernel on the wasm backend. */
export function installGatherRowsKernel(addon: NativeGatherRows, backendName = 'wasm'): boolean {
  if (typeof addon.gatherRows !== 'function' || backendName !== 'wasm') return false;
  if (tf.getKernel(GATHER_ROWS_KERNEL, backendName)) tf.unregisterKernel(GATHER_ROWS_KERNEL, backendName);
  tf.registerKernel({
    kernelName: GATHER_ROWS_KERNEL,
    backendName,
    kernelFunc: ({ backend, attrs }) => {
      const wasm = wasmOf(backend as tf.KernelBackend)!;
      const a = attrs as unknown as { source: Uint8Array; rowLength: number; indices: Int32Array; table: Float32Array; channels: number; shape: number[] };
      const out = wasm.makeOutput(a.shape, 'float32');
      if (a.indices.length === 0) return out;
      try {
        addon.gatherRows(wasm.wasm.HEAPU8, wasm.dataIdMap.get(out.dataId)!.memoryOffset, a.source, a.rowLength, a.indices, a.table, a.channels);
      } catch (e) {
        (backend as tf.KernelBackend).disposeData(out.dataId);
        throw e;
      }
      return out;
    },
  });
  return true;
}

export function uninstallGatherRowsKernel(backendName = 'wasm'): boolean {
  if (!tf.getKernel(GATHER_ROWS_KERNEL, backendName)) return false;
  tf.unregisterKernel(GATHER_ROWS_KERNEL, backendName);
  return true;
}
