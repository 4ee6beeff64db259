import { describe, it, expect, beforeAll } from 'vitest';
import { optimizerConformance, loadGolden } from '@descent/testkit';
import { tf, useBackend, step, stateTensors, flattenState, unflattenState, DescentError, type ParamMap } from '@descent/tensor';
import { nadam, nadamTransform, type NadamState } from '@descent/optim-nadam';

// The generic checks save the state mid-run and expect the restored run to continue bit for bit;
// @descent/tensor's flattenState stores state.hyper numbers as float32, so the config uses
// float32-representable hyperparameters. (muProduct is float32 by construction.)
describe('nadam', () => {
  // Reference: torch ≥ 2.0's NAdam algorithm in float64 numpy (tools/golden/optimizers.py).
  optimizerConformance({
    plugin: nadam,
    invalid: [{ lr: -1 }, { eps: -1 }, { betas: [1, 0.999] }, { betas: [0.9, 1.5] }, { weightDecay: -1 }, { momentumDecay: -0.004 }, { foreach: true }, { maximize: true }],
    golden: true,
    config: { lr: 2 ** -8, betas: [0.875, 1 - 2 ** -10], eps: 2 ** -27, weightDecay: 2 ** -8, momentumDecay: 2 ** -8 },
    stateBytesPerParam: 8,
  });
});

describe('nadam specifics', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('defaults follow torch.optim.NAdam', () => {
    expect(nadam.defaults).toEqual({ lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3 });
  });

  it('uses the corrected bookkeeping of torch ≥ 2.0: Π_{t+1} = Π_t·μ_{t+1}, not torch 1.13\'s Π_t·μ_t·μ_{t+1}', () => {
    // One step from zero state with g = 1 (then m = 1 − β1, v = 1 − β2, d = 1 + eps ≈ 1).
    const b1 = 0.9;
    const mu1 = b1 * (1 - 0.5 * 0.96 ** 0.004);
    const mu2 = b1 * (1 - 0.5 * 0.96 ** 0.008);
    const fixed = (1 - mu1) / (1 - mu1) + (mu2 / (1 - mu1 * mu2)) * (1 - b1);
    const old = 1 + (mu2 / (1 - mu1 * mu1 * mu2)) * (1 - b1);
    const t = nadamTransform({ lr: 1, eps: 0 });
    const p = { w: tf.tensor([0]) };
    const g = { w: tf.tensor([1]) };
    const r = step(t, p, g, t.init(p));
    expect(-r.params.w.dataSync()[0]).toBeCloseTo(fixed, 6);
    expect(Math.abs(fixed - old)).toBeGreaterThan(1e-3);
    expect(r.state.slots.w.muProduct).toBe(Math.fround(mu1));
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('keeps μ_1·…·μ_t as a float32 number, so a saved state restores it exactly', () => {
    const t = nadamTransform();
    let params: ParamMap = { w: tf.tensor([1, 2]) };
    let state: NadamState = t.init(params);
    for (let k = 0; k < 5; k++) {
      const g = { w: tf.tensor([0.1, -0.2]) };
      const r = step(t, params, g, state);
      tf.dispose([g.w, ...Object.values(params)]);
      params = r.params;
      state = r.state;
    }
    const saved = flattenState(state);
    const back = unflattenState(saved) as NadamState;
    expect(back.slots.w.muProduct).toBe(state.slots.w.muProduct);
    expect(back.slots.w.step).toBe(5);
    tf.dispose([...saved.map((e) => e.tensor), ...stateTensors(back), ...stateTensors(state), ...Object.values(params)]);
  });

  it('the reference fixture is the corrected algorithm (its source says so)', () => {
    for (const c of loadGolden('nadam')) expect(c.source).toMatch(/torch >= 2\.0/);
  });

  it('weight decay without the parameters fails with a clear error', () => {
    const t = nadamTransform({ weightDecay: 0.1 });
    const p = { w: tf.tensor([1]) };
    const g = { w: tf.tensor([1]) };
    const s = t.init(p);
    expect(() => t.update(g, s)).toThrow(DescentError);
    tf.dispose([p.w, g.w, ...stateTensors(s)]);
  });
});
