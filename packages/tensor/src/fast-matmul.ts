import * as tf from './tf';

/**
 * TensorFlow.js 4.22's wasm `BatchMatMul` runs 10-20× slower when asked to transpose an operand
 * (the backward pass of every dense layer does), and its `_FusedMatMul` is wrong with
 * transposeB plus a bias, and with a bias on batched (rank > 2) operands. Both kernels are
 * wrapped here: transposed operands are first materialised by the fast `Transpose` kernel, then
 * the plain kernel runs; batched fused products with a bias run as matMul, Add and the
 * activation kernel. Installed once per backend by `useBackend`; a no-op where the kernels are absent.
 */
export function installFastMatMul(backendName = 'wasm'): boolean {
  let changed = false;
  for (const kernelName of ['BatchMatMul', '_FusedMatMul']) {
    const original = tf.getKernel(kernelName, backendName);
    if (!original || (original.kernelFunc as { descentWrapped?: boolean }).descentWrapped) continue;
    const transpose = tf.getKernel('Transpose', backendName);
    if (!transpose) return false;
    const wrapped = ((args: { inputs: Record<string, tf.TensorInfo>; backend: tf.KernelBackend; attrs: Record<string, unknown> }) => {
      const { inputs, backend, attrs } = args;
      const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
      if (kernelName === '_FusedMatMul' && inputs.bias && inputs.a.shape.length > 2) return unfusedBatched(args, backendName);
      if (!transposeA && !transposeB) return original.kernelFunc(args as never);
      const swapLast = (x: tf.TensorInfo) => {
        const perm = x.shape.map((_, i) => i);
        const n = perm.length;
        [perm[n - 2], perm[n - 1]] = [perm[n - 1], perm[n - 2]];
        return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } } as never) as tf.TensorInfo;
      };
      const a = transposeA ? swapLast(inputs.a) : inputs.a;
      const b = transposeB ? swapLast(inputs.b) : inputs.b;
      const out = original.kernelFunc({ inputs: { ...inputs, a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } } as never);
      if (a !== inputs.a) backend.disposeData(a.dataId);
      if (b !== inputs.b) backend.disposeData(b.dataId);
      return out;
    }) as tf.KernelFunc & { descentWrapped?: boolean };
    wrapped.descentWrapped = true;
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel({ ...original, kernelFunc: wrapped });
    changed = true;
  }
  return changed;
}

const ACTIVATION_KERNELS: Record<string, string> = { relu: 'Relu', relu6: 'Relu6', elu: 'Elu', sigmoid: 'Sigmoid', leakyrelu: 'LeakyRelu', prelu: 'Prelu' };

/** matMul, then Add(bias), then the activation, each through the backend's own kernels. */
function unfusedBatched(args: { inputs: Record<string, tf.TensorInfo>; backend: tf.KernelBackend; attrs: Record<string, unknown> }, backendName: string): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const run = (name: string, kernelInputs: Record<string, tf.TensorInfo>, kernelAttrs: Record<string, unknown> = {}) =>
    tf.getKernel(name, backendName)!.kernelFunc({ inputs: kernelInputs, backend, attrs: kernelAttrs } as never) as tf.TensorInfo;
  const product = run('BatchMatMul', { a: inputs.a, b: inputs.b }, { transposeA: attrs.transposeA, transposeB: attrs.transposeB });
  const biased = run('Add', { a: product, b: inputs.bias });
  backend.disposeData(product.dataId);
  const activation = (attrs.activation as string | undefined) ?? 'linear';
  if (activation === 'linear') return biased;
  const kernel = ACTIVATION_KERNELS[activation];
  if (!kernel) throw new Error(`fused matMul: unsupported activation "${activation}"`);
  const out =
    activation === 'prelu'
      ? run(kernel, { x: biased, alpha: inputs.preluActivationWeights })
      : run(kernel, { x: biased }, activation === 'leakyrelu' ? { alpha: attrs.leakyreluAlpha } : {});
  backend.disposeData(biased.dataId);
  return out;
}
