import { describe, it, expect, beforeAll } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { tf, useBackend, step, setHyperparam, toTfOptimizer, stateBytes, stateTensors, DescentError, TransformOptimizer, Rng, type ParamMap } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { lamb, lambTransform } from '@descent/optim-lamb';

const invalid = [
  { lr: -1e-3 },
  { lr: Number.NaN },
  { eps: -1e-6 },
  { betas: [1, 0.999] },
  { betas: [0.9, 1] },
  { betas: [0.9] },
  { weightDecay: -0.01 },
  { weightDecayRate: 0.01 }, // TF's name; Descent's is weightDecay
  { amsgrad: true },
];

describe('lamb', () => {
  optimizerConformance({ plugin: lamb, invalid, golden: true, config: { lr: 0.01, weightDecay: 0.01 }, stateBytesPerParam: 8 });
});

describe('lamb specifics', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  const norm = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0));

  it('defaults follow tensorflow_addons LAMB: lr 1e-3, betas [0.9, 0.999], eps 1e-6, weightDecay 0', () => {
    expect(lamb.defaults).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-6, weightDecay: 0 });
  });

  it('every tensor moves by exactly lr·‖θ‖ (the trust ratio), whatever the scale of its gradient', () => {
    const rng = new Rng(4);
    const t = lambTransform({ lr: 0.01, weightDecay: 0.1 });
    let params: ParamMap = { a: rng.randomNormal([6, 5]), b: tf.mul(rng.randomNormal([5]), 1e-3) };
    let state = t.init(params);
    for (let k = 0; k < 4; k++) {
      const g = { a: tf.mul(rng.randomNormal([6, 5]), 10 ** (3 - 2 * k)), b: rng.randomNormal([5]) };
      const r = step(t, params, g, state);
      for (const n of ['a', 'b'] as const) {
        const before = params[n].dataSync();
        const after = r.params[n].dataSync();
        const moved = norm(Array.from(after).map((v, i) => v - before[i]));
        expect(moved / (0.01 * norm(before))).toBeCloseTo(1, 4);
      }
      tf.dispose([...Object.values(g), ...Object.values(params)]);
      params = r.params;
      state = r.state;
    }
    tf.dispose([...Object.values(params), ...stateTensors(state)]);
  });

  it('the trust ratio is 1 when ‖θ‖ = 0 (a zero-initialised bias) and no NaN appears when ‖r‖ = 0', () => {
    const t = lambTransform({ lr: 0.5 });
    const p = { b: tf.zeros([3]), w: tf.tensor([1, 2, 3]) };
    // First step: r = m̂/(√v̂ + eps) ≈ sign(g); ratio 1 for b; w has g = 0, so r = 0 and ratio 1.
    const g = { b: tf.tensor([2, -4, 0]), w: tf.zeros([3]) };
    const r = step(t, p, g, t.init(p));
    const b = Array.from(r.params.b.dataSync());
    [-0.5, 0.5, 0].forEach((v, i) => expect(b[i]).toBeCloseTo(v, 5));
    expect(Array.from(r.params.w.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([...Object.values(p), ...Object.values(g), ...Object.values(r.params), ...stateTensors(r.state)]);
  });

  it('the decay sits inside the trust ratio: with zero gradients r = λθ, the ratio 1/λ, so θ ← θ·(1 − lr)', () => {
    const t = lambTransform({ lr: 0.125, weightDecay: 0.5 });
    const p = { w: tf.tensor([2, -4]) };
    const g = { w: tf.zeros([2]) };
    const r = step(t, p, g, t.init(p));
    const v = Array.from(r.params.w.dataSync());
    expect(v[0]).toBeCloseTo(1.75, 6);
    expect(v[1]).toBeCloseTo(-3.5, 6);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('hyperparameters live in state.hyper and can be changed mid-run; 8 bytes of state per parameter', () => {
    const t = lambTransform({ lr: 0.01, betas: [0.8, 0.99] });
    const p = { w: tf.ones([10, 10]) };
    const s = t.init(p);
    expect(s.hyper).toEqual({ lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0 });
    expect(stateBytes(s)).toBe(800);
    setHyperparam(s, 'lr', 0);
    const g = { w: tf.ones([10, 10]) };
    const r = step(t, p, g, s);
    expect(r.params.w.dataSync().every((v) => v === 1)).toBe(true);
    expect(r.state.slots.w.step).toBe(1);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('needs the parameters for the trust ratio, with a clear error', () => {
    const t = lambTransform();
    const p = { w: tf.tensor([1]) };
    const g = { w: tf.tensor([1]) };
    const s = t.init(p);
    expect(() => t.update(g, s)).toThrow(DescentError);
    tf.dispose([p.w, g.w, ...stateTensors(s)]);
  });

  it('ConfigErrors name the offending key; fromConfig rebuilds the optimizer', () => {
    expect(() => lambTransform({ betas: [0.9, 1] })).toThrow(/lamb\.betas\[1\]/);
    expect(() => lambTransform({ eps: -1 })).toThrow(ConfigError);
    const opt = toTfOptimizer(lambTransform({ lr: 2e-3, weightDecay: 0.01 }));
    const rebuilt = TransformOptimizer.fromConfig(TransformOptimizer, opt.getConfig()) as TransformOptimizer;
    expect(rebuilt.transform.spec).toEqual({ id: 'lamb', config: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-6, weightDecay: 0.01 } });
    opt.dispose();
    rebuilt.dispose();
  });
});
