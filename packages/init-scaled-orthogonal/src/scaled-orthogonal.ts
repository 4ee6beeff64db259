import { tf, type Initializer } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';
import { orthogonal } from '@descent/init-orthogonal';

export interface ScaledOrthogonalConfig {
  /** The orthogonal matrix is multiplied by scale/√fanIn; the default √2 gives the book's √(2/fanIn). */
  scale: number;
}

export const scaledOrthogonalDefaults: ScaledOrthogonalConfig = Object.freeze({ scale: Math.SQRT2 });

/** The factor applied to the orthogonal matrix: scale/√fanIn (every singular value of the kernel). */
export function scaledOrthogonalFactor(scale: number, fans: { fanIn: number }): number {
  return scale / Math.sqrt(fans.fanIn);
}

function build(c: ScaledOrthogonalConfig): Initializer {
  return (shape, ctx) => (shape.some((d) => d === 0) ? tf.zeros(shape) : orthogonal({ gain: scaledOrthogonalFactor(c.scale, ctx) })(shape, ctx));
}

/** Registry plugin `scaled-orthogonal`: orthogonal × scale/√fanIn (default scale √2: the book's √(2/fanIn)). */
export const scaledOrthogonalPlugin = definePlugin({
  id: 'scaled-orthogonal',
  kind: 'initializer',
  version: '0.1.0',
  description: "Orthogonal (torch.nn.init.orthogonal_ semantics) times scale/√fanIn; default scale √2, the book's scaled_orthogonal.",
  reference: "Deep Learning DNA, ch. 5, init_weights_scaled_orthogonal (orthogonal_, then × √(2/fan_in)); Saxe et al. (2014) for the orthogonal part",
  defaults: scaledOrthogonalDefaults,
  schema: schema.object({ scale: schema.number({ min: 0, exclusiveMin: true, description: 'every singular value of the kernel is scale/√fanIn (default √2)' }) }),
  create: build,
});

/**
 * Scaled orthogonal initialization: a (semi-)orthogonal kernel (see @descent/init-orthogonal)
 * multiplied by factor = scale/√fanIn, so every singular value equals that factor. The default
 * scale √2 is the book's `init_weights_scaled_orthogonal` (× √(2/fan_in)).
 */
export function scaledOrthogonal(config: Partial<ScaledOrthogonalConfig> = {}): Initializer {
  return build(scaledOrthogonalPlugin.resolveConfig(config));
}
