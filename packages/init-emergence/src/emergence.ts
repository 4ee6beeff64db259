import { tf, InvalidParameterError, type Initializer } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';
import { kaimingGain, kaimingSchemaProperties, type Nonlinearity } from '@descent/init-kaiming';

export interface EmergenceConfig {
  /** Nonlinearity after the layer; sets the gain as torch.nn.init.calculate_gain does (default leaky_relu, a = 0: √2). */
  nonlinearity: Nonlinearity;
  /** Negative slope of the leaky ReLU (only with 'leaky_relu'). */
  a: number;
}

export const emergenceDefaults: EmergenceConfig = Object.freeze({ nonlinearity: 'leaky_relu', a: 0 });

/**
 * The depth factor 1 + ln l / ln d for layer l (1-based) of d. For d = 1 the ratio ln 1 / ln 1
 * is 0/0; the only layer is l = 1, whose log term is 0 for every d > 1, so the factor is 1.
 */
export function emergenceFactor(layerIndex: number, depth: number): number {
  if (!Number.isInteger(depth) || depth < 1) throw new InvalidParameterError('depth', depth, 'an integer ≥ 1');
  if (!Number.isInteger(layerIndex) || layerIndex < 1 || layerIndex > depth) throw new InvalidParameterError('layerIndex', layerIndex, `an integer from 1 to depth (${depth})`);
  return depth === 1 ? 1 : 1 + Math.log(layerIndex) / Math.log(depth);
}

/** std = gain · ν_l with ν_l = (1 + ln l / ln d)/√fanIn: the Kaiming std times the depth factor. */
export function emergenceStd(config: EmergenceConfig, ctx: { fanIn: number; layerIndex: number; depth: number }): number {
  return (kaimingGain(config) * emergenceFactor(ctx.layerIndex, ctx.depth)) / Math.sqrt(ctx.fanIn);
}

function build(c: EmergenceConfig): Initializer {
  return (shape, ctx) => {
    const std = emergenceStd(c, ctx); // validates layerIndex/depth even for empty shapes
    return shape.some((d) => d === 0) ? tf.zeros(shape) : ctx.rng.randomNormal(shape, 0, std);
  };
}

/** Registry plugin `emergence`: N(0, (gain·(1 + ln l/ln d)/√fanIn)²), l and d from the init context. */
export const emergencePlugin = definePlugin({
  id: 'emergence',
  kind: 'initializer',
  version: '0.1.0',
  description: 'Depth-dependent Kaiming normal: std = gain·(1 + ln l / ln d)/√fanIn for layer l of d (the formula the book attributes to Chen et al., 2023).',
  reference: 'Deep Learning DNA, ch. 5, "Emergence-Promoting Initialization": ν_l = (1 + ln l / ln d)/√d_in, attributed there to Chen et al. (2023)',
  defaults: emergenceDefaults,
  schema: schema.object({ nonlinearity: kaimingSchemaProperties.nonlinearity, a: kaimingSchemaProperties.a }),
  create: build,
});

/**
 * Depth-dependent ("emergence-promoting") normal initialization: weights ~ N(0, std²) with
 *
 *   std = gain · ν_l,   ν_l = (1 + ln l / ln d) / √fanIn,
 *
 * i.e. the Kaiming (fan-in) std times 1 + ln l / ln d, growing from 1× at the first layer to 2× at
 * the last. l = `ctx.layerIndex` (1-based) and d = `ctx.depth` come from the init context:
 * `initializeModel` counts the model's kernels; with `toLayersInitializer` pass `layerIndex` and
 * `depth` (the defaults 1 and 1 give plain Kaiming).
 */
export function emergence(config: Partial<EmergenceConfig> = {}): Initializer {
  return build(emergencePlugin.resolveConfig(config));
}
