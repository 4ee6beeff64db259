import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, InvalidParameterError } from '@descent/tensor';
import { ACTIVATIONS, activationLayer, SharedPReLU, type Activation } from '@descent/models';
import { expectClose } from './helpers/golden';

/** erf by its Taylor series, exact to float64 rounding for |x| ≤ 3. */
function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
const softplus = (x: number) => Math.log1p(Math.exp(x));
const REFERENCE: Record<Activation, (x: number) => number> = {
  relu: (x) => Math.max(0, x),
  tanh: Math.tanh,
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  leakyRelu: (x) => (x >= 0 ? x : 0.01 * x),
  prelu: (x) => (x >= 0 ? x : 0.25 * x),
  silu: (x) => x / (1 + Math.exp(-x)),
  mish: (x) => x * Math.tanh(softplus(x)),
};
const XS = [-4, -2.5, -1, -0.5, -0.01, 0, 0.01, 0.5, 1, 2.5, 4];

function applyLayer(layer: tf.layers.Layer, values: number[]): Float32Array {
  return tf.tidy(() => (layer.apply(tf.tensor2d(values, [1, values.length])) as tf.Tensor).dataSync() as Float32Array);
}

describe('activations', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  for (const name of ACTIVATIONS) {
    it(`${name} computes torch's definition`, () => {
      const layer = activationLayer(name, `act_test_${name}`);
      expectClose(applyLayer(layer, XS), XS.map(REFERENCE[name]), 2e-6, 1e-6);
      expect(layer.name).toBe(`act_test_${name}`);
      layer.dispose();
    });
  }

  it('gelu is the exact erf form, not the tanh approximation (they differ by 1.5e-4 at x = 1)', () => {
    const layer = activationLayer('gelu', 'act_test_gelu_exact');
    const [y] = applyLayer(layer, [1]);
    expect(Math.abs(y - 0.8413447460685429)).toBeLessThan(1e-6);
    expect(Math.abs(y - 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (1 + 0.044715))))).toBeGreaterThan(1e-4);
    layer.dispose();
  });

  it('rejects unknown activations, naming the allowed ones', () => {
    expect(() => activationLayer('softsign' as Activation, 'x')).toThrow(InvalidParameterError);
    expect(() => activationLayer('softsign' as Activation, 'x')).toThrow(/"activation": "softsign" \(allowed: relu, tanh, gelu, sigmoid, leakyRelu, prelu, silu, mish\)/);
  });
});

describe('SharedPReLU', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('applied at positions of different widths, keeps one slope (0.25) and sums its gradient over them', () => {
    const prelu = new SharedPReLU({ name: 'shared_prelu_test' });
    const a = tf.input({ shape: [3] });
    const b = tf.input({ shape: [5] });
    const model = tf.model({ inputs: [a, b], outputs: [prelu.apply(a) as tf.SymbolicTensor, prelu.apply(b) as tf.SymbolicTensor] });
    expect(model.trainableWeights.map((w) => [w.name, w.shape])).toEqual([['shared_prelu_test/alpha', [1]]]);
    expect(model.trainableWeights[0].read().dataSync()[0]).toBe(0.25);

    const xa = tf.tensor2d([[-1, 2, -3]]);
    const xb = tf.tensor2d([[4, -0.5, 0, -2, 1]]);
    const alpha = model.trainableWeights[0].read() as tf.Variable;
    const { value, grads } = tf.variableGrads(() => tf.addN((model.apply([xa, xb]) as tf.Tensor[]).map((y) => tf.sum(y))) as tf.Scalar, [alpha]);
    // Σ max(0, x) + 0.25·Σ min(0, x) over both inputs; d/dalpha = Σ min(0, x) = −6.5.
    expect(value.dataSync()[0]).toBeCloseTo(7 + 0.25 * -6.5, 6);
    expect(grads[alpha.name].dataSync()[0]).toBeCloseTo(-6.5, 6);
    tf.dispose([xa, xb, value, grads[alpha.name]]);
    model.dispose();
  });

  it("has torch's derivative in x: 1 for x > 0, the slope for x ≤ 0", () => {
    const layer = new SharedPReLU({ name: 'shared_prelu_grad_test', initialSlope: 0.3 });
    const x = tf.tensor1d([-1, 0, 2]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t) as tf.Tensor))(x);
    expectClose(g.dataSync(), [0.3, 0.3, 1], 1e-7);
    expect(layer.getConfig()).toMatchObject({ name: 'shared_prelu_grad_test', initialSlope: 0.3 });
    tf.dispose([x, g]);
    layer.dispose();
  });

  it('rejects a non-finite initial slope', () => {
    expect(() => new SharedPReLU({ initialSlope: Number.NaN })).toThrow(/initialSlope/);
  });
});
