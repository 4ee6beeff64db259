import * as tf from './tf';
import { Rng } from './random';
import { InvalidParameterError } from './errors';

/** What an initializer may know about the tensor it fills. */
export interface InitContext {
  fanIn: number;
  fanOut: number;
  /** 1-based index of the layer among the initialised kernels, and their number. */
  layerIndex: number;
  depth: number;
  rng: Rng;
  dtype: 'float32';
  /** Variable name, where known. */
  name?: string;
}

/** Fills a tensor of `shape`. Returns a new tensor owned by the caller. */
export type Initializer = (shape: number[], ctx: InitContext) => tf.Tensor;

/**
 * Fan-in and fan-out in TensorFlow.js layout: dense kernels `[in, out]`, conv kernels
 * `[...kernel, in, out]` (the receptive field multiplies both), as torch's
 * `_calculate_fan_in_and_fan_out` does for its own `[out, in, ...kernel]` layout.
 * A vector counts its length as both fans.
 */
export function computeFans(shape: number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

/** Builds a full context for `shape` from partial information. */
export function initContext(shape: number[], partial: Partial<InitContext> = {}): InitContext {
  return { ...computeFans(shape), layerIndex: 1, depth: 1, rng: partial.rng ?? new Rng(0), dtype: 'float32', ...partial };
}

/** The gain torch.nn.init.calculate_gain gives each nonlinearity. */
export function calculateGain(nonlinearity: string, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu':
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new InvalidParameterError('nonlinearity', nonlinearity, 'linear, conv1d/2d/3d, sigmoid, tanh, relu, leaky_relu, selu');
  }
}

// tfjs-layers does not export its Initializer base class; every built-in initializer extends it.
const LayersInitializerBase = Object.getPrototypeOf(tf.initializers.zeros().constructor) as new () => tf.serialization.Serializable;

export interface LayersInitializerOptions {
  /** Seed or random source; each call draws from it, so layers get different values. */
  rng?: Rng | number;
  layerIndex?: number;
  depth?: number;
  /** Name reported in `getClassName` (serialization is not supported for these). */
  name?: string;
}

/** Makes a Descent initializer usable as `tf.layers.dense({ kernelInitializer })`. */
/** tfjs-layers' initializer type (its class is not exported, its instances are). */
export type LayersInitializer = ReturnType<typeof tf.initializers.zeros>;

export function toLayersInitializer(init: Initializer, options: LayersInitializerOptions = {}): LayersInitializer {
  const rng = options.rng instanceof Rng ? options.rng : new Rng(options.rng ?? 0);
  class DescentInitializer extends LayersInitializerBase {
    static className = options.name ?? 'DescentInitializer';
    apply(shape: number[]): tf.Tensor {
      return init(shape, initContext(shape, { rng, layerIndex: options.layerIndex ?? 1, depth: options.depth ?? 1 }));
    }
    getClassName() {
      return DescentInitializer.className;
    }
    getConfig() {
      return {};
    }
  }
  return new DescentInitializer() as unknown as LayersInitializer;
}

export interface InitializeModelOptions {
  rng?: Rng | number;
  /** Which variables to initialise: by default every trainable weight with ≥ 2 dimensions. */
  filter?: (name: string, shape: number[]) => boolean;
  /** Biases (1-D variables whose name ends in "bias") are set to zero unless this is false. */
  zeroBiases?: boolean;
}

/**
 * Re-initialises a model's weights in place, as the book does: every weight with ≥ 2 dimensions
 * through `init` (layer index and depth counted over those), biases to zero, other 1-D weights
 * (a PReLU slope) left alone.
 */
export function initializeModel(
  model: { weights: Array<{ name: string; shape: Array<number | null>; read(): tf.Tensor; write(v: tf.Tensor): void; trainable: boolean }> },
  init: Initializer,
  options: InitializeModelOptions = {},
): void {
  const rng = options.rng instanceof Rng ? options.rng : new Rng(options.rng ?? 0);
  const filter = options.filter ?? ((_: string, shape: number[]) => shape.length >= 2);
  const kernels = model.weights.filter((w) => w.trainable && filter(w.name, w.shape as number[]));
  kernels.forEach((w, i) => {
    const shape = w.shape as number[];
    const value = init(shape, initContext(shape, { rng, layerIndex: i + 1, depth: kernels.length, name: w.name }));
    if (!tf.util.arraysEqual(value.shape, shape)) throw new Error(`initializer returned shape [${value.shape}] for "${w.name}" of shape [${shape}]`);
    w.write(value);
    value.dispose();
  });
  if (options.zeroBiases !== false) {
    for (const w of model.weights) {
      if (w.shape.length === 1 && /bias$/i.test(w.name)) {
        const z = tf.zeros(w.shape as number[]);
        w.write(z);
        z.dispose();
      }
    }
  }
}
