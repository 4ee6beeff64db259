import { tf, checkNumber } from '@descent/tensor';
import { uniquePrefix } from './names';

export interface CifarCnnOptions {
  numClasses?: number;
  dropout?: number;
  name?: string;
  seed?: number;
}

/**
 * The book's CIFAR100CNN: three blocks conv3×3 (same padding) → BatchNorm → ReLU → MaxPool 2 with
 * 32, 64, 128 channels, then dense 512 → ReLU → Dropout 0.5 → dense (logits). Input [32, 32, 3].
 * 1,194,084 parameters counted as torch counts them (weights, biases, BatchNorm γ and β; the
 * moving statistics are buffers, not parameters).
 */
export function cifarCnn(options: CifarCnnOptions = {}): tf.LayersModel {
  const numClasses = checkNumber('numClasses', options.numClasses ?? 100, { min: 2, integer: true });
  const rate = checkNumber('dropout', options.dropout ?? 0.5, { min: 0, max: 1, maxExclusive: true });
  const prefix = uniquePrefix('cnn', options.name);
  const seed = options.seed ?? 0;
  const input = tf.input({ shape: [32, 32, 3], name: `${prefix}_input` });
  let h = input as tf.SymbolicTensor;
  [32, 64, 128].forEach((filters, i) => {
    const b = i + 1;
    h = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', name: `${prefix}_conv_${b}`, kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + i }) }).apply(h) as tf.SymbolicTensor;
    // torch's BatchNorm2d: momentum 0.1 (tfjs counts 1 − that), eps 1e-5.
    h = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: `${prefix}_bn_${b}` }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.reLU({ name: `${prefix}_relu_${b}` }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.maxPooling2d({ poolSize: 2, name: `${prefix}_pool_${b}` }).apply(h) as tf.SymbolicTensor;
  });
  h = tf.layers.flatten({ name: `${prefix}_flatten` }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 512, activation: 'relu', name: `${prefix}_dense_1`, kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + 10 }) }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dropout({ rate, name: `${prefix}_dropout` }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: numClasses, name: `${prefix}_dense_2`, kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + 11 }) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: h, name: prefix });
}
