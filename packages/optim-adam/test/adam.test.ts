import { describe, it, expect, beforeAll } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { tf, useBackend, step, setHyperparam, stateBytes, stateTensors, DescentError, Rng, type ParamMap, type GradientTransform } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { adam, adamw, adamTransform, adamwTransform, type AdamState } from '@descent/optim-adam';

// The generic checks save the state mid-run and expect the restored run to continue bit for bit.
// @descent/tensor's flattenState stores the numbers of a state tree (state.hyper) as float32, so
// these configs use float32-representable hyperparameters (2^-k, 1 − 2^-k): β2 = 0.999 would come
// back as 0.99900001 and change 1 − β2 by 1e-5 (relative) after the restore.
const f32 = { lr: 2 ** -7, betas: [0.875, 1 - 2 ** -10] as [number, number], eps: 2 ** -27 };

const invalid = [
  { lr: -1e-3 },
  { lr: Number.NaN },
  { eps: -1e-8 },
  { betas: [1, 0.999] },
  { betas: [0.9, 1] },
  { betas: [-0.1, 0.999] },
  { betas: [0.9] },
  { betas: [0.9, 0.99, 0.999] },
  { weightDecay: -0.01 },
  { amsgrad: 'yes' },
  { foreach: false }, // not a hyperparameter
  { beta1: 0.9 }, // betas is a tuple
];

describe('adam', () => {
  optimizerConformance({ plugin: adam, invalid, golden: true, config: { ...f32, weightDecay: 2 ** -8 }, stateBytesPerParam: 8 });
  describe('with AMSGrad', () => {
    optimizerConformance({ plugin: adam, invalid: [{ amsgrad: 1 }], config: { ...f32, amsgrad: true }, stateBytesPerParam: 12 });
  });
});

describe('adamw', () => {
  optimizerConformance({ plugin: adamw, invalid, golden: true, config: { ...f32, weightDecay: 2 ** -6 }, stateBytesPerParam: 8 });
  describe('with AMSGrad', () => {
    optimizerConformance({ plugin: adamw, invalid: [{ amsgrad: 1 }], config: { ...f32, amsgrad: true }, stateBytesPerParam: 12 });
  });
});

