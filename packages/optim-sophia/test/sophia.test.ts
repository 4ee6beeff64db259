import { describe, it, expect, beforeAll } from 'vitest';
import { optimizerConformance, loadFixture, assertClose, toyClassification, toyMlp, type GoldenTrajectory } from '@descent/testkit';
import { tf, useBackend, step, setHyperparam, toTfOptimizer, stateBytes, stateTensors, mapParams, paramsOf, DescentError, InvalidParameterError, TransformOptimizer, Rng, type ParamMap, type GradientTransform } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { gaussNewtonBartlett, hutchinsonDiagonal, modelProblem } from '@descent/hessian';
import { train, type Batch, type HessianSchedule } from '@descent/train';
import { sophia, sophiaBook, sophiaTransform, sophiaBookTransform, sophiaEstimator, type SophiaState } from '@descent/optim-sophia';

/** A sophia fixture case: the standard format plus the estimate passed with each step (null: none). */
type SophiaGolden = GoldenTrajectory & { hessianDiag: Array<Record<string, number[]> | null> };

const tensors = (values: Record<string, number[]>, shapes: GoldenTrajectory['params']): ParamMap =>
  Object.fromEntries(Object.entries(values).map(([n, v]) => [n, tf.tensor(v, shapes[n].shape, 'float32')]));

// A positive random estimate every step, so the generic checks (save/restore, leaks) cover the refresh.
const positiveEstimate = (params: ParamMap, rng: Rng) => ({ hessianDiag: mapParams(params, (p) => rng.randomUniform(p.shape, 0, 0.01)) });

const invalid = [
  { lr: -1e-4 },
  { betas: [1, 0.99] },
  { betas: [0.965] },
  { rho: -0.04 },
  { batchSize: 0 },
  { weightDecay: -0.1 },
  { k: 0 },
  { k: 2.5 },
  { eps: 0 },
  { maximize: 'no' },
  { bs: 5120 }, // the option is batchSize
  { gamma: 0.01 }, // the old name of rho
];

describe('sophia', () => {
  optimizerConformance({ plugin: sophia, invalid, config: { lr: 3e-3, batchSize: 8, rho: 0.05 }, extras: positiveEstimate, stateBytesPerParam: 8 });

  describe('matches the reference trajectories (tools/golden/fixtures/optim/sophia.json, with Hessian estimates)', () => {
    beforeAll(async () => {
      await useBackend('wasm');
    });
    const cases = loadFixture<{ cases: SophiaGolden[] }>('optim', 'sophia').cases;
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      expect(c.hessianDiag).toHaveLength(c.grads.length);
      expect(c.hessianDiag.filter(Boolean).length).toBeGreaterThan(1);
      const transform = sophia.create(c.config);
      let params = tensors(Object.fromEntries(Object.entries(c.params).map(([n, t]) => [n, t.values])), c.params);
      let state = transform.init(params);
      for (let i = 0; i < c.grads.length; i++) {
        const grads = tensors(c.grads[i], c.params);
        const est = c.hessianDiag[i];
        const hessianDiag = est ? tensors(est, c.params) : undefined;
        const r = step(transform, params, grads, state, hessianDiag ? { hessianDiag } : undefined);
        tf.dispose([...Object.values(grads), ...Object.values(params), ...Object.values(hessianDiag ?? {})]);
        params = r.params;
        state = r.state;
        for (const name of Object.keys(params)) assertClose(params[name].dataSync(), c.expected[i][name], { rtol: 1e-4, atol: 1e-6, label: `${c.name}, step ${i + 1}, ${name}` });
      }
      tf.dispose([...Object.values(params), ...stateTensors(state)]);
    });
  });
});

describe("sophia-book (the book's Sophia)", () => {
  optimizerConformance({
    plugin: sophiaBook,
    invalid: [{ lr: -1 }, { rho: -1 }, { k: 0 }, { batchSize: 64 }, { eps: 1e-8 }, { maximize: true }],
    golden: true,
    config: { lr: 3e-3, k: 3, weightDecay: 0.01 },
    stateBytesPerParam: 8,
  });
});

