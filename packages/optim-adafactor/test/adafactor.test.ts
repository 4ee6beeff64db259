import { describe, it, expect, beforeAll } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { tf, useBackend, step, setHyperparam, getHyperparam, stateBytes, stateTensors, DescentError, TransformOptimizer, toTfOptimizer, Rng, type ParamMap } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { adafactor, adafactorTransform, type AdafactorState } from '@descent/optim-adafactor';

const invalid = [
  { lr: 1e-3 }, // an external lr needs relativeStep: false (transformers raises too)
  { relativeStep: false }, // ... and then an lr
  { lr: 1e-3, relativeStep: false, warmupInit: true }, // warm-up init needs relativeStep
  { lr: -1, relativeStep: false },
  { eps: [1e-30] },
  { eps: [-1, 1e-3] },
  { clipThreshold: 0 },
  { decayRate: 0.8 },
  { beta1: 1 },
  { beta1: -0.1 },
  { weightDecay: -0.1 },
  { scaleParameter: 'yes' },
  { betas: [0.9, 0.999] },
];

// 4(m + n) bytes for the row and column statistics of the 256×128 test matrix.
const factoredBytes = (4 * (256 + 128)) / (256 * 128);

describe('adafactor', () => {
  optimizerConformance({ plugin: adafactor, invalid, golden: true, stateBytesPerParam: factoredBytes, fit: { epochs: 8, minDrop: 0.1 } });
  describe('with a first moment (beta1)', () => {
    optimizerConformance({ plugin: adafactor, invalid: [{ beta1: 2 }], config: { beta1: 0.9, weightDecay: 0.01 }, stateBytesPerParam: 4 + factoredBytes });
  });
  describe('with an external learning rate', () => {
    optimizerConformance({ plugin: adafactor, invalid: [{ lr: null, relativeStep: false }], config: { lr: 1e-2, relativeStep: false, scaleParameter: false }, stateBytesPerParam: factoredBytes });
  });
});

