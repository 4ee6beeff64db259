import { tf, type Initializer } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

/** LeCun initialization has no options; the config object exists for the registry (unknown keys are rejected). */
export type LecunConfig = Record<string, never>;

const isEmpty = (shape: number[]) => shape.some((d) => d === 0);

/** std = √(1/fanIn): the variance that keeps a linear layer's output variance equal to its input's. */
export function lecunStd(fans: { fanIn: number }): number {
  return Math.sqrt(1 / fans.fanIn);
}

function buildNormal(): Initializer {
  return (shape, ctx) => (isEmpty(shape) ? tf.zeros(shape) : ctx.rng.randomNormal(shape, 0, lecunStd(ctx)));
}

function buildUniform(): Initializer {
  return (shape, ctx) => {
    if (isEmpty(shape)) return tf.zeros(shape);
    const bound = Math.sqrt(3 / ctx.fanIn);
    return ctx.rng.randomUniform(shape, -bound, bound);
  };
}

const REFERENCE = 'LeCun, Bottou, Orr & Müller (1998), Efficient BackProp; = torch.nn.init.kaiming_*_(nonlinearity="linear")';

/** Registry plugin `lecun-normal`: N(0, 1/fanIn), a plain (not truncated) normal, as in the book. */
export const lecunNormalPlugin = definePlugin({
  id: 'lecun-normal',
  kind: 'initializer',
  version: '0.1.0',
  description: 'LeCun normal: N(0, 1/fanIn), plain normal (not truncated).',
  reference: REFERENCE,
  defaults: {} as LecunConfig,
  schema: schema.object({}),
  create: buildNormal,
});

/** Registry plugin `lecun-uniform`: U(±√(3/fanIn)), the uniform law with the same variance 1/fanIn. */
export const lecunUniformPlugin = definePlugin({
  id: 'lecun-uniform',
  kind: 'initializer',
  version: '0.1.0',
  description: 'LeCun uniform: U(±√(3/fanIn)), variance 1/fanIn.',
  reference: REFERENCE,
  defaults: {} as LecunConfig,
  schema: schema.object({}),
  create: buildUniform,
});

/**
 * LeCun normal initialization: weights ~ N(0, 1/fanIn). A plain normal, as the book's
 * `init_weights_lecun` draws it — unlike Keras/TensorFlow.js `leCunNormal`, which draws a
 * normal truncated at ±2σ (whose std is then only ≈ 0.88·√(1/fanIn) in tfjs).
 */
export function lecunNormal(config: Partial<LecunConfig> = {}): Initializer {
  lecunNormalPlugin.resolveConfig(config);
  return buildNormal();
}

/** LeCun uniform initialization: weights ~ U(−√(3/fanIn), √(3/fanIn)), variance 1/fanIn. */
export function lecunUniform(config: Partial<LecunConfig> = {}): Initializer {
  lecunUniformPlugin.resolveConfig(config);
  return buildUniform();
}
