import * as tf from './tf';
import { InvalidParameterError } from './errors';

/**
 * A 2-D convolution plus bias, NHWC, as one `FusedConv2D` kernel whose gradient is computed per
 * input on demand. tf.fused.conv2d (what tf.layers.conv2d runs) computes the gradients of the
 * input, the filter and the bias together, also where the input needs none: a network's first
 * layer, whose input is the data. With the gradient registered per input, autodiff skips it there
 * (one full backward convolution of the first layer per step). Same kernels, same numbers.
 */

let registered = false;

function registerGradient(): void {
  if (registered) return;
  registered = true;
  // tfjs registers no gradient for the FusedConv2D kernel: tf.fused.conv2d wraps it in customGrad,
  // inside which kernels are not recorded, so this gradient serves only conv2dBias.
  tf.registerGradient({
    kernelName: 'FusedConv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter] = saved;
      const { strides, pad, dimRoundingMode, activation } = attrs as unknown as { strides: [number, number]; pad: 'same' | 'valid'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; activation?: string };
      if (activation && activation !== 'linear') throw new Error(`FusedConv2D gradient: activation ${activation} is not supported here (only conv2dBias records this kernel)`);
      const d = dy as tf.Tensor4D;
      const common = { strides, pad, dataFormat: 'NHWC', dimRoundingMode };
      return {
        x: () => tf.engine().runKernel('Conv2DBackpropInput', { dy: d, filter }, { ...common, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
        filter: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: d }, { ...common, filterShape: filter.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
        bias: () => tf.sum(d, [0, 1, 2]),
      };
    },
  });
}

/**
 * conv2d(x, filter) + bias, x [batch, height, width, inChannels], filter [fh, fw, in, out], bias
 * [out] (null: tf.conv2d alone), dilation 1 (tfjs' convolution gradients have no dilation).
 */
export function conv2dBias(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D | null, strides: [number, number] | number, pad: 'same' | 'valid'): tf.Tensor4D {
  if (x.rank !== 4 || filter.rank !== 4 || x.shape[3] !== filter.shape[2]) {
    throw new InvalidParameterError('filter', `[${filter.shape}] for x [${x.shape}]`, 'a rank-4 filter [fh, fw, inChannels of x, out]');
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== filter.shape[3])) throw new InvalidParameterError('bias', `[${bias.shape}]`, `[${filter.shape[3]}]`);
  const s: [number, number] = typeof strides === 'number' ? [strides, strides] : strides;
  if (!bias) return tf.conv2d(x, filter, s, pad);
  registerGradient();
  return tf.engine().runKernel(
    'FusedConv2D',
    { x, filter, bias } as unknown as tf.NamedTensorMap,
    { strides: s, pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined, activation: 'linear', leakyreluAlpha: 0 } as unknown as tf.NamedAttrMap,
  ) as tf.Tensor4D;
}
