import { tf, checkNumber, InvalidParameterError } from '@descent/tensor';
import { activationLayer, checkActivation, type Activation } from './activations';
import { uniquePrefix } from './names';

export interface SimpleNetworkOptions {
  activation?: Activation | string;
  /** Default [256, 192, 128, 64] (the book's). */
  hiddenSizes?: number[];
  /** Input shape without the batch axis: [784] or [28, 28, 1] (flattened first). Default [28, 28, 1]. */
  inputShape?: number[];
  numClasses?: number;
  /** Prefix of layer and variable names; default "mlp" (made unique per process). */
  name?: string;
  /** Seed of the default (tfjs Glorot-uniform) initialisation, so a build is reproducible. */
  seed?: number;
}

/**
 * The book's SimpleNetwork: flatten, dense layers with one shared activation between them,
 * logits out (no softmax: the loss applies it). 283,914 parameters with ReLU and the default
 * sizes; 283,915 with PReLU's single shared slope.
 */
export function simpleNetwork(options: SimpleNetworkOptions = {}): tf.LayersModel {
  const activation = checkActivation(options.activation ?? 'relu');
  const hidden = options.hiddenSizes ?? [256, 192, 128, 64];
  if (!Array.isArray(hidden) || hidden.length === 0) throw new InvalidParameterError('hiddenSizes', hidden, 'a non-empty list of positive integers');
  hidden.forEach((h, i) => checkNumber(`hiddenSizes[${i}]`, h, { min: 1, integer: true }));
  const inputShape = options.inputShape ?? [28, 28, 1];
  inputShape.forEach((d, i) => checkNumber(`inputShape[${i}]`, d, { min: 1, integer: true }));
  const numClasses = checkNumber('numClasses', options.numClasses ?? 10, { min: 2, integer: true });
  const prefix = uniquePrefix('mlp', options.name);
  const seed = options.seed ?? 0;
  const input = tf.input({ shape: inputShape, name: `${prefix}_input` });
  let h = (inputShape.length > 1 ? tf.layers.flatten({ name: `${prefix}_flatten` }).apply(input) : input) as tf.SymbolicTensor;
  const act = activationLayer(activation, `${prefix}_${activation}`);
  [...hidden, numClasses].forEach((units, i) => {
    h = tf.layers
      .dense({ units, name: `${prefix}_dense_${i + 1}`, kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + i }) })
      .apply(h) as tf.SymbolicTensor;
    if (i < hidden.length) h = act.apply(h) as tf.SymbolicTensor;
  });
  return tf.model({ inputs: input, outputs: h, name: prefix });
}
