export {};
import { tf, toLayersInitializer, initializeModel } from '@descent/tensor';
import { lecunNormal, lecunUniform } from '@descent/init-lecun';

// One layer through the tf.layers API.
const dense = tf.layers.dense({ units: 256, inputShape: [784], kernelInitializer: toLayersInitializer(lecunNormal(), { rng: 7 }) as never });

// The book's way: every ≥2-D weight re-drawn, biases zeroed, the PReLU slope left alone.
const model = tf.sequential({ layers: [tf.layers.dense({ units: 256, inputShape: [784] }), tf.layers.prelu(), tf.layers.dense({ units: 10 })] });
initializeModel(model, lecunUniform(), { rng: 7 });
