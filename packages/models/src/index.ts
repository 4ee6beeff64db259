/**
 * @descent/models — the chapter's reference models as tfjs-layers models producing logits:
 * the SimpleNetwork MLP, the CIFAR-100 CNN and the SimpleTransformer, their building blocks,
 * a parameter count, and a registry of builders by name.
 */
export { simpleNetwork, type SimpleNetworkOptions } from './simple-network';
export { cifarCnn, type CifarCnnOptions } from './cifar-cnn';
export {
  simpleTransformer,
  transformerConfig,
  transformerParameterCount,
  TRANSFORMER_PRESETS,
  type SimpleTransformerOptions,
  type TransformerConfig,
} from './transformer';
export { ACTIVATIONS, activationLayer, SharedPReLU, type Activation, type SharedPReLUArgs } from './activations';
export { MultiHeadSelfAttention, type MultiHeadSelfAttentionArgs } from './attention';
export { SinusoidalPositions } from './positional-encoding';
export { MeanMaxPool } from './pooling';
export { BatchNormalization, batchNormalization } from './batch-norm';
export { Conv2D, conv2d } from './conv2d';
export { countParameters, type CountOptions } from './count';
export { buildModel, listModels, describeModels, type BuildOptions } from './build';
