import { describe, it, expect, beforeAll } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { tf, useBackend, step, setHyperparam, stateBytes, stateTensors, DescentError } from '@descent/tensor';
import { rmsprop, rmspropTransform } from '@descent/optim-rmsprop';

// The generic checks save the state mid-run and expect the restored run to continue bit for bit;
// @descent/tensor's flattenState stores state.hyper numbers as float32, so the configs use
// float32-representable hyperparameters (α = 0.99 would come back as 0.99000001).
const f32 = { lr: 2 ** -8, alpha: 1 - 2 ** -6, eps: 2 ** -27 };
const invalid = [{ lr: -0.01 }, { alpha: -0.5 }, { eps: -1 }, { weightDecay: -1 }, { momentum: -0.9 }, { centered: 'yes' }, { foreach: true }, { betas: [0.9, 0.99] }];

describe('rmsprop', () => {
  optimizerConformance({ plugin: rmsprop, invalid, golden: true, config: { ...f32, weightDecay: 2 ** -8 }, stateBytesPerParam: 4 });
  describe('with momentum', () => {
    optimizerConformance({ plugin: rmsprop, invalid: [{ momentum: -1 }], config: { ...f32, momentum: 0.875 }, stateBytesPerParam: 8 });
  });
  describe('centered with momentum', () => {
    optimizerConformance({ plugin: rmsprop, invalid: [{ centered: 1 }], config: { ...f32, momentum: 0.5, centered: true }, stateBytesPerParam: 12 });
  });
});

describe('rmsprop specifics', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('defaults follow torch.optim.RMSprop', () => {
    expect(rmsprop.defaults).toEqual({ lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false });
  });

  it('first step: v = (1 − α)·g², θ ← θ − lr·g/(√v + eps), eps outside the root as in torch', () => {
    const t = rmspropTransform({ lr: 0.1, alpha: 0.75, eps: 0 });
    const p = { w: tf.tensor([0, 0]) };
    const g = { w: tf.tensor([2, -8]) };
    const r = step(t, p, g, t.init(p));
    expect(Array.from(r.state.slots.w.squareAvg.dataSync())).toEqual([1, 16]);
    expect(Array.from(r.params.w.dataSync())).toEqual([-0.2, 0.2].map(Math.fround));
    expect(r.state.slots.w.step).toBe(1);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('centered: divides by √(v − ḡ²) + eps', () => {
    const t = rmspropTransform({ lr: 1, alpha: 0.5, eps: 0, centered: true });
    const p = { w: tf.tensor([0]) };
    const g = { w: tf.tensor([2]) };
    const r = step(t, p, g, t.init(p)); // v = 2, ḡ = 1, d = 1
    expect(r.params.w.dataSync()[0]).toBe(-2);
    expect(r.state.slots.w.gradAvg!.dataSync()[0]).toBe(1);
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('holds state only as needed: 4 bytes per parameter, +4 with momentum, +4 centered', () => {
    for (const [config, bytes] of [[{}, 4], [{ momentum: 0.9 }, 8], [{ centered: true }, 8], [{ momentum: 0.9, centered: true }, 12]] as const) {
      const s = rmspropTransform(config).init({ w: tf.zeros([5, 5]) });
      expect(stateBytes(s)).toBe(25 * bytes);
      tf.dispose(stateTensors(s));
    }
  });

  it('momentum switched on mid-run gets a zero buffer (torch would fail with a missing key)', () => {
    const t = rmspropTransform({ lr: 1, alpha: 0.5, eps: 0 });
    const p = { w: tf.tensor([0]) };
    const g = { w: tf.tensor([2]) };
    const r1 = step(t, p, g, t.init(p)); // v = 2, step −2/√2
    setHyperparam(r1.state, 'momentum', 0.5);
    const r2 = step(t, r1.params, g, r1.state); // v = 3, b = 0 + 2/√3
    expect(r2.state.slots.w.momentumBuffer!.dataSync()[0]).toBeCloseTo(2 / Math.sqrt(3), 6);
    expect(r2.params.w.dataSync()[0]).toBeCloseTo(-Math.SQRT2 - 2 / Math.sqrt(3), 5);
    tf.dispose([p.w, g.w, r1.params.w, r2.params.w, ...stateTensors(r2.state)]);
  });

  it('weight decay without the parameters fails with a clear error', () => {
    const t = rmspropTransform({ weightDecay: 0.1 });
    const p = { w: tf.tensor([1]) };
    const g = { w: tf.tensor([1]) };
    const s = t.init(p);
    expect(() => t.update(g, s)).toThrow(DescentError);
    tf.dispose([p.w, g.w, ...stateTensors(s)]);
  });
});
