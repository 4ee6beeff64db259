import { tf, type Initializer } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

export interface XavierConfig {
  /** Multiplier of the std (torch's `gain`; use `calculateGain(nonlinearity)` for a nonlinearity's). */
  gain: number;
}

export const xavierDefaults: XavierConfig = Object.freeze({ gain: 1 });

/** std = gain·√(2/(fanIn + fanOut)), torch.nn.init.xavier_normal_'s; the uniform bound is √3 times this. */
export function xavierStd(gain: number, fans: { fanIn: number; fanOut: number }): number {
  return gain * Math.sqrt(2 / (fans.fanIn + fans.fanOut));
}

const isEmpty = (shape: number[]) => shape.some((d) => d === 0);

function buildNormal(c: XavierConfig): Initializer {
  return (shape, ctx) => (isEmpty(shape) ? tf.zeros(shape) : ctx.rng.randomNormal(shape, 0, xavierStd(c.gain, ctx)));
}

function buildUniform(c: XavierConfig): Initializer {
  return (shape, ctx) => {
    if (isEmpty(shape)) return tf.zeros(shape);
    const bound = Math.sqrt(3) * xavierStd(c.gain, ctx);
    return ctx.rng.randomUniform(shape, -bound, bound);
  };
}

const configSchema = schema.object({ gain: schema.number({ min: 0, exclusiveMin: true, description: 'multiplier of the std (torch.nn.init.calculate_gain of the nonlinearity)' }) });
const REFERENCE = 'Glorot & Bengio (2010), Understanding the difficulty of training deep feedforward neural networks, AISTATS; torch.nn.init.xavier_normal_/xavier_uniform_';

/** Registry plugin `xavier-normal`: N(0, gain²·2/(fanIn+fanOut)). */
export const xavierNormalPlugin = definePlugin({
  id: 'xavier-normal',
  kind: 'initializer',
  version: '0.1.0',
  description: 'Xavier (Glorot) normal: N(0, gain²·2/(fanIn+fanOut)), torch.nn.init.xavier_normal_ semantics.',
  reference: REFERENCE,
  defaults: xavierDefaults,
  schema: configSchema,
  create: buildNormal,
});

/** Registry plugin `xavier-uniform`: U(±gain·√(6/(fanIn+fanOut))). */
export const xavierUniformPlugin = definePlugin({
  id: 'xavier-uniform',
  kind: 'initializer',
  version: '0.1.0',
  description: 'Xavier (Glorot) uniform: U(±gain·√(6/(fanIn+fanOut))), torch.nn.init.xavier_uniform_ semantics.',
  reference: REFERENCE,
  defaults: xavierDefaults,
  schema: configSchema,
  create: buildUniform,
});

/** Xavier (Glorot) normal initialization: weights ~ N(0, std²), std = gain·√(2/(fanIn + fanOut)). */
export function xavierNormal(config: Partial<XavierConfig> = {}): Initializer {
  return buildNormal(xavierNormalPlugin.resolveConfig(config));
}

/** Xavier (Glorot) uniform initialization: weights ~ U(−bound, bound), bound = gain·√(6/(fanIn + fanOut)). */
export function xavierUniform(config: Partial<XavierConfig> = {}): Initializer {
  return buildUniform(xavierUniformPlugin.resolveConfig(config));
}
