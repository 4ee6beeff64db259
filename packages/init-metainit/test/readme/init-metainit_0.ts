export {};
import { tf, toLayersInitializer, initializeModel } from '@descent/tensor';
import { metaInit, metaInitInitializer, runPostInit } from '@descent/init-metainit';

const ce = (y: tf.Tensor, logits: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, logits);
const batch = { x: tf.randomNormal([128, 784]), y: tf.oneHot(tf.randomUniform([128], 0, 10, 'int32'), 10) };

// A layer drawn by the base initializer (kaiming-normal), then the whole model tuned.
const model = tf.sequential({ layers: [tf.layers.dense({ units: 256, inputShape: [784], activation: 'tanh', kernelInitializer: toLayersInitializer(metaInitInitializer(), { rng: 7 }) as never }), tf.layers.dense({ units: 10 })] });
const { history, scales } = metaInit(model, ce, batch, { steps: 50 });

// Or through initializeModel + the postInit marker, as a training loop would.
const init = metaInitInitializer({ steps: 50, baseConfig: { nonlinearity: 'tanh' } });
initializeModel(model, init, { rng: 7 });
runPostInit(init, model, ce, batch);
