import type { tf } from '@descent/tensor';

/**
 * Parameters as torch counts them: trainable weights only by default (BatchNorm moving mean and
 * variance are buffers in torch, non-trainable weights in tfjs).
 */
export function countParameters(model: tf.LayersModel, options: { trainableOnly?: boolean } = {}): number {
  const weights = options.trainableOnly === false ? model.weights : model.trainableWeights;
  return weights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
}
