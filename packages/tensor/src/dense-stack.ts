import * as tf from './tf';
import { InvalidParameterError } from './errors';
import { NATIVE_ACTIVATION_CODES as CODES, nativeFusionEnabled, wasmOf } from './native-heap';

/**
 * The loss and all gradients of a stack of dense layers under mean softmax cross-entropy in one
 * native call (`DescentDenseStackGradients`, from @descent/native-blas on the wasm backend): the
 * training step of the toolkit's MLPs without the two hundred kernels TensorFlow.js' autodiff
 * runs for it. TensorFlow.js stays the tensor container: inputs are read and gradients written on
 * its wasm heap. Where the kernel is absent, {@link denseStackGradients} returns undefined and
 * the caller takes the general path.
 */

export const DENSE_STACK_KERNEL = 'DescentDenseStackGradients';

/** Activations the native step covers, with their codes in the addon. */
export const DENSE_STACK_ACTIVATIONS = { linear: CODES.linear, relu: CODES.relu, sigmoid: CODES.sigmoid, tanh: CODES.tanh } as const;
export type DenseStackActivation = keyof typeof DENSE_STACK_ACTIVATIONS;

export interface DenseStackLayer {
  /** [inputs, units]. */
  kernel: tf.Tensor;
  /** [units], or none. */
  bias?: tf.Tensor;
  activation: DenseStackActivation;
}

export interface DenseStackResult {
  /** Mean softmax cross-entropy of the batch. */
  loss: number;
  /** Rows whose arg-max is the label. */
  correct: number;
  /** Gradient of each layer's kernel (new tensors, owned by the caller). */
  kernelGrads: tf.Tensor[];
  /** Gradient of each layer's bias (undefined where the layer has none). */
  biasGrads: Array<tf.Tensor | undefined>;
  /** Σ of squared gradient entries per layer: [kernel, bias]. */
  sumSquares: Array<[number, number]>;
  /** Per layer: whether the kernel's (resp. the bias') gradient holds NaN or ±Inf. */
  nonFinite: Array<[boolean, boolean]>;
}

/** Whether the native dense-stack kernel is registered on the current backend. */
export function denseStackAvailable(): boolean {
  return nativeFusionEnabled() && tf.getKernel(DENSE_STACK_KERNEL, tf.getBackend()) !== undefined;
}

/**
 * Loss, accuracy count and gradients of `layers` applied to `x` ([batch, …], flattened per row)
 * against `labels` (int32 class indices [batch], or float32 targets [batch, classes]), computed
 * as TensorFlow.js would (tf.losses.softmaxCrossEntropy, mean over the batch). Undefined when the
 * backend has no native kernel.
 */
