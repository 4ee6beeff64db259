import { it } from 'vitest';
import { tf, useBackend, initializeModel, Rng } from '@descent/tensor';
import { kaimingNormal } from '@descent/init-kaiming';
import { metaInit, gradientQuotient } from '@descent/init-metainit';

function mlp(act: string) {
  return tf.sequential({ layers: [
    tf.layers.dense({ units: 32, inputShape: [16], activation: act as never }),
    tf.layers.dense({ units: 32, activation: act as never }),
    tf.layers.dense({ units: 32, activation: act as never }),
    tf.layers.dense({ units: 4 }),
  ]});
}

it('explore', async () => {
  await useBackend('wasm');
  const rng = new Rng(1);
  const x = rng.randomNormal([64, 16]);
  const labels = tf.tensor1d(Array.from({ length: 64 }, () => rng.int(4)), 'int32');
  const y = tf.oneHot(labels, 4);
  const loss = (yt: tf.Tensor, yp: tf.Tensor) => tf.losses.softmaxCrossEntropy(yt, yp);
  const variants: Array<[string, any]> = [['hvp1e-2', { hvpStep: 1e-2 }], ['hvp1e-3', {}], ['step', { quotient: 'step' }]];
  for (const act of (process.env.ACTS ?? 'relu,tanh').split(',')) for (const bad of [0.1, 1, 3]) for (const [vn, v] of variants) {
    const model = mlp(act);
    initializeModel(model as never, kaimingNormal({ nonlinearity: act === 'relu' ? 'relu' : 'tanh' }), { rng: 2 });
    for (const w of model.trainableWeights) if (w.shape.length === 2) { const val = w.read() as tf.Variable; const n = tf.mul(val, bad); val.assign(n); n.dispose(); }
    const t0 = performance.now();
    const r = metaInit(model as never, loss, { x, y }, { steps: 30, ...v });
    console.log(act, bad, vn, 'hist', r.history.filter((_, i) => i % 5 === 0).map((q) => q.toFixed(3)).join(' '), 'scales', Object.values(r.scales).map((s) => s.toFixed(2)).join(','), ((performance.now() - t0) / 1000).toFixed(1), 's');
    model.dispose();
  }
}, 600000);
