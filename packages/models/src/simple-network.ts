import { tf, checkNumber, InvalidParameterError } from '@descent/tensor';
import { activationLayer, checkActivation, type Activation } from './activations';
import { reserveModelName, checkVariableNames } from './names';
import { Seeds, torchDefault } from './init';
import { checkInputShape } from './input-shape';

export interface SimpleNetworkOptions {
  /** One of ACTIVATIONS; default 'relu'. */
  activation?: Activation;
  /** Widths of the hidden layers; default [256, 192, 128, 64] (the book's). */
  hiddenSizes?: number[];
  /** Number of input features; default 784. Alone, it makes the input shape [inputSize]. */
  inputSize?: number;
  /**
   * Input shape without the batch axis, flattened first: [28, 28, 1] (the default, FashionMNIST
   * images) or [784]. With `inputSize` too, the two must agree.
   */
  inputShape?: number[];
  /** Number of logits; default 10. */
  numClasses?: number;
  /** Initial values derive from it (see README); default 0. */
  seed?: number;
  /** Model name and prefix of every layer and variable name; default "mlp", "mlp_2", … (see names.ts). */
  name?: string;
}

/**
 * The book's SimpleNetwork: flatten, then dense layers `inputSize → hiddenSizes… → numClasses`
 * with one activation *instance* between every two of them. Its output is the **logits**: there
 * is no softmax, the training loop's loss (softmax cross-entropy) applies it, as torch's
 * nn.CrossEntropyLoss does for the book's model.
 *
 * With the defaults it has 283,914 parameters (283,915 with `prelu`, whose single slope is shared
 * by all four positions). Layers are named `<name>_flatten`, `<name>_dense_1` … `<name>_dense_5`
 * and `<name>_<activation>`, so the variables are `mlp_dense_1/kernel`, `mlp_dense_1/bias`, …,
 * `mlp_prelu/alpha`. Dense kernels are [in, out] (torch's weight transposed). Initial values
 * follow torch's nn.Linear default, U(±1/√fan_in) for kernels and biases, seeded by `seed`.
 */
export function simpleNetwork(options: SimpleNetworkOptions = {}): tf.LayersModel {
  const activation = checkActivation(options.activation ?? 'relu');
  const hidden = options.hiddenSizes ?? [256, 192, 128, 64];
  if (!Array.isArray(hidden) || hidden.length === 0) throw new InvalidParameterError('hiddenSizes', hidden, 'a non-empty list of positive integers');
  hidden.forEach((h, i) => checkNumber(`hiddenSizes[${i}]`, h, { min: 1, integer: true }));
  const inputSize = options.inputSize === undefined ? undefined : checkNumber('inputSize', options.inputSize, { min: 1, integer: true });
  const input = checkInputShape(options.inputShape ?? (inputSize !== undefined ? [inputSize] : [28, 28, 1]));
  if (inputSize !== undefined && input.size !== inputSize) {
    throw new InvalidParameterError('inputShape', options.inputShape, `a shape with inputSize = ${inputSize} entries`);
  }
  const numClasses = checkNumber('numClasses', options.numClasses ?? 10, { min: 1, integer: true });
  const seeds = new Seeds(checkNumber('seed', options.seed ?? 0, { integer: true }));

  const name = reserveModelName('mlp', options.name);
  const x = tf.input({ shape: input.shape, name: `${name}_input` });
  let h = (input.shape.length > 1 ? tf.layers.flatten({ name: `${name}_flatten` }).apply(x) : x) as tf.SymbolicTensor;
  const act = activationLayer(activation, `${name}_${activation}`);
  const widths = [input.size, ...hidden, numClasses];
  for (let i = 1; i < widths.length; i++) {
    const layer = `dense_${i}`;
    h = tf.layers.dense({ units: widths[i], name: `${name}_${layer}`, ...torchDefault(widths[i - 1], seeds, layer) }).apply(h) as tf.SymbolicTensor;
    if (i < widths.length - 1) h = act.apply(h) as tf.SymbolicTensor;
  }
  const model = tf.model({ inputs: x, outputs: h, name });
  // tfjs-layers counts one reference per application of a layer and model.dispose() releases one
  // per layer, so a layer applied at several positions would keep its weights (the PReLU slope)
  // alive. Release the extra references: the model is the only owner.
  for (let i = 1; i < hidden.length; i++) act.dispose();
  return checkVariableNames(model);
}
