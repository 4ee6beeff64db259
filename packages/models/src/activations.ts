import { tf, InvalidParameterError, checkNumber } from '@descent/tensor';

/**
 * The activations SimpleNetwork offers, each with torch's definition:
 *
 * | name      | torch module          | f(x)                                   |
 * |-----------|-----------------------|----------------------------------------|
 * | relu      | nn.ReLU()             | max(0, x)                              |
 * | tanh      | nn.Tanh()             | tanh x                                 |
 * | gelu      | nn.GELU() (exact)     | x·Φ(x) = x·(1 + erf(x/√2))/2           |
 * | sigmoid   | nn.Sigmoid()          | 1/(1 + e^−x)                           |
 * | leakyRelu | nn.LeakyReLU()        | max(0, x) + 0.01·min(0, x)             |
 * | prelu     | nn.PReLU()            | max(0, x) + a·min(0, x), one a = 0.25  |
 * | silu      | nn.SiLU()             | x·sigmoid(x)                           |
 * | mish      | nn.Mish()             | x·tanh(softplus(x))                    |
 */
export const ACTIVATIONS = ['relu', 'tanh', 'gelu', 'sigmoid', 'leakyRelu', 'prelu', 'silu', 'mish'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** Returns `name` as an Activation, or throws InvalidParameterError listing the allowed names. */
export function checkActivation(name: unknown): Activation {
  if (typeof name !== 'string' || !(ACTIVATIONS as readonly string[]).includes(name)) {
    throw new InvalidParameterError('activation', name, ACTIVATIONS.join(', '));
  }
  return name as Activation;
}

/**
 * A layer computing the activation `name`, named `layerName`. Build it once and apply it at every
 * position, as the book shares one torch module: for `prelu` that is one slope for all positions.
 *
 * tfjs-layers 4.22's 'gelu' is the exact erf form (its tanh approximation is 'gelu_new'), and its
 * 'swish' with the default α = 1 is SiLU; both are used as they are.
 */
export function activationLayer(name: Activation, layerName: string): tf.layers.Layer {
  const activation = checkActivation(name);
  switch (activation) {
    case 'leakyRelu':
      return tf.layers.leakyReLU({ alpha: 0.01, name: layerName });
    case 'prelu':
      return new SharedPReLU({ name: layerName });
    case 'silu':
      return tf.layers.activation({ activation: 'swish', name: layerName });
    default:
      return tf.layers.activation({ activation, name: layerName });
  }
}

export interface SharedPReLUArgs {
  name?: string;
  /** Initial slope for negative inputs; torch's nn.PReLU() default is 0.25. */
  initialSlope?: number;
}

/**
 * PReLU with a single slope `alpha` (shape [1]) for every unit and every position the layer is
 * applied at: f(x) = max(0, x) + alpha·min(0, x), like torch's `nn.PReLU()` (num_parameters = 1).
 * Applied at several positions, the gradient of `alpha` sums over all of them, as in torch.
 *
 * tfjs' own `tf.layers.prelu` holds one slope per unit and fixes its input width at the first
 * call, so it cannot be shared across layers of different widths.
 */
export class SharedPReLU extends tf.layers.Layer {
  static className = 'DescentSharedPReLU';
  readonly initialSlope: number;
  private alpha?: tf.LayerVariable;

  constructor(args: SharedPReLUArgs = {}) {
    super({ name: args.name });
    this.initialSlope = checkNumber('initialSlope', args.initialSlope ?? 0.25);
  }

  override build(): void {
    this.alpha = this.addWeight('alpha', [1], 'float32', tf.initializers.constant({ value: this.initialSlope }));
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    // tf.prelu's gradient is torch's: 1 for x > 0, alpha for x ≤ 0.
    return tf.tidy(() => tf.prelu(Array.isArray(inputs) ? inputs[0] : inputs, this.alpha!.read()));
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), initialSlope: this.initialSlope };
  }
}
tf.serialization.registerClass(SharedPReLU);
