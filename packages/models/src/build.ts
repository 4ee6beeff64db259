import { tf, InvalidParameterError } from '@descent/tensor';
import { simpleNetwork } from './simple-network';
import { cifarCnn } from './cifar-cnn';
import { simpleTransformer, TRANSFORMER_PRESETS } from './transformer';

/** Options every builder understands; each takes what applies to it. */
export interface BuildOptions {
  activation?: string;
  hiddenSizes?: number[];
  inputShape?: number[];
  numClasses?: number;
  seed?: number;
  name?: string;
}

const BUILDERS: Record<string, { describe: string; build: (o: BuildOptions) => tf.LayersModel }> = {
  'simple-mlp': {
    describe: "the book's SimpleNetwork MLP (784-256-192-128-64-10)",
    build: (o) => simpleNetwork({ activation: o.activation, hiddenSizes: o.hiddenSizes, inputShape: o.inputShape, numClasses: o.numClasses, seed: o.seed, name: o.name }),
  },
  'cifar-cnn': {
    describe: "the book's CIFAR-100 CNN (three conv blocks, 1.19M parameters)",
    build: (o) => cifarCnn({ numClasses: o.numClasses, seed: o.seed, name: o.name }),
  },
  transformer: {
    describe: "the book's SimpleTransformer (d 768, 12 heads, 8 layers, 62.1M parameters)",
    build: (o) => simpleTransformer({ ...TRANSFORMER_PRESETS.book, inputShape: o.inputShape, numClasses: o.numClasses, seed: o.seed, name: o.name }),
  },
  'transformer-small': {
    describe: 'a SimpleTransformer small enough for CPU runs (d 64, 4 heads, 2 layers)',
    build: (o) => simpleTransformer({ ...TRANSFORMER_PRESETS.small, inputShape: o.inputShape, numClasses: o.numClasses, seed: o.seed, name: o.name }),
  },
};

/** Builds a model by name (see `listModels`). */
export function buildModel(name: string, options: BuildOptions = {}): tf.LayersModel {
  const builder = BUILDERS[name];
  if (!builder) throw new InvalidParameterError('model', name, Object.keys(BUILDERS).join(', '));
  return builder.build(options);
}

/** The names `buildModel` accepts, with a line on each. */
export function listModels(): string[] {
  return Object.keys(BUILDERS);
}

export function describeModels(): Array<{ name: string; description: string }> {
  return Object.entries(BUILDERS).map(([name, b]) => ({ name, description: b.describe }));
}
