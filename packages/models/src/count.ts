import type { tf } from '@descent/tensor';

export interface CountOptions {
  /**
   * true (the default): the trainable weights, what an optimizer updates. For these models that is
   * exactly what torch's `sum(p.numel() for p in model.parameters())` counts: weights, biases,
   * BatchNorm/LayerNorm γ and β, the PReLU slope. false: every weight, adding the non-trainable
   * ones, here the BatchNorm moving mean and variance (torch's buffers, which torch does not count).
   */
  trainableOnly?: boolean;
}

/**
 * Number of scalar parameters of a model. A layer frozen with `layer.trainable = false` moves its
 * weights to the non-trainable ones, so it is left out of the default count, like torch's
 * `requires_grad` filter.
 */
export function countParameters(model: Pick<tf.LayersModel, 'weights' | 'trainableWeights'>, options: CountOptions = {}): number {
  const weights = options.trainableOnly === false ? model.weights : model.trainableWeights;
  return weights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
}
