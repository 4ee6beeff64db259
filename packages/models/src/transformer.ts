import { tf, checkNumber, InvalidParameterError } from '@descent/tensor';
import { MultiHeadSelfAttention } from './attention';
import { SinusoidalPositions } from './positional-encoding';
import { MeanMaxPool } from './pooling';
import { reserveModelName, checkVariableNames } from './names';
import { Seeds, xavierZero } from './init';
import { batchNormalization } from './batch-norm';
import { checkInputShape } from './input-shape';

export interface SimpleTransformerOptions {
  /** Input features (a flattened 32×32×3 image: 3072); default 3072. */
  tokens?: number;
  /** Input shape without the batch axis, e.g. [32, 32, 3], flattened first; default [tokens]. */
  inputShape?: number[];
  /** Number of logits; default 100. */
  numClasses?: number;
  /** Model width; default 768. */
  dModel?: number;
  /** Attention heads, a divisor of dModel; default 12. */
  heads?: number;
  /** Encoder layers; default 8. */
  layers?: number;
  /** Feed-forward width; default 4·dModel. */
  ffn?: number;
  /** Dropout rate everywhere (embedding, attention weights, residual branches, decoder), in [0, 1); default 0.1. */
  dropout?: number;
  /** Initial values derive from it; default 0. */
  seed?: number;
  /** Model name and prefix of every layer and variable name; default "transformer", "transformer_2", …. */
  name?: string;
}

/** A complete, checked transformer configuration. */
export interface TransformerConfig {
  inputShape: number[];
  tokens: number;
  numClasses: number;
  dModel: number;
  heads: number;
  layers: number;
  ffn: number;
  dropout: number;
}

/** The book's configuration (62,099,812 parameters) and one small enough for CPU runs (324,516). */
export const TRANSFORMER_PRESETS = {
  book: { tokens: 3072, numClasses: 100, dModel: 768, heads: 12, layers: 8, ffn: 3072, dropout: 0.1 },
  small: { tokens: 3072, numClasses: 100, dModel: 64, heads: 4, layers: 2, ffn: 256, dropout: 0.1 },
} as const satisfies Record<string, SimpleTransformerOptions>;

/** Fills in the defaults (the book's configuration) and checks every option. */
export function transformerConfig(options: SimpleTransformerOptions = {}): TransformerConfig {
  let tokens = options.tokens === undefined ? undefined : checkNumber('tokens', options.tokens, { min: 1, integer: true });
  const input = checkInputShape(options.inputShape ?? [tokens ?? 3072]);
  if (tokens !== undefined && tokens !== input.size) throw new InvalidParameterError('inputShape', options.inputShape, `a shape with tokens = ${tokens} entries`);
  tokens = input.size;
  const dModel = checkNumber('dModel', options.dModel ?? 768, { min: 1, integer: true });
  const heads = checkNumber('heads', options.heads ?? 12, { min: 1, integer: true });
  if (dModel % heads !== 0) throw new InvalidParameterError('heads', heads, `a divisor of dModel (${dModel})`);
  return {
    inputShape: input.shape,
    tokens,
    dModel,
    heads,
    numClasses: checkNumber('numClasses', options.numClasses ?? 100, { min: 1, integer: true }),
    layers: checkNumber('layers', options.layers ?? 8, { min: 1, integer: true }),
    ffn: checkNumber('ffn', options.ffn ?? 4 * dModel, { min: 1, integer: true }),
    dropout: checkNumber('dropout', options.dropout ?? 0.1, { min: 0, max: 1, maxExclusive: true }),
  };
}

/**
 * The number of parameters of the torch SimpleTransformer for a configuration, counted as torch
 * counts them (d = dModel, f = ffn, C = numClasses; sinusoidal positions are a buffer, not a parameter):
 *
 *   embedding   tokens·d + d + 2d  +  d·d + d + 2d          (two Linear, two BatchNorm1d)
 *   per layer   4d² + 4d  +  2·2d  +  d·f + f + f·d + d      (MultiheadAttention, two LayerNorm, ffn)
 *   decoder     d·2d + 2d + 2·2d  +  2d·d + d + 2d  +  d·C + C (Linear, LayerNorm, Linear, LayerNorm, Linear)
 *
 * 62,099,812 for the book's configuration, the "62099.8K" it prints.
 */
export function transformerParameterCount(options: SimpleTransformerOptions = {}): number {
  const { tokens, dModel: d, ffn: f, layers, numClasses: c } = transformerConfig(options);
  const embedding = tokens * d + d + 2 * d + (d * d + d) + 2 * d;
  const layer = 4 * d * d + 4 * d + 2 * 2 * d + (d * f + f) + (f * d + d);
  const decoder = 2 * d * d + 2 * d + 2 * 2 * d + (2 * d * d + d) + 2 * d + (d * c + c);
  return embedding + layers * layer + decoder;
}

