import { describe, it, expect, beforeAll } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { tf, useBackend, step, stateTensors, DescentError, type ParamMap } from '@descent/tensor';
import { radam, radamTransform } from '@descent/optim-radam';

// The generic checks save the state mid-run and expect the restored run to continue bit for bit;
// @descent/tensor's flattenState stores state.hyper numbers as float32, so the config uses
// float32-representable hyperparameters.
describe('radam', () => {
  optimizerConformance({
    plugin: radam,
    invalid: [{ lr: -1 }, { eps: -1 }, { betas: [1, 0.999] }, { betas: [0.9, 1] }, { weightDecay: -1 }, { foreach: true }, { maximize: true }],
    golden: true,
    config: { lr: 2 ** -7, betas: [0.875, 1 - 2 ** -6], eps: 2 ** -27, weightDecay: 2 ** -8 },
    stateBytesPerParam: 8,
  });
});

describe('radam specifics', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('defaults follow torch.optim.RAdam', () => {
    expect(radam.defaults).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
  });

  it('steps 1–5 (β2 = 0.999) are bias-corrected momentum SGD; rectification starts at step 6', () => {
    const t = radamTransform({ lr: 1, eps: 0 });
    let params: ParamMap = { w: tf.tensor([0]) };
    let state = t.init(params);
    const moves: number[] = [];
    for (let k = 0; k < 7; k++) {
      const g = { w: tf.tensor([2]) };
      const before = params.w.dataSync()[0];
      const r = step(t, params, g, state);
      moves.push(before - r.params.w.dataSync()[0]);
      tf.dispose([g.w, ...Object.values(params)]);
      params = r.params;
      state = r.state;
    }
    // Constant g: m/(1 − β1^t) = g = 2 while unrectified.
    for (let k = 0; k < 5; k++) expect(moves[k]).toBeCloseTo(2, 5);
    // Rectified: lr·m̂·√(1 − β2^t)/√v·r = r (|g|/|g|), with r < 1.
    const rhoInf = 2 / 0.001 - 1;
    const rho6 = rhoInf - (2 * 6 * 0.999 ** 6) / (1 - 0.999 ** 6);
    const r6 = Math.sqrt(((rho6 - 4) * (rho6 - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho6));
    expect(moves[5]).toBeCloseTo(r6, 5);
    expect(moves[5]).toBeLessThan(1);
    tf.dispose([...Object.values(params), ...stateTensors(state)]);
  });

  it('weight decay without the parameters fails with a clear error', () => {
    const t = radamTransform({ weightDecay: 0.1 });
    const p = { w: tf.tensor([1]) };
    const g = { w: tf.tensor([1]) };
    const s = t.init(p);
    expect(() => t.update(g, s)).toThrow(DescentError);
    tf.dispose([p.w, g.w, ...stateTensors(s)]);
  });
});
