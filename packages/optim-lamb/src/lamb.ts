import { tf, perParameter, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

export interface LambConfig {
  lr: number;
}

const defaults: LambConfig = { lr: 1e-3 };

/**
 * lamb: TODO describe the update rule and cite the paper.
 * This scaffold is plain gradient descent, p ← p − lr·g; replace the update with the real one.
 */
export function lambTransform(config: Partial<LambConfig> = {}): GradientTransform<PerParamState<{}>> {
  const c = { ...defaults, ...config };
  return perParameter<{}>({
    hyper: { lr: c.lr },
    init: () => ({}),
    update: (g, slot, { hyper }) => ({ update: tf.mul(g, -hyper.lr), slot }),
  });
}

export const lamb = definePlugin({
  id: 'lamb',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'TODO: one line on what lamb does.',
  defaults,
  schema: schema.object({
    lr: schema.number({ min: 0, exclusiveMin: true, description: 'learning rate' }),
  }),
  create: (config) => lambTransform(config),
});
