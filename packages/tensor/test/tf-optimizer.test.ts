import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, toTfOptimizer, perParameter, elementwiseProgram, scaleByLearningRate, NonFiniteGradientError, registerTransformFactory, TransformOptimizer, type GradientTransform } from '@descent/tensor';

const momentum = (lr: number): GradientTransform<any> =>
  perParameter<{ v: tf.Tensor }>({
    hyper: { lr },
    init: (p) => ({ v: tf.zerosLike(p) }),
    update: (g, s, { hyper }) => {
      const v = tf.add(tf.mul(s.v, 0.9), g);
      return { update: tf.mul(v, -hyper.lr), slot: { v } };
    },
    spec: { id: 'test-momentum', config: { lr } },
  });
registerTransformFactory('test-momentum', (c) => momentum(c.lr as number));
const momentumStep = elementwiseProgram('test-momentum-step', ['grad', 'v'], ['lr'], ({ grad, v }, { lr }) => {
  const v1 = v.mul(0.9).add(grad);
  return { v: v1, update: v1.mul(lr.neg()) };
});

let n = 0;
const variable = (values: number[]) => tf.variable(tf.tensor(values), true, `opt_test_${n++}`);

describe('toTfOptimizer', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('accepts both applyGradients forms and keys state by variable name, not position', () => {
    const a = variable([1, 1]);
    const b = variable([2]);
    const opt = toTfOptimizer(momentum(0.1));
    opt.applyGradients({ [a.name]: tf.tensor([1, 1]), [b.name]: tf.tensor([1]) });
    // Reversed order, list form: the momentum of `a` must still be a's.
    opt.applyGradients([
      { name: b.name, tensor: tf.tensor([0]) },
      { name: a.name, tensor: tf.tensor([0, 0]) },
    ]);
    expect(a.dataSync()[0]).toBeCloseTo(1 - 0.1 - 0.09, 6);
    expect(b.dataSync()[0]).toBeCloseTo(2 - 0.1 - 0.09, 6);
    expect(opt.iterations).toBe(2);
    opt.dispose();
  });

  it('steps in place where the transform allows it, without touching a snapshot of the variable or leaking', () => {
    const sgdLike = perParameter<{ v: tf.Tensor }>({
      hyper: { lr: 0.1 },
      init: (p) => ({ v: tf.zerosLike(p) }),
      step: (g, s, { hyper }) => ({ program: momentumStep, inputs: { grad: g, v: s.v }, scalars: { lr: hyper.lr }, slot: (out) => ({ v: out.v }) }),
    });
    const a = variable([1, 2, 3]);
    const snapshot = a.clone();
    const opt = toTfOptimizer(sgdLike);
    const g = tf.tensor([1, 1, 1]);
    opt.applyGradients({ [a.name]: g });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) opt.applyGradients({ [a.name]: g });
    expect(tf.memory().numTensors).toBe(before);
    // v: 1, 1.9, 2.71, 3.439 → θ = θ0 − 0.1·Σv
    Array.from(a.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(i + 1 - 0.1 * (1 + 1.9 + 2.71 + 3.439), 5));
    expect(Array.from(snapshot.dataSync())).toEqual([1, 2, 3]);
    opt.dispose();
    tf.dispose([g, snapshot]);
  });

  it('skips null gradients, leaving that variable and its state alone', () => {
    const a = variable([1]);
    const b = variable([1]);
    const opt = toTfOptimizer(momentum(0.1));
    opt.applyGradients({ [a.name]: tf.tensor([1]), [b.name]: null as unknown as tf.Tensor });
    expect(a.dataSync()[0]).toBeCloseTo(0.9, 6);
    expect(b.dataSync()[0]).toBe(1);
    opt.dispose();
  });

  it('minimize works and does not leak', () => {
    const x = variable([3]);
    const opt = toTfOptimizer(scaleByLearningRate(0.25));
    const f = () => tf.sum(tf.square(x)) as tf.Scalar;
    opt.minimize(f);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) opt.minimize(f);
    expect(tf.memory().numTensors).toBe(before);
    expect(x.dataSync()[0]).toBeCloseTo(3 * Math.pow(0.5, 6), 5);
    opt.dispose();
  });

  it('getWeights/setWeights continue a run identically', async () => {
    const a = variable([1, -1]);
    const b = variable([1, -1]);
    const first = toTfOptimizer(momentum(0.1));
    const second = toTfOptimizer(momentum(0.1));
    first.applyGradients({ [a.name]: tf.tensor([1, 2]) });
    second.applyGradients({ [b.name]: tf.tensor([1, 2]) });
    const w = await second.getWeights();
    // Rename b's state to a: the restored optimizer drives a, compare with `first`.
    const restored = toTfOptimizer(momentum(0.1));
    await restored.setWeights(w.map((e) => ({ name: e.name.replace(b.name, a.name), tensor: e.tensor })));
    const c = variable(Array.from(a.dataSync()));
    first.applyGradients({ [a.name]: tf.tensor([0.5, 0.5]) });
    restored.applyGradients({ [a.name]: tf.tensor([0.5, 0.5]) });
    expect(restored.iterations).toBe(2);
    expect(first.iterations).toBe(2);
    c.dispose();
    [first, second, restored].forEach((o) => o.dispose());
  });

  it('raises on NaN gradients by default, skips with nonFinite: skip', () => {
    const a = variable([1]);
    const strict = toTfOptimizer(momentum(0.1));
    expect(() => strict.applyGradients({ [a.name]: tf.tensor([NaN]) })).toThrow(NonFiniteGradientError);
    expect(() => strict.applyGradients({ [a.name]: tf.tensor([NaN]) })).toThrow(new RegExp(a.name));
    const lenient = toTfOptimizer(momentum(0.1), { nonFinite: 'skip' });
    lenient.applyGradients({ [a.name]: tf.tensor([Infinity]) });
    expect(lenient.skippedSteps).toBe(1);
    expect(a.dataSync()[0]).toBe(1);
  });

  it('serialises through getConfig/fromConfig and registers its class once', () => {
    const opt = toTfOptimizer(momentum(0.3));
    toTfOptimizer(momentum(0.3));
    const cfg = opt.getConfig();
    const back = TransformOptimizer.fromConfig(TransformOptimizer, cfg) as unknown as TransformOptimizer;
    expect(back.transform.spec).toEqual({ id: 'test-momentum', config: { lr: 0.3 } });
    expect(tf.serialization.SerializationMap.getMap().classNameMap[TransformOptimizer.className]).toBeDefined();
  });

  it('trains a layers model in model.fit', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
    model.compile({ optimizer: toTfOptimizer(momentum(0.02)), loss: 'meanSquaredError' });
    const x = tf.randomNormal([64, 3], 0, 1, 'float32', 1);
    const y = tf.sum(x, 1, true);
    const h = await model.fit(x, y, { epochs: 10, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.2);
    model.dispose();
  });
});
