import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, Rng } from '@descent/tensor';
import { Conv2D, conv2d } from '@descent/models';

const maxRel = (a: tf.Tensor, b: tf.Tensor) => {
  const x = a.dataSync(), y = b.dataSync();
  let m = 0, s = 1e-2;
  for (let i = 0; i < x.length; i++) { m = Math.max(m, Math.abs(x[i] - y[i])); s = Math.max(s, Math.abs(y[i])); }
  return m / s;
};

/** Two stacked convolutions built with `make`, weights from a seed. */
function model(make: (args: Parameters<typeof tf.layers.conv2d>[0]) => tf.layers.Layer, strides: number, padding: 'same' | 'valid'): tf.LayersModel {
  const input = tf.input({ shape: [9, 8, 3] });
  const a = make({ filters: 4, kernelSize: 3, strides, padding, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: tf.initializers.randomNormal({ seed: 2 }) });
  const b = make({ filters: 5, kernelSize: [2, 3], padding, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), biasInitializer: tf.initializers.randomNormal({ seed: 4 }) });
  return tf.model({ inputs: input, outputs: b.apply(a.apply(input)) as tf.SymbolicTensor });
}

describe('Conv2D (input gradient on demand)', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  for (const [strides, padding] of [[1, 'same'], [2, 'valid']] as const) {
    it(`equals tf.layers.conv2d: outputs and weight gradients (strides ${strides}, ${padding})`, () => {
      const x = new Rng(6).randomNormal([3, 9, 8, 3]);
      const ours = model(conv2d, strides, padding);
      const theirs = model((args) => tf.layers.conv2d(args), strides, padding);
      theirs.setWeights(ours.getWeights());
      const before = tf.memory().numTensors;
      const run = (m: tf.LayersModel) => tf.variableGrads(() => tf.sum(tf.square(m.apply(x) as tf.Tensor)) as tf.Scalar, m.trainableWeights.map((w) => w.read() as tf.Variable));
      const a = run(ours), b = run(theirs);
      expect(maxRel(a.value, b.value)).toBeLessThan(1e-6);
      Object.values(a.grads).forEach((g, i) => expect(maxRel(g, Object.values(b.grads)[i])).toBeLessThan(1e-5));
      tf.dispose([a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(x);
      ours.dispose();
      theirs.dispose();
    });
  }

  it('skips the input gradient of the first layer; computes it where asked', async () => {
    const x = new Rng(7).randomNormal([2, 9, 8, 3]);
    const count = async (m: tf.LayersModel) => {
      const info = await tf.profile(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(m.apply(x) as tf.Tensor) as tf.Scalar, m.trainableWeights.map((w) => w.read() as tf.Variable));
        return [value, ...Object.values(grads)];
      });
      tf.dispose(info.result as tf.Tensor[]);
      return info.kernels.filter((k) => k.name === 'Conv2DBackpropInput').length;
    };
    const ours = model(conv2d, 1, 'same'), theirs = model((args) => tf.layers.conv2d(args), 1, 'same');
    expect(await count(ours)).toBe(1); // the second layer's, not the first's
    expect(await count(theirs)).toBe(2);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(ours.apply(input) as tf.Tensor) as tf.Scalar)(x);
    expect(dx.shape).toEqual(x.shape);
    tf.dispose([dx, x]);
    ours.dispose();
    theirs.dispose();
  });

  it('serialises as its own class and rebuilds from JSON', async () => {
    const m = model(conv2d, 1, 'same');
    const copy = await tf.models.modelFromJSON({ modelTopology: m.toJSON(undefined, false) } as never);
    expect(copy.layers[1]).toBeInstanceOf(Conv2D);
    expect((copy.layers[1].getConfig() as { filters: number }).filters).toBe(4);
    m.dispose();
    copy.dispose();
  });
});
