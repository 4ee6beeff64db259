import { tf, calculateGain, type Initializer } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

/** The nonlinearities `torch.nn.init.calculate_gain` knows, by torch's names. */
export const NONLINEARITIES = [
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv_transpose1d',
  'conv_transpose2d',
  'conv_transpose3d',
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'selu',
] as const;
export type Nonlinearity = (typeof NONLINEARITIES)[number];

/** Which fan the variance is normalised by: fanIn preserves the forward signal, fanOut the backward one. */
export type FanMode = 'fanIn' | 'fanOut';

export interface KaimingConfig {
  /** 'fanIn' (default, torch's 'fan_in') or 'fanOut' (torch's 'fan_out'). */
  mode: FanMode;
  /** The nonlinearity that follows the layer; sets the gain as torch.nn.init.calculate_gain does. */
  nonlinearity: Nonlinearity;
  /** Negative slope of the leaky ReLU; used only with nonlinearity 'leaky_relu'. */
  a: number;
}

/** torch.nn.init.kaiming_*_ defaults: fan_in, leaky_relu with a = 0, i.e. gain √2. */
export const kaimingDefaults: KaimingConfig = Object.freeze({ mode: 'fanIn', nonlinearity: 'leaky_relu', a: 0 });

/** The gain torch uses for `config` (only 'leaky_relu' reads `a`). */
export function kaimingGain(config: Pick<KaimingConfig, 'nonlinearity' | 'a'>): number {
  return config.nonlinearity === 'leaky_relu' ? calculateGain('leaky_relu', config.a) : calculateGain(config.nonlinearity);
}

/** std = gain / √fan, as in torch.nn.init.kaiming_normal_; the uniform bound is √3 times this. */
export function kaimingStd(config: KaimingConfig, fans: { fanIn: number; fanOut: number }): number {
  const fan = config.mode === 'fanOut' ? fans.fanOut : fans.fanIn;
  return kaimingGain(config) / Math.sqrt(fan);
}

/** Config schema entries shared with packages that build on the Kaiming std (init-emergence). */
export const kaimingSchemaProperties = {
  mode: schema.enum(['fanIn', 'fanOut'] as const, { description: "fan the variance is normalised by: 'fanIn' (forward pass) or 'fanOut' (backward pass)" }),
  nonlinearity: schema.enum(NONLINEARITIES, { description: 'nonlinearity after the layer; sets the gain (torch.nn.init.calculate_gain)' }),
  a: schema.number({ description: "negative slope of the leaky ReLU (only with nonlinearity 'leaky_relu')" }),
};

const isEmpty = (shape: number[]) => shape.some((d) => d === 0);

function buildNormal(c: KaimingConfig): Initializer {
  return (shape, ctx) => (isEmpty(shape) ? tf.zeros(shape) : ctx.rng.randomNormal(shape, 0, kaimingStd(c, ctx)));
}

function buildUniform(c: KaimingConfig): Initializer {
  return (shape, ctx) => {
    if (isEmpty(shape)) return tf.zeros(shape);
    const bound = Math.sqrt(3) * kaimingStd(c, ctx);
    return ctx.rng.randomUniform(shape, -bound, bound);
  };
}

const REFERENCE = 'He, Zhang, Ren & Sun (2015), Delving deep into rectifiers, ICCV; torch.nn.init.kaiming_normal_/kaiming_uniform_';

/** Registry plugin `kaiming-normal`: N(0, std²) with std = gain/√fan. */
export const kaimingNormalPlugin = definePlugin({
  id: 'kaiming-normal',
  kind: 'initializer',
  version: '0.1.0',
  description: 'Kaiming (He) normal: N(0, gain²/fan), torch.nn.init.kaiming_normal_ semantics.',
  reference: REFERENCE,
  defaults: kaimingDefaults,
  schema: schema.object(kaimingSchemaProperties),
  create: buildNormal,
});

/** Registry plugin `kaiming-uniform`: U(−bound, bound) with bound = gain·√(3/fan). */
export const kaimingUniformPlugin = definePlugin({
  id: 'kaiming-uniform',
  kind: 'initializer',
  version: '0.1.0',
  description: 'Kaiming (He) uniform: U(±gain·√(3/fan)), torch.nn.init.kaiming_uniform_ semantics.',
  reference: REFERENCE,
  defaults: kaimingDefaults,
  schema: schema.object(kaimingSchemaProperties),
  create: buildUniform,
});

/**
 * Kaiming (He) normal initialization: weights ~ N(0, std²), std = gain/√fan, where fan is fanIn
 * or fanOut (`mode`) and gain follows `nonlinearity` (torch's gains; default leaky_relu with
 * a = 0, gain √2). The config is validated like the plugin's (ConfigError on bad values).
 */
export function kaimingNormal(config: Partial<KaimingConfig> = {}): Initializer {
  return buildNormal(kaimingNormalPlugin.resolveConfig(config));
}

/** Kaiming (He) uniform initialization: weights ~ U(−bound, bound), bound = gain·√(3/fan). */
export function kaimingUniform(config: Partial<KaimingConfig> = {}): Initializer {
  return buildUniform(kaimingUniformPlugin.resolveConfig(config));
}
