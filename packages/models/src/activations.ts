import { tf, InvalidParameterError } from '@descent/tensor';

/** The activations SimpleNetwork offers, with torch's definitions. */
export const ACTIVATIONS = ['relu', 'tanh', 'gelu', 'sigmoid', 'leakyRelu', 'prelu', 'silu', 'mish'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export function checkActivation(name: string): Activation {
  if (!(ACTIVATIONS as readonly string[]).includes(name)) throw new InvalidParameterError('activation', name, ACTIVATIONS.join(', '));
  return name as Activation;
}

/**
 * One activation instance, applied at every hidden position (as the book shares one torch
 * module): for PReLU that means a single slope parameter (initial 0.25) for all layers.
 * tfjs' 'gelu' is the exact erf form (torch's default nn.GELU), 'swish' with α = 1 is SiLU.
 */
export function activationLayer(name: Activation, layerName: string): tf.layers.Layer {
  switch (name) {
    case 'leakyRelu':
      return tf.layers.leakyReLU({ alpha: 0.01, name: layerName });
    case 'prelu':
      return new SharedPReLU({ name: layerName });
    case 'silu':
      return tf.layers.activation({ activation: 'swish', name: layerName });
    default:
      return tf.layers.activation({ activation: name, name: layerName });
  }
}

/**
 * PReLU with one slope for every unit and every position it is applied at: max(0, x) + a·min(0, x),
 * a initialised to 0.25 like torch's nn.PReLU(). tfjs' own prelu layer pins its input width at
 * the first call, so it cannot be shared across layers of different widths as the book does.
 */
export class SharedPReLU extends tf.layers.Layer {
  static className = 'DescentSharedPReLU';
  private alpha?: tf.LayerVariable;
  override build(): void {
    this.alpha = this.addWeight('alpha', [1], 'float32', tf.initializers.constant({ value: 0.25 }));
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return tf.sub(tf.relu(x), tf.mul(this.alpha!.read(), tf.relu(tf.neg(x))));
    });
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return inputShape as tf.Shape;
  }
}
tf.serialization.registerClass(SharedPReLU);