describe('adafactor specifics', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('defaults follow transformers.optimization.Adafactor', () => {
    expect(adafactor.defaults).toEqual({ lr: null, eps: [1e-30, 1e-3], clipThreshold: 1, decayRate: -0.8, beta1: null, weightDecay: 0, scaleParameter: true, relativeStep: true, warmupInit: false });
  });

  it('names the conflicting option in its ConfigErrors', () => {
    expect(() => adafactorTransform({ lr: 1e-3 })).toThrow(/adafactor\.lr.*relativeStep/);
    expect(() => adafactorTransform({ relativeStep: false })).toThrow(/adafactor\.lr/);
    expect(() => adafactorTransform({ lr: 0.1, relativeStep: false, warmupInit: true })).toThrow(/adafactor\.warmupInit/);
    expect(() => adafactorTransform({ lr: 0.1, relativeStep: false })).not.toThrow();
  });

  it('factors tensors of rank ≥ 2 over their last two dimensions and keeps vectors whole', () => {
    const t = adafactorTransform({ beta1: 0.9 });
    const s = t.init({ k: tf.zeros([4, 3]), conv: tf.zeros([3, 3, 2, 5]), b: tf.zeros([3]) });
    expect(s.slots.k.expAvgSqRow!.shape).toEqual([4]);
    expect(s.slots.k.expAvgSqCol!.shape).toEqual([3]);
    expect(s.slots.k.expAvgSq).toBeUndefined();
    expect(s.slots.conv.expAvgSqRow!.shape).toEqual([3, 3, 2]);
    expect(s.slots.conv.expAvgSqCol!.shape).toEqual([3, 3, 5]);
    expect(s.slots.b.expAvgSq!.shape).toEqual([3]);
    expect(s.slots.b.expAvg!.shape).toEqual([3]);
    // 4·(4 + 3) + 4·9·(2 + 5) + 4·3, plus the first moments 4·(12 + 90 + 3).
    expect(stateBytes(s)).toBe(4 * 7 + 4 * 63 + 12 + 4 * 105);
    tf.dispose(stateTensors(s));
    const plain = adafactorTransform().init({ w: tf.zeros([256, 128]) });
    expect(stateBytes(plain)).toBe(4 * (256 + 128));
    tf.dispose(stateTensors(plain));
  });

  it('the first step of a rank-1 g² is α·sign(g): R·C/mean(R) reproduces V exactly, α = max(ε2, RMS(θ))·10⁻²', () => {
    const t = adafactorTransform();
    const a = [1, -2, 4];
    const b = [0.5, -3];
    const g = { w: tf.tensor(a.flatMap((x) => b.map((y) => x * y)), [3, 2]) };
    const p = { w: tf.fill([3, 2], 0.5) };
    const r = step(t, p, g, t.init(p));
    const alpha = 0.5 * 1e-2;
    const expected = a.flatMap((x) => b.map((y) => 0.5 - alpha * Math.sign(x * y)));
    const got = Array.from(r.params.w.dataSync());
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 7));
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('a transposed matrix gets the transposed update (tfjs [in, out] kernels match torch [out, in] weights)', () => {
    const rng = new Rng(5);
    const w0 = rng.randomNormal([5, 3]);
    const grads = Array.from({ length: 4 }, () => rng.randomNormal([5, 3]));
    const run = (transpose: boolean) => {
      const t = adafactorTransform({ beta1: 0.5 });
      let params: ParamMap = { w: transpose ? tf.transpose(w0) : w0.clone() };
      let state = t.init(params);
      for (const g of grads) {
        const gg = { w: transpose ? tf.transpose(g) : g.clone() };
        const r = step(t, params, gg, state);
        tf.dispose([gg.w, params.w]);
        params = r.params;
        state = r.state;
      }
      const out = transpose ? tf.transpose(params.w) : params.w.clone();
      const v = Array.from(out.dataSync());
      tf.dispose([out, params.w, ...stateTensors(state)]);
      return v;
    };
    const a = run(false);
    const b = run(true);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 6));
    tf.dispose([w0, ...grads]);
  });

  it('clips the update to an RMS of at most clipThreshold before the step size', () => {
    const t = adafactorTransform({ lr: 1, relativeStep: false, scaleParameter: false, clipThreshold: 0.25 });
    const p = { w: tf.zeros([4]) };
    // Step 1: V = g² (β2(1) = 0), so U = sign(g) with RMS 1 → clipped to RMS 0.25.
    const g = { w: tf.tensor([3, -1e-3, 7, -2]) };
    const r = step(t, p, g, t.init(p));
    const v = Array.from(r.params.w.dataSync());
    v.forEach((x, i) => expect(x).toBeCloseTo(i % 2 === 0 ? -0.25 : 0.25, 6));
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('lr is a live hyperparameter only without relativeStep; the relative step follows min(10⁻², 1/√t)', () => {
    const rel = adafactorTransform().init({ w: tf.zeros([2]) });
    expect(rel.hyper).toEqual({ eps1: 1e-30, eps2: 1e-3, clipThreshold: 1, decayRate: -0.8, weightDecay: 0 });
    expect(setHyperparam(rel, 'lr', 0.1)).toBe(0);
    expect(getHyperparam(rel, 'lr')).toBeUndefined();
    tf.dispose(stateTensors(rel));
    const t = adafactorTransform({ lr: 0.5, relativeStep: false, scaleParameter: false, beta1: 0.9 });
    const p = { w: tf.tensor([1, 1]) };
    const s = t.init(p);
    expect(s.hyper).toEqual({ eps1: 1e-30, eps2: 1e-3, clipThreshold: 1, decayRate: -0.8, weightDecay: 0, lr: 0.5, beta1: 0.9 });
    setHyperparam(s, 'lr', 0);
    const g = { w: tf.tensor([1, -1]) };
    const r = step(t, p, g, s);
    expect(Array.from(r.params.w.dataSync())).toEqual([1, 1]);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('warm-up init grows the relative step as 10⁻⁶·t', () => {
    const t = adafactorTransform({ warmupInit: true, scaleParameter: false });
    let params: ParamMap = { w: tf.tensor([0]) };
    let state: AdafactorState = t.init(params);
    const moves: number[] = [];
    for (let k = 0; k < 3; k++) {
      const g = { w: tf.tensor([1]) };
      const r = step(t, params, g, state);
      moves.push(params.w.dataSync()[0] - r.params.w.dataSync()[0]);
      tf.dispose([g.w, params.w]);
      params = r.params;
      state = r.state;
    }
    // A constant gradient keeps U = 1 (V = g²), so the moves are the step sizes themselves.
    moves.forEach((m, k) => expect(m).toBeCloseTo(1e-6 * (k + 1), 12));
    tf.dispose([params.w, ...stateTensors(state)]);
  });

  it('weight decay shrinks θ by λ·α(t) with the computed step size', () => {
    const t = adafactorTransform({ weightDecay: 0.5 });
    const p = { w: tf.tensor([2, -2]) };
    const g = { w: tf.zeros([2]) };
    const r = step(t, p, g, t.init(p));
    // U = 0 (g = 0), α = RMS(θ)·10⁻² = 0.02: θ ← θ − 0.5·0.02·θ.
    const v = Array.from(r.params.w.dataSync());
    expect(v[0]).toBeCloseTo(1.98, 6);
    expect(v[1]).toBeCloseTo(-1.98, 6);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('the parameter scale without the parameters fails with a clear error', () => {
    const t = adafactorTransform();
    const p = { w: tf.tensor([1]) };
    const g = { w: tf.tensor([1]) };
    const s = t.init(p);
    expect(() => t.update(g, s)).toThrow(DescentError);
    tf.dispose([p.w, g.w, ...stateTensors(s)]);
    expect(() => adafactorTransform({ eps: [1e-30, -1] })).toThrow(ConfigError);
  });

  it('an optimizer saved with its config is rebuilt by fromConfig, nulls included', () => {
    const opt = toTfOptimizer(adafactorTransform({ beta1: 0.9 }));
    const rebuilt = TransformOptimizer.fromConfig(TransformOptimizer, opt.getConfig()) as TransformOptimizer;
    expect(rebuilt.transform.spec).toEqual({ id: 'adafactor', config: { ...adafactor.defaults, beta1: 0.9 } });
    opt.dispose();
    rebuilt.dispose();
  });
});
