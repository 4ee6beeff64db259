import { tf, perParameter, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

export interface AdadeltaConfig {
  lr: number;
}

const defaults: AdadeltaConfig = { lr: 1e-3 };

/**
 * adadelta: TODO describe the update rule and cite the paper.
 * This scaffold is plain gradient descent, p ← p − lr·g; replace the update with the real one.
 */
export function adadeltaTransform(config: Partial<AdadeltaConfig> = {}): GradientTransform<PerParamState<{}>> {
  const c = { ...defaults, ...config };
  return perParameter<{}>({
    hyper: { lr: c.lr },
    init: () => ({}),
    update: (g, slot, { hyper }) => ({ update: tf.mul(g, -hyper.lr), slot }),
  });
}

export const adadelta = definePlugin({
  id: 'adadelta',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'TODO: one line on what adadelta does.',
  defaults,
  schema: schema.object({
    lr: schema.number({ min: 0, exclusiveMin: true, description: 'learning rate' }),
  }),
  create: (config) => adadeltaTransform(config),
});