export function denseStackGradients(x: tf.Tensor, labels: tf.Tensor, layers: DenseStackLayer[]): DenseStackResult | undefined {
  if (!denseStackAvailable()) return undefined;
  if (layers.length === 0) throw new InvalidParameterError('layers', layers, 'at least one dense layer');
  if (x.dtype !== 'float32' || x.rank < 1) throw new InvalidParameterError('x', `${x.dtype} [${x.shape}]`, 'float32 [batch, …]');
  const batch = x.shape[0];
  const dims = [batch === 0 ? 0 : x.size / batch];
  layers.forEach((l, i) => {
    const k = l.kernel;
    if (k.dtype !== 'float32' || k.rank !== 2 || k.shape[0] !== dims[i]) throw new InvalidParameterError(`layers[${i}].kernel`, `${k.dtype} [${k.shape}]`, `float32 [${dims[i]}, units]`);
    dims.push(k.shape[1] as number);
    if (l.bias && (l.bias.dtype !== 'float32' || l.bias.size !== k.shape[1] || l.bias.rank !== 1)) throw new InvalidParameterError(`layers[${i}].bias`, `${l.bias.dtype} [${l.bias.shape}]`, `float32 [${k.shape[1]}]`);
    if (!(l.activation in DENSE_STACK_ACTIVATIONS)) throw new InvalidParameterError(`layers[${i}].activation`, l.activation, Object.keys(DENSE_STACK_ACTIVATIONS).join(', '));
  });
  const classes = dims[dims.length - 1];
  const yKind = labels.rank === 1 && labels.dtype === 'int32' ? 0 : labels.rank === 2 && labels.dtype === 'float32' ? 1 : -1;
  if (yKind < 0 || labels.shape[0] !== batch || (yKind === 1 && labels.shape[1] !== classes)) {
    throw new InvalidParameterError('labels', `${labels.dtype} [${labels.shape}]`, `int32 [${batch}] class indices or float32 [${batch}, ${classes}] targets`);
  }
  if (batch === 0) throw new InvalidParameterError('x', `[${x.shape}]`, 'a batch of at least one row');
  const inputs: Record<string, tf.Tensor> = { x, y: labels };
  layers.forEach((l, i) => {
    inputs[`w${i}`] = l.kernel;
    if (l.bias) inputs[`b${i}`] = l.bias;
  });
  const attrs = { dims, acts: layers.map((l) => DENSE_STACK_ACTIVATIONS[l.activation]), hasBias: layers.map((l) => l.bias !== undefined), yKind };
  const outs = tf.engine().runKernel(DENSE_STACK_KERNEL, inputs as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  const [stats, ...grads] = outs;
  const s = stats.dataSync();
  stats.dispose();
  const kernelGrads: tf.Tensor[] = [];
  const biasGrads: Array<tf.Tensor | undefined> = [];
  let k = 0;
  layers.forEach((l) => {
    kernelGrads.push(grads[k++]);
    biasGrads.push(l.bias ? grads[k++] : undefined);
  });
  return {
    loss: s[0],
    correct: s[1],
    kernelGrads,
    biasGrads,
    sumSquares: layers.map((_, i) => [s[2 + 4 * i], s[3 + 4 * i]]),
    nonFinite: layers.map((_, i) => [s[4 + 4 * i] !== 0, s[5 + 4 * i] !== 0]),
  };
}

/** The addon function the kernel calls. */
export interface NativeDenseStack {
  denseStackGradients(
    heap: ArrayBufferView, batch: number, dims: Int32Array, acts: Int32Array, xOff: number, yOff: number, yKind: number,
    wOffs: Float64Array, bOffs: Float64Array, statsOff: number, dwOffs: Float64Array, dbOffs: Float64Array,
  ): void;
}

/** Registers the kernel on the wasm backend. */
export function installDenseStackKernel(addon: NativeDenseStack, backendName = 'wasm'): boolean {
  if (typeof addon.denseStackGradients !== 'function' || backendName !== 'wasm') return false;
  if (tf.getKernel(DENSE_STACK_KERNEL, backendName)) tf.unregisterKernel(DENSE_STACK_KERNEL, backendName);
  tf.registerKernel({
    kernelName: DENSE_STACK_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = wasmOf(backend as tf.KernelBackend)!;
      const a = attrs as unknown as { dims: number[]; acts: number[]; hasBias: boolean[]; yKind: number };
      const ins = inputs as Record<string, tf.TensorInfo>;
      const L = a.acts.length;
      const outs: tf.TensorInfo[] = [wasm.makeOutput([2 + 4 * L], 'float32')];
      const dw: tf.TensorInfo[] = [], db: Array<tf.TensorInfo | undefined> = [];
      for (let i = 0; i < L; i++) {
        dw.push(wasm.makeOutput([a.dims[i], a.dims[i + 1]], 'float32'));
        outs.push(dw[i]);
        db.push(a.hasBias[i] ? wasm.makeOutput([a.dims[i + 1]], 'float32') : undefined);
        if (db[i]) outs.push(db[i]!);
      }
      // Offsets after every allocation: growing the wasm memory detaches earlier views.
      const offset = (t: tf.TensorInfo | undefined) => (t ? wasm.dataIdMap.get(t.dataId)!.memoryOffset : -1);
      try {
        addon.denseStackGradients(
          wasm.wasm.HEAPU8, ins.x.shape[0], Int32Array.from(a.dims), Int32Array.from(a.acts), offset(ins.x), offset(ins.y), a.yKind,
          Float64Array.from({ length: L }, (_, i) => offset(ins[`w${i}`])), Float64Array.from({ length: L }, (_, i) => offset(ins[`b${i}`])),
          offset(outs[0]), Float64Array.from(dw, offset), Float64Array.from(db, offset),
        );
      } catch (e) {
        for (const o of outs) (backend as tf.KernelBackend).disposeData(o.dataId);
        throw e;
      }
      return outs;
    },
  });
  return true;
}

export function uninstallDenseStackKernel(backendName = 'wasm'): boolean {
  if (!tf.getKernel(DENSE_STACK_KERNEL, backendName)) return false;
  tf.unregisterKernel(DENSE_STACK_KERNEL, backendName);
  return true;
}
