import { tf, conv2dBias } from '@descent/tensor';

/** tf.layers.conv2d's arguments and layer (the class is registered, not exported, by tfjs-layers). */
type Conv2DArgs = Parameters<typeof tf.layers.conv2d>[0];
type Conv2DLayer = ReturnType<typeof tf.layers.conv2d>;
const TfjsConv2D = tf.serialization.SerializationMap.getMap().classNameMap.Conv2D[0] as unknown as {
  new (args: Conv2DArgs): Conv2DLayer;
  className: string;
  fromConfig: tf.serialization.SerializableConstructor<tf.serialization.Serializable>['fromConfig'];
};

/** The fields of tfjs' Conv2D that the fast path reads (protected in its typings). */
interface Internals {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number | number[];
  activation: { getClassName(): string } | null;
}

/**
 * tf.layers.conv2d whose convolution is differentiated per input (`conv2dBias` of
 * @descent/tensor): the same layer, weights, config and numbers, but autodiff no longer computes
 * the input gradient where nothing needs it (a network's first layer), one backward convolution
 * per step saved. Channels-last, linear activation, dilation 1; any other configuration takes
 * tfjs' own path.
 */
export class Conv2D extends TfjsConv2D {
  static override className = 'DescentConv2D';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const c = this as unknown as Internals;
    const dilation = typeof c.dilationRate === 'number' ? [c.dilationRate] : c.dilationRate;
    const plain =
      x.rank === 4 && c.dataFormat === 'channelsLast' && (c.padding === 'same' || c.padding === 'valid') && dilation.every((d) => d === 1) &&
      (c.activation == null || c.activation.getClassName().toLowerCase() === 'linear');
    if (!plain) return super.call(inputs, kwargs);
    return tf.tidy(() => conv2dBias(x as tf.Tensor4D, c.kernel.read() as tf.Tensor4D, c.bias ? (c.bias.read() as tf.Tensor1D) : null, c.strides as [number, number], c.padding as 'same' | 'valid'));
  }
}
tf.serialization.registerClass(Conv2D);

/** A {@link Conv2D} layer (tf.layers.conv2d's arguments). */
export function conv2d(args: Conv2DArgs): Conv2D {
  return new Conv2D(args);
}
