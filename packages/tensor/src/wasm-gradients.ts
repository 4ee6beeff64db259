import * as tf from './tf';

type KernelArgs = { inputs: Record<string, tf.TensorInfo>; backend: tf.KernelBackend; attrs: Record<string, unknown> };

/**
 * TensorFlow.js 4.22's wasm backend has no `Conv2DBackpropFilter` kernel, so no model with a
 * Conv2D layer can train on it. This registers one built from kernels wasm does have (im2col):
 * the input is padded explicitly (`PadV2`), each of the kh·kw kernel offsets is cut out with a
 * strided `StridedSlice`, the patches are concatenated along channels into a
 * [batch·outH·outW, kh·kw·inC] matrix, and one `BatchMatMul` with the flattened dy gives the
 * filter gradient. The result equals the cpu backend's kernel to float32 tolerance (see
 * test/wasm-gradients.test.ts). Installed once per backend by `useBackend`; a no-op where the
 * kernel exists. Returns whether it registered anything.
 */
export function installWasmGradients(backendName = 'wasm'): boolean {
  if (tf.getKernel('Conv2DBackpropFilter', backendName)) return false;
  for (const needed of ['PadV2', 'StridedSlice', 'Concat', 'Reshape', 'Transpose', 'BatchMatMul']) {
    if (!tf.getKernel(needed, backendName)) return false;
  }
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName, kernelFunc: ((args: KernelArgs) => conv2dBackpropFilter(args, backendName)) as tf.KernelFunc });
  return true;
}

function conv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs, backendName: string): tf.TensorInfo {
  const temps: tf.TensorInfo[] = [];
  const run = (name: string, kernelInputs: Record<string, tf.TensorInfo> | tf.TensorInfo[], kernelAttrs: Record<string, unknown> = {}, keep = false) => {
    const out = tf.getKernel(name, backendName)!.kernelFunc({ inputs: kernelInputs, backend, attrs: kernelAttrs } as never) as tf.TensorInfo;
    if (!keep) temps.push(out);
    return out;
  };
  try {
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as {
      strides: number | [number, number];
      pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      filterShape: [number, number, number, number];
    };
    let { x, dy } = inputs;
    if (dataFormat === 'NCHW') {
      x = run('Transpose', { x }, { perm: [0, 2, 3, 1] });
      dy = run('Transpose', { x: dy }, { perm: [0, 2, 3, 1] });
    }
    const xShape = x.shape as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const [kh, kw, inC, outC] = filterShape;
    const { top, bottom, left, right } = info.padInfo;
    const padded = top || bottom || left || right
      ? run('PadV2', { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 })
      : x;
    const n = xShape[0];
    const { outHeight, outWidth, strideHeight, strideWidth } = info;
    const patches: tf.TensorInfo[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        patches.push(
          run('StridedSlice', { x: padded }, {
            begin: [0, i, j, 0],
            end: [n, i + (outHeight - 1) * strideHeight + 1, j + (outWidth - 1) * strideWidth + 1, inC],
            strides: [1, strideHeight, strideWidth, 1],
            beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
          }),
        );
      }
    }
    const rows = n * outHeight * outWidth;
    const cols = run('Concat', patches, { axis: 3 });
    const a = run('Reshape', { x: cols }, { shape: [1, rows, kh * kw * inC] });
    const b = run('Reshape', { x: dy }, { shape: [1, rows, outC] });
    // [outC, rows] · [rows, kh·kw·inC], then one small transpose: cheaper than transposing the patches.
    const bT = run('Transpose', { x: b }, { perm: [0, 2, 1] });
    const product = run('BatchMatMul', { a: bT, b: a }, { transposeA: false, transposeB: false });
    const flat = run('Transpose', { x: product }, { perm: [0, 2, 1] });
    return run('Reshape', { x: flat }, { shape: [kh, kw, inC, outC] }, true);
  } finally {
    // Reshape shares its input's data on wasm (reference counted), so disposing every temporary is safe.
    for (const t of temps) backend.disposeData(t.dataId);
  }
}
