export {};
import { tf, toLayersInitializer, initializeModel } from '@descent/tensor';
import { scaledOrthogonal } from '@descent/init-scaled-orthogonal';

// One layer: a 784×256 kernel with all singular values √(2/784).
const dense = tf.layers.dense({ units: 256, inputShape: [784], kernelInitializer: toLayersInitializer(scaledOrthogonal(), { rng: 7 }) as never });

// The book's study: every ≥2-D weight, biases zeroed, the PReLU slope left alone.
const model = tf.sequential({ layers: [tf.layers.dense({ units: 256, inputShape: [784] }), tf.layers.prelu(), tf.layers.dense({ units: 10 })] });
initializeModel(model, scaledOrthogonal({ scale: 1 }), { rng: 7 });
