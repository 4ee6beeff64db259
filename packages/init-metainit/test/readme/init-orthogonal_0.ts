export {};
import { tf, toLayersInitializer, initializeModel } from '@descent/tensor';
import { orthogonal } from '@descent/init-orthogonal';

// One layer: its 784×256 kernel gets orthonormal columns.
const dense = tf.layers.dense({ units: 256, inputShape: [784], kernelInitializer: toLayersInitializer(orthogonal(), { rng: 7 }) as never });

// The book's study: every ≥2-D weight orthogonal, biases zeroed, the PReLU slope left alone.
const model = tf.sequential({ layers: [tf.layers.dense({ units: 256, inputShape: [784] }), tf.layers.prelu(), tf.layers.dense({ units: 10 })] });
initializeModel(model, orthogonal({ gain: Math.SQRT2 }), { rng: 7 });
