import { describe, it, expect, beforeAll } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { tf, useBackend, step, stateTensors, DescentError } from '@descent/tensor';
import { adadelta, adadeltaTransform } from '@descent/optim-adadelta';

// The generic checks save the state mid-run and expect the restored run to continue bit for bit;
// @descent/tensor's flattenState stores state.hyper numbers as float32, so the config uses
// float32-representable hyperparameters (ρ = 0.9 would come back as 0.89999998).
describe('adadelta', () => {
  optimizerConformance({
    plugin: adadelta,
    invalid: [{ lr: -1 }, { rho: -0.1 }, { rho: 1.01 }, { eps: -1e-6 }, { weightDecay: -0.1 }, { maximize: 'no' }, { foreach: true }, { alpha: 0.9 }],
    golden: true,
    config: { lr: 1, rho: 0.875, eps: 2 ** -20, weightDecay: 2 ** -8 },
    stateBytesPerParam: 8,
  });
});

describe('adadelta specifics', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('defaults follow torch.optim.Adadelta', () => {
    expect(adadelta.defaults).toEqual({ lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false });
  });

  it('rho = 1 is allowed, as in torch (the averages never move: steps are √eps/√eps·g = g)', () => {
    const t = adadeltaTransform({ rho: 1, eps: 0.25 });
    const p = { w: tf.tensor([0]) };
    const g = { w: tf.tensor([3]) };
    const r = step(t, p, g, t.init(p));
    expect(r.params.w.dataSync()[0]).toBe(-3);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('first step: Δ = √eps/√((1 − ρ)g² + eps)·g; u = (1 − ρ)Δ²', () => {
    const t = adadeltaTransform({ rho: 0.75, eps: 1 });
    const p = { w: tf.tensor([0]) };
    const g = { w: tf.tensor([2]) };
    const r = step(t, p, g, t.init(p)); // v = 1, Δ = 1/√2·2 = √2, u = 0.5
    expect(r.params.w.dataSync()[0]).toBeCloseTo(-Math.SQRT2, 6);
    expect(r.state.slots.w.accDelta.dataSync()[0]).toBeCloseTo(0.5, 6);
    expect(r.state.slots.w.step).toBe(1);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('weight decay without the parameters fails with a clear error', () => {
    const t = adadeltaTransform({ weightDecay: 0.1 });
    const p = { w: tf.tensor([1]) };
    const g = { w: tf.tensor([1]) };
    const s = t.init(p);
    expect(() => t.update(g, s)).toThrow(DescentError);
    tf.dispose([p.w, g.w, ...stateTensors(s)]);
  });
});