describe('adam specifics', () => {
  let gradSeq: ParamMap[] = [];
  beforeAll(async () => {
    await useBackend('wasm');
    const rng = new Rng(7);
    gradSeq = Array.from({ length: 8 }, () => ({ w: rng.randomNormal([3, 2]), b: rng.randomNormal([2]) }));
  });
  const init = (): ParamMap => ({ w: tf.tensor([[0.5, -1.25], [2, 0.75], [-0.3, 0.1]]), b: tf.tensor([0.1, -0.2]) });

  function runSteps(t: GradientTransform<AdamState>, grads: ParamMap[], between?: (k: number, s: AdamState) => void) {
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

  it("defaults follow torch: Adam weightDecay 0, AdamW weightDecay 0.01", () => {
    expect(adam.defaults).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
    expect(adamw.defaults).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, amsgrad: false, maximize: false });
  });

  it('the first step is −lr·sign(g) up to eps (bias correction)', () => {
    const t = adamTransform({ lr: 0.1 });
    const p = { w: tf.tensor([1, 1, 1, 1]) };
    const g = { w: tf.tensor([3, -0.002, 0, 1e-8]) };
    const r = step(t, p, g, t.init(p));
    const v = Array.from(r.params.w.dataSync());
    expect(v[0]).toBeCloseTo(0.9, 6);
    expect(v[1]).toBeCloseTo(1.1, 6);
    expect(v[2]).toBe(1); // a zero gradient never moves the parameter: 0 / (0 + eps)
    expect(v[3]).toBeCloseTo(0.95, 6); // g = eps: −lr·g/(|g| + eps) = −lr/2
    expect(r.state.slots.w.step).toBe(1);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('keeps the step count per parameter, like torch (a parameter without a gradient keeps its count)', () => {
    const t = adamTransform();
    const p: ParamMap = { a: tf.tensor([1]), b: tf.tensor([2]) };
    const r1 = step(t, p, { a: tf.tensor([1]), b: tf.tensor([1]) }, t.init(p));
    const r2 = step(t, r1.params, { a: tf.tensor([1]) }, r1.state);
    expect(r2.state.slots.a.step).toBe(2);
    expect(r2.state.slots.b.step).toBe(1);
    expect(r2.params.b.dataSync()[0]).toBe(r1.params.b.dataSync()[0]);
    tf.dispose([...Object.values(p), ...Object.values(r1.params), ...Object.values(r2.params), ...stateTensors(r2.state)]);
  });

  it('maximize equals minimizing the negated gradient, bit for bit', () => {
    const neg = gradSeq.map((g) => ({ w: tf.neg(g.w), b: tf.neg(g.b) }));
    expect(runSteps(adamTransform({ lr: 0.01, maximize: true }), gradSeq)).toEqual(runSteps(adamTransform({ lr: 0.01 }), neg));
    expect(runSteps(adamwTransform({ lr: 0.01, maximize: true, amsgrad: true }), gradSeq)).toEqual(runSteps(adamwTransform({ lr: 0.01, amsgrad: true }), neg));
    neg.forEach((g) => tf.dispose(Object.values(g)));
  });

  it('AMSGrad keeps the running maximum of v and never steps further than Adam would with that maximum', () => {
    const t = adamTransform({ lr: 0.01, amsgrad: true });
    const p = { w: tf.tensor([0, 0]) };
    let params: ParamMap = p;
    let state = t.init(p);
    for (const g of [[10, 1], [0.1, 1], [0.1, 1]]) {
      const gt = { w: tf.tensor(g) };
      const r = step(t, params, gt, state);
      if (params !== p) tf.dispose(Object.values(params));
      tf.dispose(gt.w);
      params = r.params;
      state = r.state;
    }
    const v = Array.from(state.slots.w.expAvgSq.dataSync());
    const vmax = Array.from(state.slots.w.maxExpAvgSq!.dataSync());
    // v of the first entry decayed after the large first gradient; the maximum kept it.
    expect(vmax[0]).toBeGreaterThan(v[0]);
    expect(vmax[0]).toBeCloseTo(0.001 * 100, 6);
    expect(vmax[1]).toBe(v[1]);
    tf.dispose([p.w, ...Object.values(params), ...stateTensors(state)]);
  });

  it('AdamW decays the parameters themselves: with zero gradients θ ← θ·(1 − lr·λ) each step', () => {
    const t = adamwTransform({ lr: 0.1, weightDecay: 0.5 });
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

  it('Adam weight decay is coupled (enters the moments), AdamW decay is not', () => {
    const coupled = adamTransform({ lr: 0.1, weightDecay: 0.5 });
    const p = { w: tf.tensor([2]) };
    const g = { w: tf.tensor([0]) };
    const r = step(coupled, p, g, coupled.init(p));
    // g + λθ = 1 enters m: the first step is −lr·sign(1) = −0.1.
    expect(r.params.w.dataSync()[0]).toBeCloseTo(1.9, 6);
    expect(r.state.slots.w.expAvg.dataSync()[0]).toBeCloseTo(0.1, 7);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('hyperparameters live in state.hyper (β as beta1/beta2) and can be changed mid-run', () => {
    const t = adamTransform({ lr: 0.01, betas: [0.8, 0.99] });
    const s = t.init({ w: tf.tensor([1]) });
    expect(s.hyper).toEqual({ lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-8, weightDecay: 0 });
    tf.dispose(stateTensors(s));
    // Changing lr after 4 steps equals two runs glued together.
    const changed = runSteps(adamTransform({ lr: 0.01 }), gradSeq, (k, st) => k === 4 && setHyperparam(st, 'lr', 0));
    const frozen = runSteps(adamTransform({ lr: 0.01 }), gradSeq.slice(0, 4));
    expect(changed).toEqual(frozen);
  });

  it('holds state only as needed: 8 bytes per parameter, 12 with AMSGrad', () => {
    for (const [t, bytes] of [[adamTransform(), 8], [adamTransform({ amsgrad: true }), 12], [adamwTransform(), 8]] as const) {
      const s = t.init({ w: tf.zeros([10, 10]) });
      expect(stateBytes(s)).toBe(100 * bytes);
      tf.dispose(stateTensors(s));
    }
  });

  it('weight decay without the parameters fails with a clear error', () => {
    for (const t of [adamTransform({ weightDecay: 0.1 }), adamwTransform()]) {
      const p = { w: tf.tensor([1]) };
      const g = { w: tf.tensor([1]) };
      const s = t.init(p);
      expect(() => t.update(g, s)).toThrow(DescentError);
      tf.dispose([p.w, g.w, ...stateTensors(s)]);
    }
  });

  it('ConfigErrors name the offending entry of betas', () => {
    expect(() => adamTransform({ betas: [0.9, 1] })).toThrow(ConfigError);
    expect(() => adamTransform({ betas: [0.9, 1] })).toThrow(/adam\.betas\[1\]/);
  });
});