/**
 * The book's SimpleTransformer for images, producing logits (no softmax):
 *
 * 1. embedding: flatten, then twice dense → BatchNorm → Dropout → GELU (tokens → d → d);
 * 2. a sequence of length 1, plus the sinusoidal position encoding;
 * 3. `layers` pre-norm encoder layers as torch's nn.TransformerEncoderLayer(norm_first=True,
 *    activation='gelu'): x += Dropout(MHSA(LayerNorm(x))); x += Dropout(W₂ Dropout(GELU(W₁ LayerNorm(x))));
 * 4. pooling 0.5·mean + 0.5·max over the sequence;
 * 5. decoder: dense 2d → LayerNorm → GELU → Dropout, dense d → LayerNorm → GELU → Dropout, dense C.
 *
 * Dense kernels are Xavier-uniform and biases zero (the attention as torch initialises it, see
 * MultiHeadSelfAttention); BatchNorm and LayerNorm start at γ = 1, β = 0 with torch's ε = 1e-5
 * (BatchNorm momentum 0.1, tfjs' 0.9). GELU is the exact erf form. The parameter count is
 * `transformerParameterCount(options)`.
 */
export function simpleTransformer(options: SimpleTransformerOptions = {}): tf.LayersModel {
  const cfg = transformerConfig(options);
  const { dModel: d, dropout: rate } = cfg;
  const seeds = new Seeds(checkNumber('seed', options.seed ?? 0, { integer: true }));
  const name = reserveModelName('transformer', options.name);
  const n = (layer: string) => `${name}_${layer}`;
  const apply = (layer: tf.layers.Layer, t: tf.SymbolicTensor) => layer.apply(t) as tf.SymbolicTensor;
  const dense = (units: number, layer: string) => tf.layers.dense({ units, name: n(layer), ...xavierZero(seeds, layer) });
  const dropout = (layer: string) => tf.layers.dropout({ rate, name: n(layer) });
  const gelu = (layer: string) => tf.layers.activation({ activation: 'gelu', name: n(layer) });
  const layerNorm = (layer: string) => tf.layers.layerNormalization({ epsilon: 1e-5, name: n(layer) });
  const residual = (layer: string, a: tf.SymbolicTensor, b: tf.SymbolicTensor) => tf.layers.add({ name: n(layer) }).apply([a, b]) as tf.SymbolicTensor;

  const x = tf.input({ shape: cfg.inputShape, name: n('input') });
  let h = cfg.inputShape.length > 1 ? apply(tf.layers.flatten({ name: n('flatten') }), x) : x;
  for (const i of [1, 2]) {
    h = apply(dense(d, `embed_dense_${i}`), h);
    h = apply(batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: n(`embed_bn_${i}`) }), h);
    h = apply(dropout(`embed_dropout_${i}`), h);
    h = apply(gelu(`embed_gelu_${i}`), h);
  }
  h = apply(tf.layers.reshape({ targetShape: [1, d], name: n('sequence') }), h);
  h = apply(new SinusoidalPositions({ name: n('positions') }), h);
  for (let l = 1; l <= cfg.layers; l++) {
    const p = `layer_${l}_`;
    let a = apply(layerNorm(`${p}norm_1`), h);
    a = apply(new MultiHeadSelfAttention({ heads: cfg.heads, dropout: rate, seed: seeds.for(`${p}attention`, 'seed'), name: n(`${p}attention`) }), a);
    a = apply(dropout(`${p}dropout_1`), a);
    h = residual(`${p}residual_1`, h, a);
    let f = apply(layerNorm(`${p}norm_2`), h);
    f = apply(dense(cfg.ffn, `${p}ffn_1`), f);
    f = apply(gelu(`${p}gelu`), f);
    f = apply(dropout(`${p}ffn_dropout`), f);
    f = apply(dense(d, `${p}ffn_2`), f);
    f = apply(dropout(`${p}dropout_2`), f);
    h = residual(`${p}residual_2`, h, f);
  }
  h = apply(new MeanMaxPool({ name: n('pool') }), h);
  for (const [i, units] of [[1, 2 * d], [2, d]] as const) {
    h = apply(dense(units, `decoder_dense_${i}`), h);
    h = apply(layerNorm(`decoder_norm_${i}`), h);
    h = apply(gelu(`decoder_gelu_${i}`), h);
    h = apply(dropout(`decoder_dropout_${i}`), h);
  }
  h = apply(dense(cfg.numClasses, 'logits'), h);
  return checkVariableNames(tf.model({ inputs: x, outputs: h, name }));
}
