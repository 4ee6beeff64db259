export {};
import { tf, toLayersInitializer, initializeModel } from '@descent/tensor';
import { kaimingNormal, kaimingUniform } from '@descent/init-kaiming';

// One layer, through the tf.layers API (rng: seed of the draws).
const dense = tf.layers.dense({ units: 256, inputShape: [784], kernelInitializer: toLayersInitializer(kaimingNormal({ nonlinearity: 'relu' }), { rng: 7 }) as never });

// A whole model, as the book does: every ≥2-D weight re-drawn, biases zeroed, PReLU slopes kept.
const model = tf.sequential({ layers: [tf.layers.dense({ units: 256, inputShape: [784] }), tf.layers.prelu(), tf.layers.dense({ units: 10 })] });
initializeModel(model, kaimingUniform({ mode: 'fanOut' }), { rng: 7 });
