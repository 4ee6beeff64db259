import { tf, type Initializer } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

export interface LMomentumConfig {
  /** Target second moment mean(W²) of every kernel (default 0.81 = 0.9², an optimizer momentum squared). */
  alpha: number;
}

export const lMomentumDefaults: LMomentumConfig = Object.freeze({ alpha: 0.81 });

function build(c: LMomentumConfig): Initializer {
  return (shape, ctx) => {
    if (shape.some((d) => d === 0)) return tf.zeros(shape);
    const bound = Math.sqrt(6 / ctx.fanIn);
    const w = ctx.rng.randomUniform(shape, -bound, bound);
    // W·√(alpha / mean(W²)), the mean taken in float64 (a float32 reduction over 10⁵ entries is
    // off by ~1e-5), so the second moment of the result is alpha up to float32 rounding.
    const v = w.dataSync();
    let sumSq = 0;
    for (let i = 0; i < v.length; i++) sumSq += v[i] * v[i];
    const out = tf.mul(w, Math.sqrt(c.alpha / (sumSq / v.length)));
    w.dispose();
    return out;
  };
}

/** Registry plugin `l-momentum`: U(±√(6/fanIn)) rescaled so that mean(W²) = alpha. */
export const lMomentumPlugin = definePlugin({
  id: 'l-momentum',
  kind: 'initializer',
  version: '0.1.0',
  description: 'L-momentum: uniform ±√(6/fanIn), then × √(alpha/mean(W²)) so that every kernel has second moment alpha (default 0.81).',
  reference: 'Deep Learning DNA, ch. 5, init_weights_lmomentum (there alpha cannot be passed through the wrapper; here it can)',
  defaults: lMomentumDefaults,
  schema: schema.object({ alpha: schema.number({ min: 0, exclusiveMin: true, description: 'target second moment mean(W²) of each kernel (RMS √alpha)' }) }),
  create: build,
});

/**
 * L-momentum initialization as the book defines it: W ~ U(−√(6/fanIn), √(6/fanIn)), then
 * W ← W·√(alpha / mean(W²)), so every kernel ends with second moment exactly alpha (element RMS
 * √alpha), whatever its fan-in. Note that the rescaling cancels the √(6/fanIn) bound: the result
 * is a uniform kernel with RMS √alpha for every layer size.
 */
export function lMomentum(config: Partial<LMomentumConfig> = {}): Initializer {
  return build(lMomentumPlugin.resolveConfig(config));
}
