/**
 * @descent/models — the chapter's reference models as tfjs-layers models producing logits:
 * SimpleNetwork (MLP), the CIFAR-100 CNN, and the SimpleTransformer.
 */
export { simpleNetwork, type SimpleNetworkOptions } from './simple-network';
export { cifarCnn, type CifarCnnOptions } from './cifar-cnn';
export { simpleTransformer, transformerParameterCount, TRANSFORMER_PRESETS, type SimpleTransformerOptions } from './transformer';
export { MultiHeadSelfAttention, SinusoidalPositions, MeanMaxPool } from './attention';
export { ACTIVATIONS, activationLayer, SharedPReLU, type Activation } from './activations';
export { countParameters } from './count';
export { buildModel, listModels, describeModels, type BuildOptions } from './build';
