import { tf, InvalidParameterError } from '@descent/tensor';
import { simpleNetwork } from './simple-network';
import { cifarCnn } from './cifar-cnn';
import { simpleTransformer, TRANSFORMER_PRESETS } from './transformer';
import { checkActivation } from './activations';

/** Options `buildModel` passes on; each builder takes those that apply to it and ignores the rest. */
export interface BuildOptions {
  /** simple-mlp only. */
  activation?: string;
  /** simple-mlp only. */
  hiddenSizes?: number[];
  /** Input shape without the batch axis, e.g. the data set's [28, 28, 1] or [32, 32, 3]. */
  inputShape?: number[];
  numClasses?: number;
  seed?: number;
  name?: string;
}

interface Builder {
  description: string;
  build: (o: BuildOptions) => tf.LayersModel;
}

const BUILDERS: Record<string, Builder> = {
  'simple-mlp': {
    description: "the book's SimpleNetwork MLP, 784-256-192-128-64-10 (283,914 parameters with ReLU)",
    build: (o) =>
      simpleNetwork({
        activation: checkActivation(o.activation ?? 'relu'),
        hiddenSizes: o.hiddenSizes,
        inputShape: o.inputShape,
        numClasses: o.numClasses,
        seed: o.seed,
        name: o.name,
      }),
  },
  'cifar-cnn': {
    description: "the book's CIFAR-100 CNN, three conv blocks and two dense layers (1,194,084 parameters)",
    build: (o) => cifarCnn({ inputShape: o.inputShape, numClasses: o.numClasses, seed: o.seed, name: o.name }),
  },
  transformer: {
    description: "the book's SimpleTransformer, d 768, 12 heads, 8 layers (62,099,812 parameters)",
    build: (o) => simpleTransformer({ ...TRANSFORMER_PRESETS.book, tokens: undefined, inputShape: o.inputShape, numClasses: o.numClasses, seed: o.seed, name: o.name }),
  },
  'transformer-small': {
    description: 'the SimpleTransformer small enough for CPU runs, d 64, 4 heads, 2 layers',
    build: (o) => simpleTransformer({ ...TRANSFORMER_PRESETS.small, tokens: undefined, inputShape: o.inputShape, numClasses: o.numClasses, seed: o.seed, name: o.name }),
  },
};

/** The names `buildModel` accepts, in a stable order. */
export function listModels(): string[] {
  return Object.keys(BUILDERS);
}

/** The names `buildModel` accepts, each with a one-line description (for help texts). */
export function describeModels(): Array<{ name: string; description: string }> {
  return Object.entries(BUILDERS).map(([name, b]) => ({ name, description: b.description }));
}

/**
 * Builds a model by name (see `listModels`) with the book's configuration, adapted to `inputShape`
 * and `numClasses` where given. Unknown names raise InvalidParameterError listing the known ones.
 */
export function buildModel(name: string, options: BuildOptions = {}): tf.LayersModel {
  const builder = Object.prototype.hasOwnProperty.call(BUILDERS, name) ? BUILDERS[name] : undefined;
  if (!builder) throw new InvalidParameterError('model', name, listModels().join(', '));
  return builder.build(options);
}
