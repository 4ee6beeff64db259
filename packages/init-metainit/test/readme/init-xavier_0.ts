export {};
import { tf, toLayersInitializer, initializeModel, calculateGain } from '@descent/tensor';
import { xavierNormal, xavierUniform } from '@descent/init-xavier';

// One layer through the tf.layers API.
const dense = tf.layers.dense({ units: 256, inputShape: [784], activation: 'tanh', kernelInitializer: toLayersInitializer(xavierNormal({ gain: calculateGain('tanh') }), { rng: 7 }) as never });

// A whole model: every ≥2-D weight re-drawn, biases zeroed, the PReLU slope left alone.
const model = tf.sequential({ layers: [tf.layers.dense({ units: 256, inputShape: [784] }), tf.layers.prelu(), tf.layers.dense({ units: 10 })] });
initializeModel(model, xavierUniform(), { rng: 7 });
