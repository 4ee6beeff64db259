import { tf, perParameter, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

export interface AdafactorConfig {
  lr: number;
}

const defaults: AdafactorConfig = { lr: 1e-3 };

/**
 * adafactor: TODO describe the update rule and cite the paper.
 * This scaffold is plain gradient descent, p ← p − lr·g; replace the update with the real one.
 */
export function adafactorTransform(config: Partial<AdafactorConfig> = {}): GradientTransform<PerParamState<{}>> {
  const c = { ...defaults, ...config };
  return perParameter<{}>({
    hyper: { lr: c.lr },
    init: () => ({}),
    update: (g, slot, { hyper }) => ({ update: tf.mul(g, -hyper.lr), slot }),
  });
}

export const adafactor = definePlugin({
  id: 'adafactor',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'TODO: one line on what adafactor does.',
  defaults,
  schema: schema.object({
    lr: schema.number({ min: 0, exclusiveMin: true, description: 'learning rate' }),
  }),
  create: (config) => adafactorTransform(config),
});
