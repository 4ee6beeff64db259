export {};
import { tf, toLayersInitializer, initializeModel } from '@descent/tensor';
import { spectralNormal, estimateSpectralNorm } from '@descent/init-spectral';

// One layer: a Kaiming (relu) kernel rescaled to σ_max = 1.
const dense = tf.layers.dense({ units: 256, inputShape: [784], kernelInitializer: toLayersInitializer(spectralNormal({ baseConfig: { nonlinearity: 'relu' } }), { rng: 7 }) as never });

// A whole model with Xavier directions and σ_max = 2 per kernel; biases zeroed, PReLU slope kept.
const model = tf.sequential({ layers: [tf.layers.dense({ units: 256, inputShape: [784] }), tf.layers.prelu(), tf.layers.dense({ units: 10 })] });
initializeModel(model, spectralNormal({ base: 'xavier-uniform', target: 2 }), { rng: 7 });
console.log(estimateSpectralNorm(model.getWeights()[0], { iterations: 200 })); // ≈ 2
