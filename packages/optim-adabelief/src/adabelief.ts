import { tf, perParameter, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

export interface AdabeliefConfig {
  lr: number;
}

const defaults: AdabeliefConfig = { lr: 1e-3 };

/**
 * adabelief: TODO describe the update rule and cite the paper.
 * This scaffold is plain gradient descent, p ← p − lr·g; replace the update with the real one.
 */
export function adabeliefTransform(config: Partial<AdabeliefConfig> = {}): GradientTransform<PerParamState<{}>> {
  const c = { ...defaults, ...config };
  return perParameter<{}>({
    hyper: { lr: c.lr },
    init: () => ({}),
    update: (g, slot, { hyper }) => ({ update: tf.mul(g, -hyper.lr), slot }),
  });
}

export const adabelief = definePlugin({
  id: 'adabelief',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'TODO: one line on what adabelief does.',
  defaults,
  schema: schema.object({
    lr: schema.number({ min: 0, exclusiveMin: true, description: 'learning rate' }),
  }),
  create: (config) => adabeliefTransform(config),
});
