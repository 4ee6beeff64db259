import { describe, it, expect, beforeAll } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { tf, useBackend, step, setHyperparam, toTfOptimizer, stateBytes, stateTensors, DescentError, TransformOptimizer, type ParamMap, type GradientTransform } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { adabelief, adabeliefTransform, type AdaBeliefState } from '@descent/optim-adabelief';

const invalid = [
  { lr: -1e-3 },
  { eps: -1e-16 },
  { betas: [1, 0.999] },
  { betas: [0.9, 1] },
  { betas: [0.9] },
  { weightDecay: -0.1 },
  { rectify: 1 },
  { weightDecouple: 'true' },
  { decoupled: true }, // the option is weightDecouple, the official name
  { printChangeLog: false },
];

describe('adabelief', () => {
  optimizerConformance({ plugin: adabelief, invalid, golden: true, config: { lr: 0.01, weightDecay: 0.01 }, stateBytesPerParam: 8 });
  describe('with AMSGrad', () => {
    optimizerConformance({ plugin: adabelief, invalid: [{ amsgrad: 1 }], config: { lr: 0.01, amsgrad: true }, stateBytesPerParam: 12 });
  });
  describe('rectified, coupled decay', () => {
    optimizerConformance({ plugin: adabelief, invalid: [{ fixedDecay: 0 }], config: { lr: 0.01, rectify: true, weightDecouple: false, weightDecay: 0.01 }, stateBytesPerParam: 8 });
  });
});

