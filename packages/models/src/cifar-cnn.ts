import { tf, checkNumber, InvalidParameterError } from '@descent/tensor';
import { reserveModelName, checkVariableNames } from './names';
import { Seeds, torchDefault } from './init';
import { batchNormalization } from './batch-norm';
import { conv2d } from './conv2d';
import { checkInputShape } from './input-shape';

export interface CifarCnnOptions {
  /** Input shape [height, width, channels] without the batch axis; default [32, 32, 3] (CIFAR). */
  inputShape?: number[];
  /** Output channels of the three conv blocks; default [32, 64, 128]. */
  channels?: number[];
  /** Width of the hidden dense layer; default 512. */
  hiddenUnits?: number;
  /** Number of logits; default 100 (CIFAR-100). */
  numClasses?: number;
  /** Dropout rate before the last layer, in [0, 1); default 0.5. */
  dropout?: number;
  /** Initial values derive from it; default 0. */
  seed?: number;
  /** Model name and prefix of every layer and variable name; default "cnn", "cnn_2", …. */
  name?: string;
}

/**
 * The book's CIFAR100CNN, NHWC: three blocks conv 3×3 (padding 1) → BatchNorm → ReLU → MaxPool 2
 * with 32, 64 and 128 channels, flatten (128·4·4 for 32×32 input), dense 512 → ReLU → Dropout 0.5
 * → dense 100. The output is the logits (no softmax).
 *
 * 1,194,084 parameters as torch counts them (`countParameters(model)`: weights, biases,
 * BatchNorm γ and β); the BatchNorm moving mean and variance (torch's buffers) add 448 non-trainable
 * weights. BatchNorm uses torch's defaults (momentum 0.1, i.e. tfjs' 0.9, and ε = 1e-5). Conv and
 * dense layers start as torch's do, U(±1/√fan_in) for kernels and biases, seeded by `seed`.
 *
 * Layers: `<name>_conv_1..3`, `<name>_bn_1..3`, `<name>_relu_1..3`, `<name>_pool_1..3`,
 * `<name>_flatten`, `<name>_dense_1`, `<name>_relu_4`, `<name>_dropout`, `<name>_dense_2`.
 * Note that tfjs flattens [h, w, c] where torch flattens [c, h, w]: porting torch weights to
 * `dense_1` needs its rows permuted (see the README).
 */
export function cifarCnn(options: CifarCnnOptions = {}): tf.LayersModel {
  const input = checkInputShape(options.inputShape ?? [32, 32, 3]);
  if (input.shape.length !== 3) throw new InvalidParameterError('inputShape', options.inputShape, '[height, width, channels]');
  const channels = options.channels ?? [32, 64, 128];
  if (!Array.isArray(channels) || channels.length === 0) throw new InvalidParameterError('channels', channels, 'a non-empty list of positive integers');
  channels.forEach((c, i) => checkNumber(`channels[${i}]`, c, { min: 1, integer: true }));
  const shrink = 2 ** channels.length;
  if (input.shape[0] < shrink || input.shape[1] < shrink) {
    throw new InvalidParameterError('inputShape', input.shape, `height and width ≥ ${shrink} (each of the ${channels.length} blocks halves them)`);
  }
  const hiddenUnits = checkNumber('hiddenUnits', options.hiddenUnits ?? 512, { min: 1, integer: true });
  const numClasses = checkNumber('numClasses', options.numClasses ?? 100, { min: 1, integer: true });
  const rate = checkNumber('dropout', options.dropout ?? 0.5, { min: 0, max: 1, maxExclusive: true });
  const seeds = new Seeds(checkNumber('seed', options.seed ?? 0, { integer: true }));

  const name = reserveModelName('cnn', options.name);
  const apply = (layer: tf.layers.Layer, t: tf.SymbolicTensor) => layer.apply(t) as tf.SymbolicTensor;
  const x = tf.input({ shape: input.shape, name: `${name}_input` });
  let h = x;
  let inChannels = input.shape[2];
  channels.forEach((filters, i) => {
    const b = i + 1;
    h = apply(conv2d({ filters, kernelSize: 3, padding: 'same', name: `${name}_conv_${b}`, ...torchDefault(inChannels * 9, seeds, `conv_${b}`) }), h);
    h = apply(batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: `${name}_bn_${b}` }), h);
    h = apply(tf.layers.reLU({ name: `${name}_relu_${b}` }), h);
    h = apply(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `${name}_pool_${b}` }), h);
    inChannels = filters;
  });
  h = apply(tf.layers.flatten({ name: `${name}_flatten` }), h);
  const flat = h.shape[1] as number;
  h = apply(tf.layers.dense({ units: hiddenUnits, name: `${name}_dense_1`, ...torchDefault(flat, seeds, 'dense_1') }), h);
  h = apply(tf.layers.reLU({ name: `${name}_relu_${channels.length + 1}` }), h);
  h = apply(tf.layers.dropout({ rate, name: `${name}_dropout` }), h);
  h = apply(tf.layers.dense({ units: numClasses, name: `${name}_dense_2`, ...torchDefault(hiddenUnits, seeds, 'dense_2') }), h);
  return checkVariableNames(tf.model({ inputs: x, outputs: h, name }));
}
