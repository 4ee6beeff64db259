import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { tf, useBackend, setNativeFusion, denseChainHvpAvailable, InvalidParameterError, type ParamMap } from '@descent/tensor';
import { hessianVectorProduct, hessianOperator, modelProblem, topEigenpairs, hutchinsonTrace, crossEntropy, dot, norm, type LossProblem } from '@descent/hessian';
import { fixture, relErr, type Case } from './fixture';

const flat = (problem: LossProblem, m: ParamMap) => problem.params.flatMap((p) => Array.from(m[p.name].dataSync()));
const randomDirection = (problem: LossProblem, seed: number): ParamMap =>
  Object.fromEntries(problem.params.map((p, i) => [p.name, tf.randomNormal(p.shape, 0, 1, 'float32', seed + i)]));

/** The fixture's MLP as a tfjs-layers model (Dense layers and Activation layers), torch's weights. */
function fixtureModel(c: Case): tf.LayersModel {
  const model = tf.sequential();
  for (let i = 1; i < c.sizes.length; i++) {
    model.add(tf.layers.dense({ units: c.sizes[i], inputShape: i === 1 ? [c.sizes[0]] : undefined }));
    if (i < c.sizes.length - 1) model.add(tf.layers.activation({ activation: c.activation as 'relu' }));
  }
  let at = 0;
  const weights = c.shapes.map((s) => {
    const size = s.reduce((a, b) => a * b, 1);
    const t = tf.tensor(c.theta.slice(at, at + size), s);
    at += size;
    return t;
  });
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

/** H·v by both methods: relative difference, and the R-operator's product (flat). */
function compare(problem: LossProblem, seed = 7) {
  const v = randomDirection(problem, seed);
  const before = tf.memory().numTensors;
  const fast = hessianVectorProduct(problem, v, { method: 'r-op' });
  expect(tf.memory().numTensors).toBe(before + problem.params.length);
  const slow = hessianVectorProduct(problem, v, { method: 'double-backprop' });
  // vᵀHv from the second-order forward pass against ⟨v, H·v⟩ of double backprop.
  const op = hessianOperator(problem, { method: 'r-op' });
  const q = op.quadraticForm(v);
  op.dispose();
  expect(tf.memory().numTensors).toBe(before + problem.params.length * 2);
  const exact = dot(v, slow);
  expect(Math.abs(q - exact)).toBeLessThan(1e-5 * Math.max(Math.abs(exact), norm(v) * norm(slow)));
  const out = { err: relErr(flat(problem, fast), flat(problem, slow)), fast: flat(problem, fast) };
  tf.dispose([...Object.values(v), ...Object.values(fast), ...Object.values(slow)]);
  return out;
}

// Both ways the R-passes run: the native kernel (where @descent/native-blas is built) and TensorFlow.js ops.
describe.each([
  ['native kernel where built', true],
  ['TensorFlow.js ops', false],
])("Pearlmutter's R-operator (the fast path for dense chains): %s", (_label, fused) => {
  beforeAll(async () => {
    await useBackend('wasm');
    setNativeFusion(fused);
  });
  afterAll(() => {
    setNativeFusion(true);
  });

  it('runs one native kernel per product where the addon provides it, TensorFlow.js ops otherwise', async () => {
    const c = fixture.cases[0];
    const model = fixtureModel(c);
    const x = tf.tensor2d(c.x, [c.y.length, c.sizes[0]]);
    const y = tf.tensor1d(c.y, 'int32');
    const problem = modelProblem(model, x, y);
    const op = hessianOperator(problem);
    const v = randomDirection(problem, 3);
    const info = await tf.profile(() => Object.values(op.apply(v)));
    tf.dispose(info.result as tf.Tensor[]);
    const names = info.kernels.map((k) => k.name);
    if (fused && denseChainHvpAvailable()) expect(names).toEqual(['DescentDenseChainHvp']);
    else expect(names).toContain('BatchMatMul');
    op.dispose();
    tf.dispose([...Object.values(v), x, y]);
    model.dispose();
  });

  for (const c of fixture.cases) {
    it(`${c.name}: equals torch 1.13's exact H·v and tfjs double backprop`, () => {
      const model = fixtureModel(c);
      const x = tf.tensor2d(c.x, [c.y.length, c.sizes[0]]);
      const y = tf.tensor1d(c.y, 'int32');
      const problem = modelProblem(model, x, y);
      const op = hessianOperator(problem);
      expect(op.method).toBe('r-op');
      op.dispose();
      let k = 0;
      const v: ParamMap = Object.fromEntries(problem.params.map((p) => { const t = tf.tensor(c.v.slice(k, k + p.size), p.shape); k += p.size; return [p.name, t]; }));
      const before = tf.memory().numTensors;
      const hv = hessianVectorProduct(problem, v);
      expect(tf.memory().numTensors).toBe(before + problem.params.length);
      expect(relErr(flat(problem, hv), c.hv)).toBeLessThan(1e-5);
      tf.dispose([...Object.values(v), ...Object.values(hv)]);
      expect(compare(problem).err).toBeLessThan(1e-5);
      tf.dispose([x, y]);
      model.dispose();
    });
  }

  // Functional model, one activation instance applied at every position (as @descent/models'
  // SimpleNetwork), a Flatten of image-shaped inputs, Dense layers with built-in activations, Dropout.
  const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'gelu', 'softplus', 'elu', 'selu', 'swish', 'mish', 'leakyRelu'] as const;
  for (const act of ACTIVATIONS) {
    it(`${act}: functional model with a shared activation layer equals double backprop`, () => {
      const input = tf.input({ shape: [3, 4, 1] });
      const layer = act === 'leakyRelu' ? tf.layers.leakyReLU({ alpha: 0.1 }) : tf.layers.activation({ activation: act as 'relu' });
      let h = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
      for (const units of [9, 7, 5]) h = layer.apply(tf.layers.dense({ units, biasInitializer: 'randomNormal' }).apply(h)) as tf.SymbolicTensor;
      h = tf.layers.dropout({ rate: 0.5 }).apply(h) as tf.SymbolicTensor;
      h = tf.layers.dense({ units: 4 }).apply(h) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: h });
      const x = tf.randomNormal([11, 3, 4, 1], 0, 1.5, 'float32', 1);
      const y = tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3, 3, 2, 1], 'int32');
      const problem = modelProblem(model, x, y);
      expect(compare(problem).err).toBeLessThan(1e-5);
      tf.dispose([x, y]);
      model.dispose();
    });
  }

  it('Dense layers with built-in activations, soft labels and a subset of the parameters', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 6, activation: 'tanh', inputShape: [5] }),
        tf.layers.dense({ units: 6, activation: 'swish' }),
        tf.layers.dense({ units: 3, activation: 'linear', useBias: false }),
      ],
    });
    const x = tf.randomNormal([9, 5], 0, 1, 'float32', 2);
    const y = tf.softmax(tf.randomNormal([9, 3], 0, 2, 'float32', 3));
    const all = modelProblem(model, x, y);
    expect(compare(all).err).toBeLessThan(1e-5);
    // Only the second layer's kernel and the last kernel: the others stay fixed.
    const subset = model.trainableWeights.map((w) => w.read() as tf.Variable).filter((_, i) => i === 2 || i === 4);
    expect(subset).toHaveLength(2);
    expect(compare(modelProblem(model, x, y, crossEntropy, subset)).err).toBeLessThan(1e-5);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('the iterative routines give the same numbers by either method, without leaking', () => {
    const c = fixture.cases.find((k) => k.name === 'mlp-relu-deeper')!;
    const model = fixtureModel(c);
    const x = tf.tensor2d(c.x, [c.y.length, c.sizes[0]]);
    const y = tf.tensor1d(c.y, 'int32');
    const problem = modelProblem(model, x, y);
    const before = tf.memory().numTensors;
    const pairs = topEigenpairs(problem, { topN: 2, maxIterations: 200, tolerance: 1e-6, seed: 1 });
    const trace = hutchinsonTrace(problem, { maxIterations: 30, tolerance: 0, seed: 2 });
    pairs.forEach((p) => tf.dispose(Object.values(p.vector)));
    expect(tf.memory().numTensors).toBe(before);
    pairs.forEach((p, i) => expect(p.value).toBeCloseTo(c.topAbsEigenvalues[i], 3));
    // The same problem by hand (no modelProblem): double backprop.
    const manual: LossProblem = { params: problem.params, loss: problem.loss };
    expect(hessianOperator(manual).method).toBe('double-backprop');
    const slow = hutchinsonTrace(manual, { maxIterations: 30, tolerance: 0, seed: 2 });
    slow.samples.forEach((s, i) => expect(trace.samples[i]).toBeCloseTo(s, 3));
    tf.dispose([x, y]);
    model.dispose();
  });

  it('falls back to double backprop where it does not apply, and says why when forced', () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 4, inputShape: [3] }), tf.layers.batchNormalization(), tf.layers.dense({ units: 2 })],
    });
    const x = tf.randomNormal([5, 3], 0, 1, 'float32', 4);
    const y = tf.tensor1d([0, 1, 1, 0, 1], 'int32');
    const bn = modelProblem(model, x, y);
    expect(hessianOperator(bn).method).toBe('double-backprop');
    expect(() => hessianOperator(bn, { method: 'r-op' })).toThrow(InvalidParameterError);
    expect(() => hessianOperator(bn, { method: 'r-op' })).toThrow(/chain of Dense/);
    // A custom loss, or a problem whose loss was replaced: double backprop too.
    const mse = (logits: tf.Tensor, labels: tf.Tensor) => tf.mean(tf.square(tf.sub(logits, tf.oneHot(labels.toInt(), 2)))) as tf.Scalar;
    const plain = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    expect(hessianOperator(modelProblem(plain, x, y, mse)).method).toBe('double-backprop');
    const changed = modelProblem(plain, x, y);
    expect(hessianOperator(changed).method).toBe('r-op');
    changed.loss = () => crossEntropy(plain.apply(x) as tf.Tensor, y);
    expect(hessianOperator(changed).method).toBe('double-backprop');
    expect(() => hessianOperator(changed, { method: 'fast' as never })).toThrow(/method/);
    tf.dispose([x, y]);
    model.dispose();
    plain.dispose();
  });

  it('an operator releases its tensors on dispose and refuses to run afterwards', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }), tf.layers.dense({ units: 2 })] });
    const x = tf.randomNormal([5, 3], 0, 1, 'float32', 5);
    const y = tf.tensor1d([0, 1, 1, 0, 1], 'int32');
    const problem = modelProblem(model, x, y);
    const before = tf.memory().numTensors;
    const op = hessianOperator(problem);
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    op.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const v = randomDirection(problem, 1);
    expect(() => op.apply(v)).toThrow(/disposed/);
    tf.dispose([...Object.values(v), x, y]);
    model.dispose();
  });
});