describe('sophia specifics', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  const one = (t: GradientTransform<any>, p: ParamMap, g: ParamMap, s: any, extras?: Record<string, unknown>) => {
    const r = step(t, p, g, s, extras as never);
    return r;
  };

  it('defaults follow the official SophiaG (and the book for sophia-book)', () => {
    expect(sophia.defaults).toEqual({ lr: 1e-4, betas: [0.965, 0.99], rho: 0.04, batchSize: 5120, weightDecay: 0.1, k: 10, eps: 1e-15, maximize: false });
    expect(sophiaBook.defaults).toEqual({ lr: 1e-3, betas: [0.965, 0.99], rho: 0.04, weightDecay: 0, k: 10 });
  });

  it('before any estimate h = 0 and every entry steps by −lr·sign(m), however small m is', () => {
    const t = sophiaTransform({ lr: 2 ** -6, weightDecay: 0 });
    const p = { w: tf.tensor([1, 1, 1, 1]) };
    const g = { w: tf.tensor([3, -0.002, 0, 1e-12]) };
    const r = one(t, p, g, t.init(p));
    expect(Array.from(r.params.w.dataSync())).toEqual([1 - 2 ** -6, 1 + 2 ** -6, 1, 1 - 2 ** -6]);
    expect(Array.from(r.state.slots.w.hessian.dataSync())).toEqual([0, 0, 0, 0]);
    expect(r.state.slots.w.step).toBe(1);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('refreshes h ← β2·h + (1 − β2)·ĥ only when an estimate arrives, before the step, and clips m/(ρ·bs·h + eps) at ±1', () => {
    const t = sophiaTransform({ lr: 0.5, betas: [0.5, 0.75], rho: 0.5, batchSize: 4, weightDecay: 0 });
    const p = { w: tf.tensor([0, 0]) };
    const g = { w: tf.tensor([1, -8]) };
    const est = { w: tf.tensor([4, 4]) };
    // h = 0.25·4 = 1, denominator 0.5·4·1 = 2; m = 0.5·g = [0.5, −4]; m/2 = [0.25, −2] → clip [0.25, −1].
    const r1 = one(t, p, g, t.init(p), { hessianDiag: est });
    expect(Array.from(r1.state.slots.w.hessian.dataSync())).toEqual([1, 1]);
    expect(Array.from(r1.params.w.dataSync())).toEqual([-0.125, 0.5]);
    // Without an estimate h stays; m = 0.5·m + 0.5·g = [0.75, −6]; m/2 = [0.375, −3].
    const r2 = one(t, r1.params, g, r1.state);
    expect(Array.from(r2.state.slots.w.hessian.dataSync())).toEqual([1, 1]);
    expect(Array.from(r2.params.w.dataSync())).toEqual([-0.125 - 0.1875, 1]);
    tf.dispose([p.w, g.w, est.w, r1.params.w, r2.params.w, ...stateTensors(r2.state)]);
  });

  it('negative estimate entries (Hutchinson) count as 0 in the denominator: the step is clipped, not flipped uphill', () => {
    const t = sophiaTransform({ lr: 0.5, betas: [0.5, 0.5], rho: 1, batchSize: 1, weightDecay: 0 });
    const p = { w: tf.tensor([0, 0]) };
    const g = { w: tf.tensor([0.001, 0.001]) };
    const est = { w: tf.tensor([-4, 4]) };
    const r = one(t, p, g, t.init(p), { hessianDiag: est });
    expect(Array.from(r.state.slots.w.hessian.dataSync())).toEqual([-2, 2]);
    // Entry 0: h < 0 → denominator eps → clipped to −lr. Entry 1: m/h = 0.0005/2, a tiny step.
    const v = Array.from(r.params.w.dataSync());
    expect(v[0]).toBe(-0.5);
    expect(v[1]).toBeCloseTo(-0.5 * 0.00025, 9);
    tf.dispose([p.w, g.w, est.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('decouples the weight decay: θ ← θ·(1 − lr·λ) with zero gradients', () => {
    const t = sophiaTransform({ lr: 0.1, weightDecay: 0.5 });
    const p = { w: tf.tensor([2, -4]) };
    const g = { w: tf.zeros([2]) };
    const r = one(t, p, g, t.init(p));
    const f = Math.fround(0.95);
    expect(Array.from(r.params.w.dataSync())).toEqual([Math.fround(2 * f), Math.fround(-4 * f)]);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('maximize equals minimizing the negated gradient, bit for bit', () => {
    const rng = new Rng(3);
    const grads = Array.from({ length: 5 }, () => ({ w: rng.randomNormal([3, 2]) }));
    const ests = Array.from({ length: 5 }, (_, i) => (i % 2 === 0 ? { w: rng.randomUniform([3, 2]) } : undefined));
    const run = (t: GradientTransform<SophiaState>, gs: ParamMap[]) => {
      let params: ParamMap = { w: tf.ones([3, 2]) };
      let state = t.init(params);
      gs.forEach((g, i) => {
        const r = step(t, params, g, state, ests[i] ? { hessianDiag: ests[i] } : undefined);
        tf.dispose(Object.values(params));
        params = r.params;
        state = r.state;
      });
      const out = Array.from(params.w.dataSync());
      tf.dispose([...Object.values(params), ...stateTensors(state)]);
      return out;
    };
    const neg = grads.map((g) => ({ w: tf.neg(g.w) }));
    expect(run(sophiaTransform({ lr: 0.01, batchSize: 2, maximize: true }), grads)).toEqual(run(sophiaTransform({ lr: 0.01, batchSize: 2 }), neg));
    tf.dispose([...grads.map((g) => g.w), ...neg.map((g) => g.w), ...ests.flatMap((e) => (e ? [e.w] : []))]);
  });

  it('rejects an estimate of the wrong shape', () => {
    const t = sophiaTransform();
    const p = { w: tf.zeros([2, 3]) };
    const g = { w: tf.ones([2, 3]) };
    const est = { w: tf.ones([3, 2]) };
    const s = t.init(p);
    expect(() => t.update(g, s, p, { hessianDiag: est })).toThrow(InvalidParameterError);
    tf.dispose([p.w, g.w, est.w, ...stateTensors(s)]);
  });

  it('hyperparameters live in state.hyper and can be changed mid-run; 8 bytes of state per parameter', () => {
    const t = sophiaTransform({ lr: 0.01, batchSize: 256 });
    const p = { w: tf.zeros([10, 10]) };
    const s = t.init(p);
    expect(s.hyper).toEqual({ lr: 0.01, beta1: 0.965, beta2: 0.99, rho: 0.04, batchSize: 256, weightDecay: 0.1, eps: 1e-15 });
    expect(stateBytes(s)).toBe(800);
    setHyperparam(s, 'lr', 0);
    setHyperparam(s, 'weightDecay', 0);
    const g = { w: tf.ones([10, 10]) };
    const r = step(t, p, g, s);
    expect(r.params.w.dataSync().every((v) => v === 0)).toBe(true);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('weight decay without the parameters fails with a clear error', () => {
    for (const t of [sophiaTransform(), sophiaBookTransform({ weightDecay: 0.1 })] as GradientTransform<any>[]) {
      const p = { w: tf.tensor([1]) };
      const g = { w: tf.tensor([1]) };
      const s = t.init(p);
      expect(() => t.update(g, s)).toThrow(DescentError);
      tf.dispose([p.w, g.w, ...stateTensors(s)]);
    }
  });

  it("sophia-book: h starts at ones and is refreshed from g² at every k-th step of the optimizer (one count for all parameters)", () => {
    const t = sophiaBookTransform({ lr: 1, betas: [0.5, 0.5], rho: 0.5, k: 2 });
    const p: ParamMap = { a: tf.tensor([0]), b: tf.tensor([0]) };
    // Step 1: m = 0.5·2 = 1, h = 1: clip(1/(0.5 + 1e-8)) = 1.
    const r1 = step(t, p, { a: tf.tensor([2]), b: tf.tensor([2]) }, t.init(p));
    expect(r1.params.a.dataSync()[0]).toBe(-1);
    expect(r1.state.steps).toBe(1);
    // Step 2 (only a has a gradient; the count is shared): refresh h = 0.5·1 + 0.5·16 = 8.5;
    // m = 0.5 + 2 = 2.5; 2.5/(0.5·8.5) = 0.588…
    const r2 = step(t, r1.params, { a: tf.tensor([4]) }, r1.state);
    expect(r2.state.steps).toBe(2);
    expect(r2.state.slots.a.hessian.dataSync()[0]).toBe(8.5);
    expect(r2.state.slots.b.hessian.dataSync()[0]).toBe(1);
    expect(r2.params.a.dataSync()[0]).toBeCloseTo(-1 - 2.5 / 4.25, 6);
    expect(r2.params.b.dataSync()[0]).toBe(-1);
    tf.dispose([...Object.values(p), ...Object.values(r1.params), ...Object.values(r2.params), ...stateTensors(r2.state)]);
  });

  it('ConfigErrors name the offending key', () => {
    expect(() => sophiaTransform({ betas: [0.9, 1] })).toThrow(/sophia\.betas\[1\]/);
    expect(() => sophiaTransform({ k: 0 })).toThrow(ConfigError);
  });

  it('an optimizer saved with its config is rebuilt by fromConfig', () => {
    const opt = toTfOptimizer(sophiaTransform({ lr: 3e-4, batchSize: 128 }));
    const rebuilt = TransformOptimizer.fromConfig(TransformOptimizer, opt.getConfig()) as TransformOptimizer;
    expect(rebuilt.transform.spec).toEqual({ id: 'sophia', config: { ...sophia.defaults, lr: 3e-4, batchSize: 128 } });
    opt.dispose();
    rebuilt.dispose();
  });
});

// testkit's separable 3-class problem (signal 1) and its 10-16-3 tanh MLP.
const toyData = (n: number, seed: number) => toyClassification(n, seed, { signal: 1 });
const mlp = (seed: number) => toyMlp(seed, { prefix: 'sophia_mlp' });

describe('sophia with its estimators in @descent/train', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('sophiaEstimator fits the loop\'s HessianSchedule and returns the official scale: GNB ĝ⊙ĝ, Hutchinson z⊙Hz / B', () => {
    const schedule: HessianSchedule = sophiaEstimator('gnb', { every: 7 });
    expect(schedule.every).toBe(7);
    expect(sophiaEstimator('hutchinson').every).toBe(10);
    expect(() => sophiaEstimator('exact' as never)).toThrow(InvalidParameterError);
    expect(() => sophiaEstimator('gnb', { samples: 0 })).toThrow(InvalidParameterError);

    const model = mlp(11);
    const batch = toyData(16, 5).batches({ batchSize: 16, shuffle: false })[Symbol.iterator]().next().value as Batch;
    const params = paramsOf(model);
    const args = { model, params, batch, loss: () => tf.scalar(0) };
    const gnb = sophiaEstimator('gnb').estimate({ ...args, rng: new Rng(1) });
    const gnbRef = gaussNewtonBartlett(model, batch.x, { rng: new Rng(1) });
    const hut = sophiaEstimator('hutchinson', { samples: 2 }).estimate({ ...args, rng: new Rng(2) });
    const hutRef = hutchinsonDiagonal(modelProblem(model, batch.x, batch.y), { samples: 2, rng: new Rng(2) });
    expect(Object.keys(gnb).sort()).toEqual(Object.keys(params).sort());
    for (const name of Object.keys(params)) {
      expect(gnb[name].shape).toEqual(params[name].shape);
      expect(gnb[name].dataSync().every((v) => v >= 0)).toBe(true);
      assertClose(gnb[name].dataSync(), Array.from(gnbRef[name].dataSync()).map((v) => v / 16), { rtol: 1e-5, atol: 0, label: `gnb ${name}` });
      assertClose(hut[name].dataSync(), Array.from(hutRef[name].dataSync()).map((v) => v / 16), { rtol: 1e-5, atol: 1e-12, label: `hutchinson ${name}` });
    }
    tf.dispose([...Object.values(gnb), ...Object.values(gnbRef), ...Object.values(hut), ...Object.values(hutRef), batch.x, batch.y]);
    model.dispose();
  });

  for (const kind of ['gnb', 'hutchinson'] as const) {
    it(`trains a tfjs-layers MLP with the ${kind} estimator: the loss falls and h holds the estimates`, async () => {
      const model = mlp(kind === 'gnb' ? 1 : 2);
      const before = tf.memory().numTensors;
      const result = await train({
        model,
        optimizer: sophiaTransform({ lr: 0.02, batchSize: 32, k: 5, weightDecay: 0 }),
        train: toyData(240, 1),
        epochs: 4,
        batchSize: 32,
        seed: 3,
        checkpoint: false,
        progress: 'none',
        hessian: sophiaEstimator(kind, { every: 5 }),
      });
      expect(result.status).toBe('completed');
      const losses = result.epochs.map((e) => e.trainLoss);
      expect(losses[3]).toBeLessThan(0.6 * losses[0]);
      const state = result.optimizer.getState() as SophiaState;
      for (const slot of Object.values(state.slots)) {
        const h = slot.hessian.dataSync();
        expect(h.some((v) => v !== 0)).toBe(true);
        if (kind === 'gnb') expect(h.every((v) => v >= 0)).toBe(true);
        expect(slot.step).toBe(32); // 8 batches × 4 epochs
      }
      result.optimizer.dispose();
      model.dispose();
      // The estimates were disposed by the loop, the state with the optimizer: nothing is left over.
      expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    });
  }
});
