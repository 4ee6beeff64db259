import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { tf, useBackend, setNativeFusion, Rng } from '@descent/tensor';
import { BatchNormalization, batchNormalization } from '@descent/models';

const close = (a: tf.Tensor, b: tf.Tensor, tol: number) => {
  const x = a.dataSync(), y = b.dataSync();
  let m = 0, s = 1e-2; // relative to the largest entry, absolute below 0.01
  for (let i = 0; i < x.length; i++) { m = Math.max(m, Math.abs(x[i] - y[i])); s = Math.max(s, Math.abs(y[i])); }
  expect(m / s).toBeLessThan(tol);
};

/** A small conv → batch norm → mean model, with the given batch-norm layer and fixed weights. */
function model(bn: tf.layers.Layer): tf.LayersModel {
  const input = tf.input({ shape: [6, 5, 3] });
  const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) });
  const out = tf.layers.globalAveragePooling2d({}).apply(bn.apply(conv.apply(input))) as tf.SymbolicTensor;
  const m = tf.model({ inputs: input, outputs: out });
  // γ, β away from 1, 0 so that their gradients matter.
  const [gamma, beta] = bn.getWeights();
  bn.setWeights([tf.add(gamma, tf.range(0, 4).mul(0.1)), tf.sub(beta, 0.2), ...bn.getWeights().slice(2)]);
  return m;
}

describe('BatchNormalization (fused training step)', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  afterEach(() => setNativeFusion(true));

  for (const fused of [true, false]) {
    it(`trains like tf.layers.batchNormalization: outputs, gradients, moving averages, inference (${fused ? 'native where built' : 'ops'})`, () => {
      setNativeFusion(fused);
      const x = new Rng(2).randomNormal([7, 6, 5, 3]);
      const ours = model(batchNormalization({ momentum: 0.9, epsilon: 1e-5 }));
      const theirs = model(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }));
      theirs.setWeights(ours.getWeights());
      const before = tf.memory().numTensors;
      const step = (m: tf.LayersModel) => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(m.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, m.trainableWeights.map((w) => w.read() as tf.Variable));
        return { value, grads: Object.values(grads) };
      };
      const a = step(ours), b = step(theirs);
      close(a.value, b.value, 1e-5);
      // (The conv bias' gradient is zero up to rounding before a batch norm: compared absolutely.)
      a.grads.forEach((g, i) => close(g, b.grads[i], 2e-4));
      ours.getWeights().forEach((w, i) => close(w, theirs.getWeights()[i], 1e-6)); // the moving averages moved alike
      tf.dispose([a.value, b.value, ...a.grads, ...b.grads]);
      expect(tf.memory().numTensors).toBe(before);
      const infer = [ours, theirs].map((m) => m.predict(x) as tf.Tensor);
      close(infer[0], infer[1], 1e-6);
      tf.dispose([...infer, x]);
      ours.dispose();
      theirs.dispose();
    });
  }

  it('serialises as its own class, with tfjs BatchNormalization’s config, and rebuilds from JSON', async () => {
    const layer = batchNormalization({ momentum: 0.8, epsilon: 1e-4, name: 'bn_serial' });
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2] }), layer] });
    const json = m.toJSON(undefined, false) as unknown as { config: { layers: Array<{ class_name: string; config: { momentum: number; epsilon: number } }> } };
    const entry = json.config.layers.find((l) => l.class_name === BatchNormalization.className)!;
    expect(entry.config).toMatchObject({ momentum: 0.8, epsilon: 1e-4 });
    const copy = await tf.models.modelFromJSON({ modelTopology: m.toJSON(undefined, false) } as never);
    expect(copy.layers[1]).toBeInstanceOf(BatchNormalization);
    m.dispose();
    copy.dispose();
  });
});
