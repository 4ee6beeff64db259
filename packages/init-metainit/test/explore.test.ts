import { it } from 'vitest';
import { tf, useBackend, initializeModel, Rng } from '@descent/tensor';
import { kaimingNormal } from '@descent/init-kaiming';
import { gradientQuotient, metaInit } from '@descent/init-metainit';

it('explore', async () => {
  await useBackend('wasm');
  const rng = new Rng(1);
  const [B, D, H, C] = [128, 32, 128, 10];
  const x = rng.randomNormal([B, D]);
  const labels = tf.tensor1d(Array.from({ length: B }, () => rng.int(C)), 'int32');
  const y = tf.oneHot(labels, C);
  const loss = (yt: tf.Tensor, yp: tf.Tensor) => tf.losses.softmaxCrossEntropy(yt, yp);
  for (const [act, bad] of [['tanh', 0.1], ['tanh', 1], ['tanh', 3], ['relu', 0.1], ['relu', 3]] as const) {
    const mk = () => {
      const model = tf.sequential({ layers: [
        tf.layers.dense({ units: H, inputShape: [D], activation: act as never }),
        tf.layers.dense({ units: H, activation: act as never }),
        tf.layers.dense({ units: C }),
      ]});
      initializeModel(model as never, kaimingNormal({ nonlinearity: act as never }), { rng: 2 });
      const kern = model.trainableWeights.filter((w) => w.shape.length === 2).map((w) => w.read() as tf.Variable);
      for (const v of kern) { const n = tf.mul(v, bad); v.assign(n); n.dispose(); }
      return { model, kern };
    };
    const { model, kern } = mk();
    const factors = [0.1, 0.25, 0.5, 0.9, 0.99, 1, 1.01, 1.1, 2, 4, 10];
    const rowAll: string[] = [];
    for (const f of factors) { const saved = kern.map((v) => v.clone()); kern.forEach((v) => { const n = tf.mul(v, f); v.assign(n); n.dispose(); }); rowAll.push(gradientQuotient(model as never, loss, { x, y }).toFixed(3)); kern.forEach((v, i) => { v.assign(saved[i]); saved[i].dispose(); }); }
    console.log(act, bad, 'all ', factors.map((f, i) => `${f}:${rowAll[i]}`).join(' '));
    const t0 = performance.now();
    const r = metaInit(model as never, loss, { x, y }, { steps: 30 });
    const h = r.history;
    console.log(act, bad, 'hist', h.filter((_, i) => i % 3 === 0).map((q) => q.toFixed(3)).join(' '), 'scales', Object.values(r.scales).map((s) => s.toFixed(2)).join(','), ((performance.now() - t0) / 1000).toFixed(1), 's');
    model.dispose();
  }
}, 600000);
