import * as tf from './tf';
import { InvalidParameterError } from './errors';
import { nativeFusionEnabled, wasmOf } from './native-heap';

/**
 * Hessian-vector products of a chain of dense layers and element-wise activations under mean
 * softmax cross-entropy in one native call (`DescentDenseChainHvp`, from @descent/native-blas on
 * the wasm backend): the forward and backward passes of Pearlmutter's R-operator, given what does
 * not depend on v (@descent/hessian's r-op.ts computes that once per operator). Where the kernel
 * is absent, {@link denseChainHvp} returns undefined and the caller runs the same passes as
 * TensorFlow.js ops.
 */

export const DENSE_CHAIN_HVP_KERNEL = 'DescentDenseChainHvp';

/** One step of the chain, from the first dense layer with a parameter in v to the logits. */
export type ChainHvpOp =
  | {
      kind: 'dense';
      /** The layer's input [batch, in] (needed where v has its kernel or the layer is not the first). */
      input?: tf.Tensor;
      /** [in, out]. */
      kernel: tf.Tensor;
      /** The direction's part for the kernel [in, out] and the bias [out], where v has them. */
      vKernel?: tf.Tensor;
      vBias?: tf.Tensor;
      /** The loss gradient at the layer's output [batch, out] (every layer but the first). */
      delta?: tf.Tensor;
      /** Whether H·v is wanted for the kernel and for the bias. */
      wantKernel: boolean;
      wantBias: boolean;
    }
  | {
      kind: 'act';
      /** f′ at the pre-activation [batch, width]. */
      d1: tf.Tensor;
      /** f″ at the pre-activation times the loss gradient at the activation's output; none where f″ ≡ 0. */
      d2delta?: tf.Tensor | null;
    };

/** Whether the native kernel is registered on the current backend. */
export function denseChainHvpAvailable(): boolean {
  return nativeFusionEnabled() && tf.getKernel(DENSE_CHAIN_HVP_KERNEL, tf.getBackend()) !== undefined;
}

const FIELDS = ['input', 'kernel', 'vKernel', 'vBias', 'delta', 'd1', 'd2delta'] as const;

/**
 * H·v for each dense op (its kernel and bias parts where wanted; new tensors owned by the caller),
 * `pScaled` = softmax(z)·s/N and `probs` = softmax(z) at the logits [batch, classes]. Undefined
 * when the backend has no native kernel.
 */
