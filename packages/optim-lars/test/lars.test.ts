import { describe, it, expect, beforeAll } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { tf, useBackend, step, setHyperparam, toTfOptimizer, stateBytes, stateTensors, DescentError, TransformOptimizer, Rng, type ParamMap } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { lars, larsTransform } from '@descent/optim-lars';

const invalid = [
  { lr: -1 },
  { momentum: -0.9 },
  { trustCoefficient: -1e-3 },
  { weightDecay: -1e-4 },
  { eps: -1e-8 },
  { nesterov: true, momentum: 0 }, // Nesterov needs momentum
  { nesterov: 'yes' },
  { eeta: 0.001 }, // TF's name; Descent's is trustCoefficient
  { dampening: 0.1 },
];

describe('lars', () => {
  optimizerConformance({ plugin: lars, invalid, golden: true, config: { lr: 5, weightDecay: 1e-4 }, stateBytesPerParam: 4, fit: { config: { lr: 1, trustCoefficient: 0.01 } } });
  describe('with Nesterov momentum', () => {
    optimizerConformance({ plugin: lars, invalid: [{ nesterov: true, momentum: 0 }], config: { lr: 5, nesterov: true, eps: 1e-8 }, stateBytesPerParam: 4, fit: { config: { lr: 1, trustCoefficient: 0.01, nesterov: true } } });
  });
});

describe('lars specifics', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  const norm = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0));

  it('defaults: momentum 0.9, trustCoefficient 0.001, eps 0, no decay, no Nesterov (TF); lr 1', () => {
    expect(lars.defaults).toEqual({ lr: 1, momentum: 0.9, trustCoefficient: 1e-3, weightDecay: 0, eps: 0, nesterov: false });
  });

  it('the first step of each tensor has norm lr·η·‖θ‖, whatever the scale of its gradient', () => {
    const rng = new Rng(9);
    const t = larsTransform({ lr: 2, trustCoefficient: 0.01 });
    const p: ParamMap = { a: rng.randomNormal([5, 4]), b: rng.randomNormal([4]) };
    const g: ParamMap = { a: tf.mul(rng.randomNormal([5, 4]), 1e3), b: tf.mul(rng.randomNormal([4]), 1e-6) };
    const r = step(t, p, g, t.init(p));
    for (const n of ['a', 'b']) {
      const before = p[n].dataSync();
      const moved = norm(Array.from(r.params[n].dataSync()).map((v, i) => v - before[i]));
      expect(moved / (2 * 0.01 * norm(before))).toBeCloseTo(1, 4);
    }
    tf.dispose([...Object.values(p), ...Object.values(g), ...Object.values(r.params), ...stateTensors(r.state)]);
  });

  it('the momentum accumulates steps lr·λ·(g + βθ), not gradients; Nesterov adds m·v to the current step', () => {
    // θ = [3, 4] (‖θ‖ = 5), g = [0, 2] (‖g‖ = 2), η = 0.1: λ = 0.25, d = lr·λ·g = [0, 0.5].
    const plain = larsTransform({ lr: 1, trustCoefficient: 0.1, momentum: 0.5 });
    const p = { w: tf.tensor([3, 4]) };
    const g = { w: tf.tensor([0, 2]) };
    const r1 = step(plain, p, g, plain.init(p));
    expect(Array.from(r1.params.w.dataSync())).toEqual([3, 3.5]);
    // ‖θ‖ = √21.25, λ = 0.1·√21.25/2, v = 0.5·0.5 + 2λ.
    const r2 = step(plain, r1.params, g, r1.state);
    const lam = (0.1 * Math.sqrt(21.25)) / 2;
    expect(r2.params.w.dataSync()[1]).toBeCloseTo(3.5 - (0.25 + 2 * lam), 6);
    const nest = larsTransform({ lr: 1, trustCoefficient: 0.1, momentum: 0.5, nesterov: true });
    const n1 = step(nest, p, g, nest.init(p));
    expect(Array.from(n1.params.w.dataSync())).toEqual([3, 3.25]); // d + m·v = 0.5 + 0.25
    tf.dispose([p.w, g.w, r1.params.w, r2.params.w, n1.params.w, ...stateTensors(r2.state), ...stateTensors(n1.state)]);
  });

  it('the trust ratio includes the decay, λ = η‖θ‖/(‖g‖ + β‖θ‖), and is 1 when ‖θ‖ = 0 or ‖g‖ = 0', () => {
    const t = larsTransform({ lr: 1, trustCoefficient: 0.1, momentum: 0, weightDecay: 0.5 });
    // ‖θ‖ = 5, ‖g‖ = 2: λ = 0.5/(2 + 2.5) = 1/9; d = (g + 0.5θ)/9 = [1.5, 4]/9.
    const p = { w: tf.tensor([3, 4]), z: tf.zeros([2]), q: tf.tensor([2, -2]) };
    const g = { w: tf.tensor([0, 2]), z: tf.tensor([1, -1]), q: tf.zeros([2]) };
    const r = step(t, p, g, t.init(p));
    const w = Array.from(r.params.w.dataSync());
    expect(w[0]).toBeCloseTo(3 - 1.5 / 9, 6);
    expect(w[1]).toBeCloseTo(4 - 4 / 9, 6);
    // ‖θ‖ = 0: ratio 1, plain SGD. ‖g‖ = 0: ratio 1, the decay alone (as TF).
    expect(Array.from(r.params.z.dataSync())).toEqual([-1, 1]);
    expect(Array.from(r.params.q.dataSync())).toEqual([1, -1]);
    tf.dispose([...Object.values(p), ...Object.values(g), ...Object.values(r.params), ...stateTensors(r.state)]);
  });

  it('hyperparameters live in state.hyper and can be changed mid-run; 4 bytes of state per parameter', () => {
    const t = larsTransform({ lr: 0.5 });
    const p = { w: tf.ones([10, 10]) };
    const s = t.init(p);
    expect(s.hyper).toEqual({ lr: 0.5, momentum: 0.9, trustCoefficient: 1e-3, weightDecay: 0, eps: 0 });
    expect(stateBytes(s)).toBe(400);
    setHyperparam(s, 'lr', 0);
    const g = { w: tf.ones([10, 10]) };
    const r = step(t, p, g, s);
    expect(r.params.w.dataSync().every((v) => v === 1)).toBe(true);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('needs the parameters for the trust ratio, with a clear error; ConfigErrors name the key', () => {
    const t = larsTransform();
    const p = { w: tf.tensor([1]) };
    const g = { w: tf.tensor([1]) };
    const s = t.init(p);
    expect(() => t.update(g, s)).toThrow(DescentError);
    tf.dispose([p.w, g.w, ...stateTensors(s)]);
    expect(() => larsTransform({ nesterov: true, momentum: 0 })).toThrow(ConfigError);
    expect(() => larsTransform({ nesterov: true, momentum: 0 })).toThrow(/lars\.nesterov/);
  });

  it('an optimizer saved with its config is rebuilt by fromConfig', () => {
    const opt = toTfOptimizer(larsTransform({ lr: 8, weightDecay: 5e-4, nesterov: true }));
    const rebuilt = TransformOptimizer.fromConfig(TransformOptimizer, opt.getConfig()) as TransformOptimizer;
    expect(rebuilt.transform.spec).toEqual({ id: 'lars', config: { lr: 8, momentum: 0.9, trustCoefficient: 1e-3, weightDecay: 5e-4, eps: 0, nesterov: true } });
    opt.dispose();
    rebuilt.dispose();
  });
});