describe('adabelief specifics', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  function run(t: GradientTransform<AdaBeliefState>, p0: number[], grads: number[][]) {
    let params: ParamMap = { w: tf.tensor(p0) };
    let state = t.init(params);
    const path: number[][] = [];
    for (const g of grads) {
      const gt = { w: tf.tensor(g) };
      const r = step(t, params, gt, state);
      tf.dispose([gt.w, params.w]);
      params = r.params;
      state = r.state;
      path.push(Array.from(params.w.dataSync()));
    }
    const s = Array.from(state.slots.w.expAvgVar.dataSync());
    tf.dispose([params.w, ...stateTensors(state)]);
    return { path, s };
  }

  it('defaults: adabelief-pytorch 0.2.0 (eps 1e-16, weightDecouple true), except rectify false (0.2.0: true)', () => {
    expect(adabelief.defaults).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-16, weightDecay: 0, amsgrad: false, weightDecouple: true, fixedDecay: false, rectify: false, degeneratedToSgd: true });
  });

  it('the first step is −lr·sign(g)/(1 − β1) = −1.11·lr: the belief (g − m)² = 0.81·g² sees a surprising gradient', () => {
    const { path } = run(adabeliefTransform({ lr: 0.01 }), [1, 1, 1], [[3, -1e-3, 0]]);
    expect(path[0][0]).toBeCloseTo(1 - 0.01 / 0.9, 6);
    expect(path[0][1]).toBeCloseTo(1 + 0.01 / 0.9, 6);
    expect(path[0][2]).toBe(1);
  });

  it('a steady gradient earns larger steps (small belief) than a noisy one with the same mean', () => {
    const steady = run(adabeliefTransform({ lr: 0.01 }), [0], Array.from({ length: 20 }, () => [1])).path.at(-1)![0];
    const noisy = run(adabeliefTransform({ lr: 0.01 }), [0], Array.from({ length: 20 }, (_, i) => [i % 2 ? 0.2 : 1.8])).path.at(-1)![0];
    // Measured: 0.33 against 0.21 after 20 steps.
    expect(-steady).toBeGreaterThan(1.5 * -noisy);
  });

  it('eps enters the stored belief at every step, as the official in-place add_', () => {
    const { s } = run(adabeliefTransform({ eps: 2 ** -40 }), [1], [[0], [0], [0]]);
    // s = eps·(1 + β2 + β2²) with g = 0 throughout.
    expect(s[0] / 2 ** -40).toBeCloseTo(1 + 0.999 + 0.999 ** 2, 5);
  });

  it('weight decay: decoupled θ·(1 − lr·λ), fixed θ·(1 − λ), or coupled (in m and s)', () => {
    const dec = run(adabeliefTransform({ lr: 0.1, weightDecay: 0.5 }), [2], [[0]]).path[0][0];
    expect(dec).toBe(Math.fround(2 * Math.fround(0.95)));
    const fixed = run(adabeliefTransform({ lr: 0.1, weightDecay: 0.25, fixedDecay: true }), [2], [[0]]).path[0][0];
    expect(fixed).toBe(1.5);
    // Coupled: g = λθ = 1 enters the moments, so the first step is −lr/0.9 (the sign step above).
    const coupled = run(adabeliefTransform({ lr: 0.1, weightDecay: 0.5, weightDecouple: false }), [2], [[0]]).path[0][0];
    expect(coupled).toBeCloseTo(2 - 0.1 / 0.9, 6);
  });

  it('rectify: SGD-with-momentum steps while ρt < 5 (or none without degeneratedToSgd), adaptive ones after', () => {
    const grads = Array.from({ length: 8 }, () => [2]);
    const sgd = run(adabeliefTransform({ lr: 0.01, rectify: true, betas: [0.9, 0.99] }), [0], grads).path;
    // Step 1: −lr/(1 − β1)·m = −lr·g.
    expect(sgd[0][0]).toBeCloseTo(-0.02, 7);
    const none = run(adabeliefTransform({ lr: 0.01, rectify: true, degeneratedToSgd: false, betas: [0.9, 0.99] }), [0], grads).path;
    // ρt ≥ 5 from step 6 with β2 = 0.99: nothing moves before.
    expect(none.slice(0, 5).every((p) => p[0] === 0)).toBe(true);
    expect(none[5][0]).toBeLessThan(0);
  });

  it('hyperparameters live in state.hyper and can be changed mid-run; 8 bytes of state per parameter, 12 with AMSGrad', () => {
    const t = adabeliefTransform({ lr: 0.01 });
    const p = { w: tf.ones([10, 10]) };
    const s = t.init(p);
    expect(s.hyper).toEqual({ lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-16, weightDecay: 0 });
    expect(stateBytes(s)).toBe(800);
    setHyperparam(s, 'lr', 0);
    const g = { w: tf.ones([10, 10]) };
    const r = step(t, p, g, s);
    expect(r.params.w.dataSync().every((v) => v === 1)).toBe(true);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
    const a = adabeliefTransform({ amsgrad: true }).init({ w: tf.zeros([10, 10]) });
    expect(stateBytes(a)).toBe(1200);
    tf.dispose(stateTensors(a));
  });

  it('weight decay without the parameters fails with a clear error; ConfigErrors name the key', () => {
    const t = adabeliefTransform({ weightDecay: 0.1 });
    const p = { w: tf.tensor([1]) };
    const g = { w: tf.tensor([1]) };
    const s = t.init(p);
    expect(() => t.update(g, s)).toThrow(DescentError);
    tf.dispose([p.w, g.w, ...stateTensors(s)]);
    expect(() => adabeliefTransform({ betas: [0.9, 1] })).toThrow(/adabelief\.betas\[1\]/);
    expect(() => adabeliefTransform({ eps: -1 })).toThrow(ConfigError);
  });

  it('an optimizer saved with its config is rebuilt by fromConfig', () => {
    const opt = toTfOptimizer(adabeliefTransform({ rectify: true, weightDecay: 0.01 }));
    const rebuilt = TransformOptimizer.fromConfig(TransformOptimizer, opt.getConfig()) as TransformOptimizer;
    expect(rebuilt.transform.spec).toEqual({ id: 'adabelief', config: { ...adabelief.defaults, rectify: true, weightDecay: 0.01 } });
    opt.dispose();
    rebuilt.dispose();
  });
});
