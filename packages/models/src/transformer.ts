import { tf, checkNumber, InvalidParameterError } from '@descent/tensor';
import { MultiHeadSelfAttention, SinusoidalPositions, MeanMaxPool } from './attention';
import { uniquePrefix } from './names';

export interface SimpleTransformerOptions {
  /** Input features (a flattened 32×32×3 image: 3072). */
  tokens?: number;
  /** Input shape without the batch axis, e.g. [32, 32, 3]: flattened first; sets `tokens`. */
  inputShape?: number[];
  numClasses?: number;
  dModel?: number;
  heads?: number;
  layers?: number;
  /** Feed-forward width (default 4·dModel). */
  ffn?: number;
  dropout?: number;
  name?: string;
  seed?: number;
}

/** The book's configuration (62,099,812 parameters) and one small enough for CPU runs. */
export const TRANSFORMER_PRESETS = {
  book: { tokens: 3072, numClasses: 100, dModel: 768, heads: 12, layers: 8, dropout: 0.1 },
  small: { tokens: 3072, numClasses: 100, dModel: 64, heads: 4, layers: 2, dropout: 0.1 },
} as const;

/**
 * Parameters of the book's SimpleTransformer for a configuration, as torch counts them: MLP
 * embedding tokens→d→d (each with BatchNorm), per layer attention 4d²+4d, two LayerNorms 4d and
 * the ffn 2·d·f + f + d, then the decoder d→2d→d→classes with a LayerNorm after each hidden layer.
 */
export function transformerParameterCount(o: SimpleTransformerOptions = {}): number {
  const { tokens = 3072, numClasses = 100, dModel: d = 768, layers = 8 } = o;
  const f = o.ffn ?? 4 * d;
  const embedding = tokens * d + d + 2 * d + d * d + d + 2 * d;
  const layer = 4 * d * d + 4 * d + 4 * d + 2 * d * f + f + d;
  const decoder = d * 2 * d + 2 * d + 2 * 2 * d + 2 * d * d + d + 2 * d + d * numClasses + numClasses;
  return embedding + layers * layer + decoder;
}

/**
 * The book's SimpleTransformer for images: an MLP embedding of the flattened image, a sequence of
 * length 1 with sinusoidal positions, pre-norm encoder layers (self-attention, GELU feed-forward),
 * 0.5·mean + 0.5·max pooling, and an MLP decoder to logits. Dense kernels Xavier-uniform, biases zero.
 */
export function simpleTransformer(options: SimpleTransformerOptions = {}): tf.LayersModel {
  const o = { ...TRANSFORMER_PRESETS.book, ...options };
  const tokens = checkNumber('tokens', options.inputShape ? options.inputShape.reduce((a, b) => a * b, 1) : o.tokens, { min: 1, integer: true });
  const d = checkNumber('dModel', o.dModel, { min: 1, integer: true });
  const heads = checkNumber('heads', o.heads, { min: 1, integer: true });
  if (d % heads !== 0) throw new InvalidParameterError('heads', heads, `a divisor of dModel (${d})`);
  const layers = checkNumber('layers', o.layers, { min: 1, integer: true });
  const ffn = checkNumber('ffn', options.ffn ?? 4 * d, { min: 1, integer: true });
  const rate = checkNumber('dropout', o.dropout, { min: 0, max: 1, maxExclusive: true });
  const numClasses = checkNumber('numClasses', o.numClasses, { min: 2, integer: true });
  const prefix = uniquePrefix('transformer', options.name);
  let seed = (options.seed ?? 0) * 100000;
  const dense = (units: number, name: string, activation?: 'gelu') =>
    tf.layers.dense({ units, activation, name: `${prefix}_${name}`, kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }), biasInitializer: 'zeros' });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor;

  const input = tf.input({ shape: options.inputShape ?? [tokens], name: `${prefix}_input` });
  let h = (options.inputShape && options.inputShape.length > 1 ? tf.layers.flatten({ name: `${prefix}_flatten` }).apply(input) : input) as tf.SymbolicTensor;
  for (const i of [1, 2]) {
    h = apply(dense(d, `embed_${i}`), h);
    h = apply(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: `${prefix}_embed_bn_${i}` }), h);
    h = apply(tf.layers.dropout({ rate, name: `${prefix}_embed_dropout_${i}` }), h);
    h = apply(tf.layers.activation({ activation: 'gelu', name: `${prefix}_embed_gelu_${i}` }), h);
  }
  h = apply(tf.layers.reshape({ targetShape: [1, d], name: `${prefix}_sequence` }), h);
  h = apply(new SinusoidalPositions({ name: `${prefix}_positions` }), h);
  for (let l = 1; l <= layers; l++) {
    const n = (s: string) => `layer_${l}_${s}`;
    let a = apply(tf.layers.layerNormalization({ epsilon: 1e-5, name: `${prefix}_${n('norm_1')}` }), h);
    a = apply(new MultiHeadSelfAttention({ dModel: d, heads, name: `${prefix}_${n('attention')}`, seed: seed++ }), a);
    a = apply(tf.layers.dropout({ rate, name: `${prefix}_${n('dropout_1')}` }), a);
    h = tf.layers.add({ name: `${prefix}_${n('residual_1')}` }).apply([h, a]) as tf.SymbolicTensor;
    let f = apply(tf.layers.layerNormalization({ epsilon: 1e-5, name: `${prefix}_${n('norm_2')}` }), h);
    f = apply(dense(ffn, n('ffn_1'), 'gelu'), f);
    f = apply(tf.layers.dropout({ rate, name: `${prefix}_${n('dropout_2')}` }), f);
    f = apply(dense(d, n('ffn_2')), f);
    f = apply(tf.layers.dropout({ rate, name: `${prefix}_${n('dropout_3')}` }), f);
    h = tf.layers.add({ name: `${prefix}_${n('residual_2')}` }).apply([h, f]) as tf.SymbolicTensor;
  }
  h = apply(new MeanMaxPool({ name: `${prefix}_pool` }), h);
  for (const [i, units] of [[1, 2 * d], [2, d]] as const) {
    h = apply(dense(units, `decoder_${i}`), h);
    h = apply(tf.layers.layerNormalization({ epsilon: 1e-5, name: `${prefix}_decoder_norm_${i}` }), h);
    h = apply(tf.layers.activation({ activation: 'gelu', name: `${prefix}_decoder_gelu_${i}` }), h);
    h = apply(tf.layers.dropout({ rate, name: `${prefix}_decoder_dropout_${i}` }), h);
  }
  h = apply(dense(numClasses, 'logits'), h);
  return tf.model({ inputs: input, outputs: h, name: prefix });
}
