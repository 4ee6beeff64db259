import { tf, initializeModel } from '@descent/tensor';
import { kaimingNormal } from '@descent/init-kaiming';
const model = tf.sequential({ layers: [tf.layers.dense({ units: 256, inputShape: [128] })] });
initializeModel(model, kaimingNormal(), { rng: 11 });
const bad: number = 'x';
