import { describe, it, expect, beforeAll } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { tf, useBackend, step, stateTensors, DescentError, type ParamMap } from '@descent/tensor';
import { adamax, adamaxTransform } from '@descent/optim-adamax';

// The generic checks save the state mid-run and expect the restored run to continue bit for bit;
// @descent/tensor's flattenState stores state.hyper numbers as float32, so the config uses
// float32-representable hyperparameters.
describe('adamax', () => {
  optimizerConformance({
    plugin: adamax,
    invalid: [{ lr: -1 }, { eps: -1 }, { betas: [1, 0.999] }, { betas: [0.9, 1] }, { betas: [0.9, -0.5] }, { weightDecay: -1 }, { maximize: 1 }, { foreach: true }, { amsgrad: true }],
    golden: true,
    config: { lr: 2 ** -7, betas: [0.875, 1 - 2 ** -10], eps: 2 ** -27, weightDecay: 2 ** -8 },
    stateBytesPerParam: 8,
  });
});

describe('adamax specifics', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('defaults follow torch.optim.Adamax', () => {
    expect(adamax.defaults).toEqual({ lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false });
  });

  it('u tracks max(β2·u, |g| + eps); the first step is −lr·sign(g) up to eps', () => {
    const t = adamaxTransform({ lr: 0.5, betas: [0.5, 0.5], eps: 0 });
    let params: ParamMap = { w: tf.tensor([0, 0]) };
    let state = t.init(params);
    const steps = [[4, -1], [1, -1]];
    const seen: number[][] = [];
    for (const g of steps) {
      const gt = { w: tf.tensor(g) };
      const r = step(t, params, gt, state);
      tf.dispose([gt.w, ...Object.values(params)]);
      params = r.params;
      state = r.state;
      seen.push(Array.from(state.slots.w.expInf.dataSync()));
    }
    expect(seen).toEqual([[4, 1], [2, 1]]);
    // Step 1: m = (2, −0.5), clr = 1: θ = (−0.5, 0.5). Step 2: m = (1.5, −0.75), clr = 0.5/0.75.
    const p = Array.from(params.w.dataSync());
    expect(p[0]).toBeCloseTo(-0.5 - (0.5 / 0.75) * (1.5 / 2), 6);
    expect(p[1]).toBeCloseTo(0.5 + (0.5 / 0.75) * 0.75, 6);
    tf.dispose([...Object.values(params), ...stateTensors(state)]);
  });

  it('weight decay without the parameters fails with a clear error', () => {
    const t = adamaxTransform({ weightDecay: 0.1 });
    const p = { w: tf.tensor([1]) };
    const g = { w: tf.tensor([1]) };
    const s = t.init(p);
    expect(() => t.update(g, s)).toThrow(DescentError);
    tf.dispose([p.w, g.w, ...stateTensors(s)]);
  });
});
