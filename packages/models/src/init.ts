import { tf, Rng, type LayersInitializer } from '@descent/tensor';

/**
 * Seeded initial values. Every variable's values come from `new Rng(seed).fork(<layer>/<weight>)`,
 * so a model is reproducible from its seed and a layer's values do not depend on the layers built
 * before it.
 */
export class Seeds {
  private readonly rng: Rng;
  constructor(seed: number) {
    this.rng = new Rng(seed);
  }
  /** A TensorFlow.js seed for the weight `weight` of the layer `layer` (names relative to the model). */
  for(layer: string, weight: string): number {
    return this.rng.fork(`${layer}/${weight}`).seed();
  }
}

/** U(−bound, bound), seeded. */
export function uniform(bound: number, seed: number): LayersInitializer {
  return tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
}

/**
 * torch's default for nn.Linear and nn.Conv2d (`reset_parameters`: kaiming_uniform_ with a = √5,
 * which is U(±1/√fan_in), and the bias U(±1/√fan_in) too). fanIn is in·kh·kw for a convolution.
 */
export function torchDefault(fanIn: number, seeds: Seeds, layer: string): { kernelInitializer: LayersInitializer; biasInitializer: LayersInitializer } {
  const bound = 1 / Math.sqrt(fanIn);
  return { kernelInitializer: uniform(bound, seeds.for(layer, 'kernel')), biasInitializer: uniform(bound, seeds.for(layer, 'bias')) };
}

/** torch.nn.init.xavier_uniform_ for a [fanIn, fanOut] kernel, zero bias (the book's transformer). */
export function xavierZero(seeds: Seeds, layer: string): { kernelInitializer: LayersInitializer; biasInitializer: LayersInitializer } {
  return { kernelInitializer: tf.initializers.glorotUniform({ seed: seeds.for(layer, 'kernel') }), biasInitializer: tf.initializers.zeros() };
}
