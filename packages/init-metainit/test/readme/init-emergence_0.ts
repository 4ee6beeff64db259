export {};
import { tf, toLayersInitializer, initializeModel } from '@descent/tensor';
import { emergence } from '@descent/init-emergence';

// One layer: the 3rd of 5 kernels gets the Kaiming std × (1 + ln 3 / ln 5).
const dense = tf.layers.dense({ units: 128, inputShape: [256], kernelInitializer: toLayersInitializer(emergence({ nonlinearity: 'relu' }), { rng: 7, layerIndex: 3, depth: 5 }) as never });

// A whole model: layer indices and depth are counted over its ≥2-D kernels; biases zeroed.
const model = tf.sequential({ layers: [tf.layers.dense({ units: 256, inputShape: [784] }), tf.layers.prelu(), tf.layers.dense({ units: 10 })] });
initializeModel(model, emergence(), { rng: 7 });
