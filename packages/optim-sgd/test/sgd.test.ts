import { describe, it, expect, beforeAll } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { tf, useBackend, step, setHyperparam, toTfOptimizer, stateBytes, stateTensors, DescentError, TransformOptimizer, Rng, type ParamMap } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { sgd, sgdBook, sgdTransform, sgdBookTransform, type SgdState } from '@descent/optim-sgd';

// The generic checks save the state mid-run and expect the restored run to continue bit for bit.
// @descent/tensor's flattenState stores the numbers of a state tree (state.hyper) as float32, so
// their configs use float32-representable hyperparameters (2^-k, 1 − 2^-k): a value like 0.9
// would come back as 0.8999999762 and change 1 − m in the last digits after the restore.
const invalid = [
  { lr: -1 },
  { lr: Number.NaN },
  { lr: Number.POSITIVE_INFINITY },
  { lr: '0.1' },
  { momentum: -0.1 },
  { weightDecay: -1e-4 },
  { nesterov: true }, // needs momentum > 0
  { nesterov: true, momentum: 0.9, dampening: 0.1 }, // needs dampening = 0
  { nesterov: 1 },
  { foreach: true }, // not a hyperparameter
  { betas: [0.9, 0.999] },
];

describe('sgd', () => {
  describe('with momentum (state: the momentum buffer)', () => {
    optimizerConformance({ plugin: sgd, invalid, golden: true, config: { lr: 0.015625, momentum: 0.875, weightDecay: 0.0078125 }, stateBytesPerParam: 4 });
  });
  describe('without momentum (no state)', () => {
    optimizerConformance({ plugin: sgd, invalid: [{ lr: -1 }], config: { lr: 0.015625 }, stateBytesPerParam: 0 });
  });
  describe('with Nesterov momentum', () => {
    optimizerConformance({ plugin: sgd, invalid: [{ nesterov: true, momentum: 0 }], config: { lr: 0.015625, momentum: 0.875, nesterov: true }, stateBytesPerParam: 4 });
  });
});

describe('sgd-book (the book\'s SGD)', () => {
  optimizerConformance({
    plugin: sgdBook,
    invalid: [{ lr: -1 }, { momentum: -0.5 }, { momentum: 1.5 }, { dampening: 0.5 }, { nesterov: true }, { weightDecay: 0.1 }],
    golden: true,
    config: { lr: 0.015625, momentum: 0.875 },
    stateBytesPerParam: 4,
  });
});

