export {};
import { tf, toLayersInitializer, initializeModel } from '@descent/tensor';
import { lMomentum } from '@descent/init-lmomentum';

// One layer: a kernel with mean(W²) = 0.25.
const dense = tf.layers.dense({ units: 256, inputShape: [784], kernelInitializer: toLayersInitializer(lMomentum({ alpha: 0.25 }), { rng: 7 }) as never });

// The book's study: every ≥2-D weight, biases zeroed, the PReLU slope left alone.
const model = tf.sequential({ layers: [tf.layers.dense({ units: 256, inputShape: [784] }), tf.layers.prelu(), tf.layers.dense({ units: 10 })] });
initializeModel(model, lMomentum(), { rng: 7 });
