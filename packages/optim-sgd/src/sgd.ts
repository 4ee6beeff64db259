import { tf, perParameter, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

export interface SgdConfig {
  lr: number;
}

const defaults: SgdConfig = { lr: 1e-3 };

/**
 * sgd: TODO describe the update rule and cite the paper.
 * This scaffold is plain gradient descent, p ← p − lr·g; replace the update with the real one.
 */
export function sgdTransform(config: Partial<SgdConfig> = {}): GradientTransform<PerParamState<{}>> {
  const c = { ...defaults, ...config };
  return perParameter<{}>({
    hyper: { lr: c.lr },
    init: () => ({}),
    update: (g, slot, { hyper }) => ({ update: tf.mul(g, -hyper.lr), slot }),
  });
}

export const sgd = definePlugin({
  id: 'sgd',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'TODO: one line on what sgd does.',
  defaults,
  schema: schema.object({
    lr: schema.number({ min: 0, exclusiveMin: true, description: 'learning rate' }),
  }),
  create: (config) => sgdTransform(config),
});