export function denseChainHvp(ops: ChainHvpOp[], pScaled: tf.Tensor, probs: tf.Tensor): Array<{ kernel?: tf.Tensor; bias?: tf.Tensor }> | undefined {
  if (!denseChainHvpAvailable()) return undefined;
  if (ops.length === 0 || ops[0].kind !== 'dense') throw new InvalidParameterError('ops', ops.length === 0 ? 'none' : ops[0].kind, 'a chain starting with a dense op');
  if (pScaled.rank !== 2) throw new InvalidParameterError('pScaled', `${pScaled.dtype} [${pScaled.shape}]`, 'float32 [batch, classes]');
  const batch = pScaled.shape[0];
  let width = ops[0].kernel.shape[0] as number;
  const dims: Array<[number, number]> = ops.map((op, i) => {
    const t = op.kind === 'dense' ? op.kernel : op.d1;
    const [din, dout] = op.kind === 'dense' ? [t.shape[0] as number, t.shape[1] as number] : [t.shape[1] as number, t.shape[1] as number];
    if (din !== width) throw new InvalidParameterError(`ops[${i}]`, `width ${din}`, `${width}, the previous op's output`);
    width = dout;
    const expect = (name: string, t: tf.Tensor | null | undefined, shape: number[]) => {
      if (t && (t.dtype !== 'float32' || !tf.util.arraysEqual(t.shape, shape))) throw new InvalidParameterError(`ops[${i}].${name}`, `${t.dtype} [${t.shape}]`, `float32 [${shape}]`);
    };
    if (op.kind === 'dense') {
      expect('kernel', op.kernel, [din, dout]);
      expect('input', op.input, [batch, din]);
      expect('vKernel', op.vKernel, [din, dout]);
      expect('vBias', op.vBias, [dout]);
      expect('delta', op.delta, [batch, dout]);
      if ((op.vKernel || op.wantKernel) && !op.input) throw new InvalidParameterError(`ops[${i}].input`, 'none', 'the layer input, needed for its kernel');
      if (i > 0 && !op.delta) throw new InvalidParameterError(`ops[${i}].delta`, 'none', 'the loss gradient at the output of every dense op after the first');
    } else {
      expect('d1', op.d1, [batch, din]);
      expect('d2delta', op.d2delta, [batch, din]);
    }
    return [din, dout];
  });
  for (const [name, t] of [['pScaled', pScaled], ['probs', probs]] as const) {
    if (t.dtype !== 'float32' || !tf.util.arraysEqual(t.shape, [batch, width])) throw new InvalidParameterError(name, `${t.dtype} [${t.shape}]`, `float32 [${batch}, ${width}]`);
  }
  const inputs: Record<string, tf.Tensor> = { pScaled, probs };
  const present: string[][] = ops.map((op, i) =>
    FIELDS.filter((f) => {
      const t = (op as Record<string, unknown>)[f];
      if (t instanceof tf.Tensor) inputs[`o${i}${f}`] = t;
      return t instanceof tf.Tensor;
    }),
  );
  const wants = ops.map((op) => (op.kind === 'dense' ? [op.wantKernel, op.wantBias] : [false, false]));
  const outs = tf.engine().runKernel(DENSE_CHAIN_HVP_KERNEL, inputs as tf.NamedTensorMap, { dims, present, wants, batch } as unknown as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
  const list = Array.isArray(outs) ? outs : [outs];
  let k = 0;
  return wants.map(([wk, wb]) => ({ kernel: wk ? list[k++] : undefined, bias: wb ? list[k++] : undefined }));
}

/** The addon function the kernel calls. */
export interface NativeDenseChainHvp {
  denseChainHvp(heap: ArrayBufferView, batch: number, ops: Float64Array, pScaledOff: number, probsOff: number): void;
}

// One record per op for the addon: kind, din, dout, then byte offsets (-1: absent) of a, W, vW, vb, delta, outW, outB, d1, d2delta.
const RECORD = 12;

/** Registers the kernel on the wasm backend. */
export function installDenseChainHvpKernel(addon: NativeDenseChainHvp, backendName = 'wasm'): boolean {
  if (typeof addon.denseChainHvp !== 'function' || backendName !== 'wasm') return false;
  if (tf.getKernel(DENSE_CHAIN_HVP_KERNEL, backendName)) tf.unregisterKernel(DENSE_CHAIN_HVP_KERNEL, backendName);
  tf.registerKernel({
    kernelName: DENSE_CHAIN_HVP_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = wasmOf(backend as tf.KernelBackend)!;
      const a = attrs as unknown as { dims: Array<[number, number]>; present: string[][]; wants: boolean[][]; batch: number };
      const ins = inputs as Record<string, tf.TensorInfo>;
      const outs: tf.TensorInfo[] = [];
      const made = a.dims.map(([din, dout], i) => {
        const kernel = a.wants[i][0] ? wasm.makeOutput([din, dout], 'float32') : undefined;
        const bias = a.wants[i][1] ? wasm.makeOutput([dout], 'float32') : undefined;
        for (const t of [kernel, bias]) if (t) outs.push(t);
        return { kernel, bias };
      });
      // Offsets after every allocation: growing the wasm memory detaches earlier views.
      const offset = (t: tf.TensorInfo | undefined) => (t ? wasm.dataIdMap.get(t.dataId)!.memoryOffset : -1);
      const input = (i: number, f: string) => (a.present[i].includes(f) ? offset(ins[`o${i}${f}`]) : -1);
      const record = new Float64Array(a.dims.length * RECORD);
      a.dims.forEach(([din, dout], i) => {
        const dense = a.present[i].includes('kernel');
        record.set(
          [dense ? 0 : 1, din, dout, input(i, 'input'), input(i, 'kernel'), input(i, 'vKernel'), input(i, 'vBias'), input(i, 'delta'), offset(made[i].kernel), offset(made[i].bias), input(i, 'd1'), input(i, 'd2delta')],
          i * RECORD,
        );
      });
      try {
        addon.denseChainHvp(wasm.wasm.HEAPU8, a.batch, record, offset(ins.pScaled), offset(ins.probs));
      } catch (e) {
        for (const o of outs) (backend as tf.KernelBackend).disposeData(o.dataId);
        throw e;
      }
      return outs;
    },
  });
  return true;
}

export function uninstallDenseChainHvpKernel(backendName = 'wasm'): boolean {
  if (!tf.getKernel(DENSE_CHAIN_HVP_KERNEL, backendName)) return false;
  tf.unregisterKernel(DENSE_CHAIN_HVP_KERNEL, backendName);
  return true;
}
