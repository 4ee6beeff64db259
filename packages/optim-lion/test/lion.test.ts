import { describe, it, expect, beforeAll } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { tf, useBackend, step, setHyperparam, toTfOptimizer, stateBytes, stateTensors, DescentError, TransformOptimizer, Rng, type ParamMap, type GradientTransform } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { lion, lionBook, lionTransform, lionBookTransform, type LionState } from '@descent/optim-lion';

const invalid = [
  { lr: -1e-4 },
  { lr: Number.NaN },
  { betas: [1, 0.99] },
  { betas: [0.9, 1] },
  { betas: [-0.1, 0.99] },
  { betas: [0.9] },
  { weightDecay: -0.1 },
  { eps: 1e-8 }, // Lion has no eps
  { beta1: 0.9 }, // betas is a tuple
];

describe('lion', () => {
  optimizerConformance({ plugin: lion, invalid, golden: true, config: { lr: 3e-3, weightDecay: 0.1 }, stateBytesPerParam: 4 });
});

describe("lion-book (the book's Lion)", () => {
  optimizerConformance({ plugin: lionBook, invalid, golden: true, config: { lr: 3e-3, weightDecay: 0.1 }, stateBytesPerParam: 4 });
});

describe('lion specifics', () => {
  let gradSeq: ParamMap[] = [];
  beforeAll(async () => {
    await useBackend('wasm');
    const rng = new Rng(7);
    gradSeq = Array.from({ length: 8 }, () => ({ w: rng.randomNormal([3, 2]), b: rng.randomNormal([2]) }));
  });
  const init = (): ParamMap => ({ w: tf.tensor([[0.5, -1.25], [2, 0.75], [-0.3, 0.1]]), b: tf.tensor([0.1, -0.2]) });

  function runSteps(t: GradientTransform<LionState>, grads: ParamMap[], between?: (k: number, s: LionState) => void) {
    let params = init();
    let state = t.init(params);
    grads.forEach((g, k) => {
      between?.(k, state);
      const r = step(t, params, g, state);
      tf.dispose(Object.values(params));
      params = r.params;
      state = r.state;
    });
    const out = Object.fromEntries(Object.entries(params).map(([n, p]) => [n, Array.from(p.dataSync())]));
    tf.dispose([...Object.values(params), ...stateTensors(state)]);
    return out;
  }

  it('defaults follow the official code: lr 1e-4, betas [0.9, 0.99], weightDecay 0', () => {
    expect(lion.defaults).toEqual({ lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0 });
    expect(lionBook.defaults).toEqual({ lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0 });
  });

  // The 1e-30 entry guards against tf.sign on the wasm backend, which returns 0 for |x| ≤ 2⁻²³.
  it('moves every entry by exactly ±lr or 0: the first step is −lr·sign(g), however small g is', () => {
    const t = lionTransform({ lr: 2 ** -6 });
    const p = { w: tf.tensor([1, 1, 1, 1]) };
    const g = { w: tf.tensor([3, -0.002, 0, 1e-30]) };
    const r = step(t, p, g, t.init(p));
    expect(Array.from(r.params.w.dataSync())).toEqual([1 - 2 ** -6, 1 + 2 ** -6, 1, 1 - 2 ** -6]);
    // m ← (1 − β2)·g
    const m = Array.from(r.state.slots.w.expAvg.dataSync());
    expect(m[0]).toBeCloseTo(0.03, 7);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('the direction interpolates with β1 while the momentum decays with β2', () => {
    // m = 0.01·10 = 0.1 after step 1; step 2 with g = −0.5: c = 0.9·0.1 + 0.1·(−0.5) = 0.04 > 0, so
    // the parameter still decreases although the gradient turned; m = 0.99·0.1 − 0.005 = 0.094.
    const t = lionTransform({ lr: 0.25 });
    const p = { w: tf.tensor([0]) };
    const r1 = step(t, p, { w: tf.tensor([10]) }, t.init(p));
    const g2 = { w: tf.tensor([-0.5]) };
    const r2 = step(t, r1.params, g2, r1.state);
    expect(r2.params.w.dataSync()[0]).toBe(-0.5);
    expect(r2.state.slots.w.expAvg.dataSync()[0]).toBeCloseTo(0.094, 7);
    tf.dispose([p.w, g2.w, r1.params.w, r2.params.w, ...stateTensors(r2.state)]);
  });

  it('decouples the weight decay: with zero gradients θ ← θ·(1 − lr·λ) each step', () => {
    const t = lionTransform({ lr: 0.1, weightDecay: 0.5 });
    let params: ParamMap = { w: tf.tensor([2, -4]) };
    let state = t.init(params);
    for (let k = 0; k < 3; k++) {
      const g = { w: tf.zeros([2]) };
      const r = step(t, params, g, state);
      tf.dispose([g.w, ...Object.values(params)]);
      params = r.params;
      state = r.state;
    }
    const f = Math.fround(0.95);
    expect(Array.from(params.w.dataSync())).toEqual([Math.fround(Math.fround(Math.fround(2 * f) * f) * f), Math.fround(Math.fround(Math.fround(-4 * f) * f) * f)]);
    tf.dispose([...Object.values(params), ...stateTensors(state)]);
  });

  it("lion-book adds the decay to the gradient: with zero gradients it steps −lr·sign(θ), not θ·(1 − lr·λ)", () => {
    const t = lionBookTransform({ lr: 0.125, weightDecay: 0.5 });
    const p = { w: tf.tensor([2, -4]) };
    const g = { w: tf.zeros([2]) };
    const r = step(t, p, g, t.init(p));
    expect(Array.from(r.params.w.dataSync())).toEqual([1.875, -3.875]);
    // The decay enters the momentum: m = (1 − β2)·λθ.
    const m = Array.from(r.state.slots.w.expAvg.dataSync());
    expect(m[0]).toBeCloseTo(0.01, 7);
    expect(m[1]).toBeCloseTo(-0.02, 7);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('lion-book equals lion bit for bit without weight decay, and differs with it', () => {
    expect(runSteps(lionBookTransform({ lr: 0.01 }), gradSeq)).toEqual(runSteps(lionTransform({ lr: 0.01 }), gradSeq));
    expect(runSteps(lionBookTransform({ lr: 0.01, weightDecay: 0.5 }), gradSeq)).not.toEqual(runSteps(lionTransform({ lr: 0.01, weightDecay: 0.5 }), gradSeq));
  });

  it('hyperparameters live in state.hyper (β as beta1/beta2) and can be changed mid-run', () => {
    const t = lionTransform({ lr: 0.01, betas: [0.8, 0.95], weightDecay: 0.1 });
    const s = t.init({ w: tf.tensor([1]) });
    expect(s.hyper).toEqual({ lr: 0.01, beta1: 0.8, beta2: 0.95, weightDecay: 0.1 });
    tf.dispose(stateTensors(s));
    const changed = runSteps(lionTransform({ lr: 0.01 }), gradSeq, (k, st) => k === 4 && setHyperparam(st, 'lr', 0));
    const frozen = runSteps(lionTransform({ lr: 0.01 }), gradSeq.slice(0, 4));
    expect(changed).toEqual(frozen);
  });

  it('holds 4 bytes of state per parameter (the momentum only)', () => {
    for (const t of [lionTransform(), lionBookTransform()]) {
      const s = t.init({ w: tf.zeros([10, 10]) });
      expect(stateBytes(s)).toBe(400);
      tf.dispose(stateTensors(s));
    }
  });

  it('weight decay without the parameters fails with a clear error', () => {
    for (const t of [lionTransform({ weightDecay: 0.1 }), lionBookTransform({ weightDecay: 0.1 })]) {
      const p = { w: tf.tensor([1]) };
      const g = { w: tf.tensor([1]) };
      const s = t.init(p);
      expect(() => t.update(g, s)).toThrow(DescentError);
      tf.dispose([p.w, g.w, ...stateTensors(s)]);
    }
  });

  it('ConfigErrors name the offending entry of betas', () => {
    expect(() => lionTransform({ betas: [0.9, 1] })).toThrow(ConfigError);
    expect(() => lionTransform({ betas: [0.9, 1] })).toThrow(/lion\.betas\[1\]/);
  });

  it('an optimizer saved with its config is rebuilt by fromConfig', () => {
    const opt = toTfOptimizer(lionBookTransform({ lr: 3e-4, weightDecay: 0.01 }));
    const rebuilt = TransformOptimizer.fromConfig(TransformOptimizer, opt.getConfig()) as TransformOptimizer;
    expect(rebuilt.transform.spec).toEqual({ id: 'lion-book', config: { lr: 3e-4, betas: [0.9, 0.99], weightDecay: 0.01 } });
    opt.dispose();
    rebuilt.dispose();
  });
});
