import * as tf from './tf';
import { InvalidParameterError } from './errors';
import { nativeFusionEnabled, size, wasmOf } from './native-heap';

/**
 * Inner products of vectors made of several tensors (parameter-space vectors: one tensor per
 * parameter), read back together: one native pass over the data with the sums in double (and
 * returned in double) where @descent/native-blas provides the `DescentDots` kernel, else
 * TensorFlow.js' mul and sum per tensor (float32). The iterative Hessian methods call this once
 * or twice per product, the training loop once per step for the gradient norm.
 */

export const DOTS_KERNEL = 'DescentDots';

/**
 * For each entry of `products`, Σ_k ⟨a_k, b_k⟩ over its pairs of same-shaped float32 tensors.
 * One synchronisation for all of them.
 */
export function dotProducts(products: ReadonlyArray<ReadonlyArray<readonly [tf.Tensor, tf.Tensor]>>): number[] {
  products.forEach((pairs, g) =>
    pairs.forEach(([a, b], k) => {
      if (a.dtype !== 'float32' || b.dtype !== 'float32' || !tf.util.arraysEqual(a.shape, b.shape)) {
        throw new InvalidParameterError(`products[${g}][${k}]`, `${a.dtype} [${a.shape}] · ${b.dtype} [${b.shape}]`, 'two float32 tensors of one shape');
      }
    }),
  );
  if (products.length === 0) return [];
  const native = dotProductsNative();
  const out = native
    ? (tf.engine().runKernel(
        DOTS_KERNEL,
        Object.fromEntries(products.flatMap((pairs, g) => pairs.flatMap(([a, b], k) => [[`a${g}_${k}`, a], [`b${g}_${k}`, b]]))) as tf.NamedTensorMap,
        { counts: products.map((p) => p.length) } as unknown as tf.NamedAttrMap,
      ) as tf.Tensor)
    : tf.tidy(() => tf.stack(products.map((pairs) => (pairs.length === 0 ? tf.scalar(0) : tf.addN(pairs.map(([a, b]) => tf.sum(tf.mul(a, b))))))));
  const data = out.dataSync();
  out.dispose();
  if (!native) return Array.from(data);
  // The kernel's output holds doubles in the bytes of 2·count floats.
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  return Array.from(new Float64Array(bytes.buffer));
}

/** Whether dotProducts runs natively here, with double sums (see setNativeFusion). */
export function dotProductsNative(): boolean {
  return nativeFusionEnabled() && tf.getKernel(DOTS_KERNEL, tf.getBackend()) !== undefined;
}

/** The addon function the kernel calls. */
export interface NativeDots {
  dots(heap: ArrayBufferView, pairs: Float64Array, outOff: number, count: number): void;
}

/** Registers the kernel on the wasm backend. */
export function installDotsKernel(addon: NativeDots, backendName = 'wasm'): boolean {
  if (typeof addon.dots !== 'function' || backendName !== 'wasm') return false;
  if (tf.getKernel(DOTS_KERNEL, backendName)) tf.unregisterKernel(DOTS_KERNEL, backendName);
  tf.registerKernel({
    kernelName: DOTS_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = wasmOf(backend as tf.KernelBackend)!;
      const { counts } = attrs as unknown as { counts: number[] };
      const ins = inputs as Record<string, tf.TensorInfo>;
      const out = wasm.makeOutput([2 * counts.length], 'float32'); // doubles, see dotProducts
      const offset = (t: tf.TensorInfo) => wasm.dataIdMap.get(t.dataId)!.memoryOffset;
      const records: number[] = [];
      counts.forEach((n, g) => {
        for (let k = 0; k < n; k++) {
          const a = ins[`a${g}_${k}`], b = ins[`b${g}_${k}`];
          const count = size(a.shape);
          if (count > 0) records.push(g, offset(a), offset(b), count);
        }
      });
      try {
        addon.dots(wasm.wasm.HEAPU8, Float64Array.from(records), offset(out), counts.length);
      } catch (e) {
        (backend as tf.KernelBackend).disposeData(out.dataId);
        throw e;
      }
      return out;
    },
  });
  return true;
}

export function uninstallDotsKernel(backendName = 'wasm'): boolean {
  if (!tf.getKernel(DOTS_KERNEL, backendName)) return false;
  tf.unregisterKernel(DOTS_KERNEL, backendName);
  return true;
}
