import { type Initializer } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

export interface KaimingNormalConfig {
  gain: number;
}

const defaults: KaimingNormalConfig = { gain: 1 };

/** kaiming-normal: TODO describe the distribution and cite the paper. This scaffold draws N(0, gain²/fanIn). */
export function kaimingNormalInitializer(config: Partial<KaimingNormalConfig> = {}): Initializer {
  const c = { ...defaults, ...config };
  return (shape, ctx) => ctx.rng.randomNormal(shape, 0, c.gain / Math.sqrt(ctx.fanIn));
}

export const kaimingNormal = definePlugin({
  id: 'kaiming-normal',
  kind: 'initializer',
  version: '0.1.0',
  description: 'TODO: one line on what kaiming-normal does.',
  defaults,
  schema: schema.object({ gain: schema.number({ min: 0, exclusiveMin: true, description: 'multiplier of the std' }) }),
  create: (config) => kaimingNormalInitializer(config),
});