describe('sgd specifics', () => {
  let gradSeq: ParamMap[] = [];
  beforeAll(async () => {
    await useBackend('wasm');
    const rng = new Rng(42);
    gradSeq = Array.from({ length: 6 }, () => ({ w: rng.randomNormal([2, 2]), b: rng.randomNormal([2]) }));
  });

  const init = (): ParamMap => ({ w: tf.tensor([[0.5, -1.25], [2, 0.75]]), b: tf.tensor([0.1, -0.2]) });

  function runSteps(transform: ReturnType<typeof sgdTransform> | ReturnType<typeof sgdBookTransform>, grads: ParamMap[], between?: (k: number, state: SgdState) => void) {
    let params = init();
    let state = transform.init(params) as SgdState;
    grads.forEach((g, k) => {
      between?.(k, state);
      const r = step(transform as never, params, g, state);
      tf.dispose(Object.values(params));
      params = r.params;
      state = r.state as SgdState;
    });
    const out = Object.fromEntries(Object.entries(params).map(([n, t]) => [n, Array.from(t.dataSync())]));
    tf.dispose(Object.values(params));
    tf.dispose(stateTensors(state));
    return out;
  }

  it('defaults follow torch.optim.SGD (lr 1e-3, as torch ≥ 2.2; torch 1.13 has no default)', () => {
    expect(sgd.defaults).toEqual({ lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    expect(sgdBook.defaults).toEqual({ lr: 1e-3, momentum: 0, maximize: false });
  });

  it('plain SGD: θ ← θ − lr·g exactly', () => {
    const t = sgdTransform({ lr: 0.5 });
    const p = { w: tf.tensor([1, 2, 3]) };
    const g = { w: tf.tensor([0.5, -1, 0]) };
    const r = step(t, p, g, t.init(p));
    expect(Array.from(r.params.w.dataSync())).toEqual([0.75, 2.5, 3]);
    expect(stateBytes(r.state)).toBe(0);
    tf.dispose([p.w, g.w, r.params.w]);
  });

  it('momentum: the first step copies the gradient into the buffer, later steps use μ·b + (1 − τ)·g (torch)', () => {
    const t = sgdTransform({ lr: 1, momentum: 0.5, dampening: 0.5 });
    let p: ParamMap = { w: tf.tensor([0]) };
    let s = t.init(p);
    const seen: number[] = [];
    for (const g of [4, 4, 4]) {
      const gt = { w: tf.tensor([g]) };
      const r = step(t, p, gt, s);
      seen.push(r.params.w.dataSync()[0]);
      tf.dispose([p.w, gt.w]);
      p = r.params;
      s = r.state;
    }
    // b = 4, then 0.5·4 + 0.5·4 = 4, then 4: θ = −4, −8, −12.
    expect(seen).toEqual([-4, -8, -12]);
    tf.dispose([p.w, ...stateTensors(s)]);
  });

  it('Nesterov: steps along g + μ·b', () => {
    const t = sgdTransform({ lr: 1, momentum: 0.5, nesterov: true });
    const p = { w: tf.tensor([0]) };
    const g = { w: tf.tensor([2]) };
    const r1 = step(t, p, g, t.init(p)); // b = 2, step g + 0.5·b = 3
    expect(r1.params.w.dataSync()[0]).toBe(-3);
    const r2 = step(t, r1.params, g, r1.state); // b = 0.5·2 + 2 = 3, step 2 + 1.5 = 3.5
    expect(r2.params.w.dataSync()[0]).toBe(-6.5);
    tf.dispose([p.w, g.w, r1.params.w, r2.params.w, ...stateTensors(r2.state)]);
  });

  it('maximize equals minimizing the negated gradient', () => {
    const a = runSteps(sgdTransform({ lr: 0.1, momentum: 0.9, weightDecay: 0.01, maximize: true }), gradSeq);
    const neg = gradSeq.map((g) => ({ w: tf.neg(g.w), b: tf.neg(g.b) }));
    // Maximizing f with decay λ is minimizing −f with decay −λ: compare the plain (λ = 0) case exactly.
    const c = runSteps(sgdTransform({ lr: 0.1, momentum: 0.9, maximize: true }), gradSeq);
    const d = runSteps(sgdTransform({ lr: 0.1, momentum: 0.9 }), neg);
    expect(c).toEqual(d);
    expect(a.w).not.toEqual(c.w);
    neg.forEach((g) => tf.dispose(Object.values(g)));
  });

  it('hyperparameters live in state.hyper and can be changed mid-run (lr = 0 freezes the parameters)', () => {
    const t = sgdTransform({ lr: 0.1, momentum: 0.9 });
    const p = { w: tf.tensor([1, 2]) };
    const g = { w: tf.tensor([1, 1]) };
    const s0 = t.init(p);
    expect(s0.hyper).toEqual({ lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0 });
    expect(setHyperparam(s0, 'lr', 0)).toBe(1);
    const r = step(t, p, g, s0);
    expect(Array.from(r.params.w.dataSync())).toEqual([1, 2]);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('momentum switched on mid-run starts the buffer from the current gradient, as torch does', () => {
    const t = sgdTransform({ lr: 1 });
    const p = { w: tf.tensor([0]) };
    const g = { w: tf.tensor([2]) };
    const r1 = step(t, p, g, t.init(p));
    expect(r1.state.slots.w.momentumBuffer).toBeUndefined();
    setHyperparam(r1.state, 'momentum', 0.5);
    const r2 = step(t, r1.params, g, r1.state); // b = g = 2
    expect(r2.params.w.dataSync()[0]).toBe(-4);
    const r3 = step(t, r2.params, g, r2.state); // b = 0.5·2 + 2 = 3
    expect(r3.params.w.dataSync()[0]).toBe(-7);
    expect(stateBytes(r3.state)).toBe(4);
    tf.dispose([p.w, g.w, r1.params.w, r2.params.w, r3.params.w, ...stateTensors(r3.state)]);
  });

  it('weight decay without the parameters fails with a clear error', () => {
    const t = sgdTransform({ weightDecay: 0.1 });
    const p = { w: tf.tensor([1]) };
    const g = { w: tf.tensor([1]) };
    const s = t.init(p);
    expect(() => t.update(g, s)).toThrow(DescentError);
    expect(() => t.update(g, s)).toThrow(/weight decay needs the value of "w"/);
    tf.dispose([p.w, g.w]);
  });

  it('rejects Nesterov without momentum with a ConfigError naming the key', () => {
    expect(() => sgdTransform({ nesterov: true })).toThrow(ConfigError);
    expect(() => sgdTransform({ nesterov: true })).toThrow(/sgd\.nesterov/);
    expect(() => sgdTransform({ nesterov: true, momentum: 0.9 })).not.toThrow();
  });

  it('sgd-book equals sgd with dampening = momentum, bit for bit', () => {
    const a = runSteps(sgdBookTransform({ lr: 0.1, momentum: 0.9 }), gradSeq);
    const b = runSteps(sgdTransform({ lr: 0.1, momentum: 0.9, dampening: 0.9 }), gradSeq);
    expect(a).toEqual(b);
    const c = runSteps(sgdTransform({ lr: 0.1, momentum: 0.9 }), gradSeq);
    expect(a).not.toEqual(c);
  });

  it('an optimizer saved with its config is rebuilt by fromConfig with the same hyperparameters', () => {
    const opt = toTfOptimizer(sgdTransform({ lr: 0.25, momentum: 0.5, nesterov: true }));
    const rebuilt = TransformOptimizer.fromConfig(TransformOptimizer, opt.getConfig()) as TransformOptimizer;
    expect(rebuilt.transform.spec).toEqual({ id: 'sgd', config: { lr: 0.25, momentum: 0.5, dampening: 0, weightDecay: 0, nesterov: true, maximize: false } });
    opt.dispose();
    rebuilt.dispose();
  });
});
