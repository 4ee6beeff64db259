import { describe, it, expect, beforeAll } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { tf, useBackend, step, setHyperparam, stateTensors, DescentError, type ParamMap } from '@descent/tensor';
import { adagrad, adagradTransform } from '@descent/optim-adagrad';

// The generic checks save the state mid-run and expect the restored run to continue bit for bit;
// @descent/tensor's flattenState stores state.hyper numbers as float32, so the config uses
// float32-representable hyperparameters.
describe('adagrad', () => {
  optimizerConformance({
    plugin: adagrad,
    invalid: [{ lr: -0.01 }, { lrDecay: -1 }, { weightDecay: -1 }, { initialAccumulatorValue: -0.1 }, { eps: -1e-10 }, { maximize: 0 }, { foreach: true }, { momentum: 0.9 }],
    golden: true,
    config: { lr: 2 ** -4, lrDecay: 2 ** -6, weightDecay: 2 ** -8, initialAccumulatorValue: 2 ** -4, eps: 2 ** -30 },
    stateBytesPerParam: 4,
  });
});

describe('adagrad specifics', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('defaults follow torch.optim.Adagrad', () => {
    expect(adagrad.defaults).toEqual({ lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false });
  });

  it('accumulates g² from initialAccumulatorValue and divides by √sum + eps', () => {
    const t = adagradTransform({ lr: 1, initialAccumulatorValue: 9, eps: 0 });
    const p = { w: tf.tensor([0, 0]) };
    const g = { w: tf.tensor([4, 0]) };
    const s0 = t.init(p);
    expect(Array.from(s0.slots.w.sum.dataSync())).toEqual([9, 9]);
    const r = step(t, p, g, s0);
    expect(Array.from(r.state.slots.w.sum.dataSync())).toEqual([25, 9]);
    expect(Array.from(r.params.w.dataSync())).toEqual([-0.8, 0].map(Math.fround)); // −4/√25
    tf.dispose([p.w, g.w, r.params.w, ...stateTensors(r.state)]);
  });

  it('lrDecay divides the step size by 1 + (t − 1)·lrDecay, t counted per parameter', () => {
    const t = adagradTransform({ lr: 1, lrDecay: 1, eps: 0 });
    let params: ParamMap = { w: tf.tensor([0]) };
    let state = t.init(params);
    const moves: number[] = [];
    for (let k = 0; k < 3; k++) {
      const g = { w: tf.tensor([1]) };
      const before = params.w.dataSync()[0];
      const r = step(t, params, g, state);
      moves.push(before - r.params.w.dataSync()[0]);
      tf.dispose([g.w, ...Object.values(params)]);
      params = r.params;
      state = r.state;
    }
    // sum = 1, 2, 3; clr = 1, 1/2, 1/3.
    expect(moves[0]).toBeCloseTo(1, 6);
    expect(moves[1]).toBeCloseTo(1 / 2 / Math.SQRT2, 6);
    expect(moves[2]).toBeCloseTo(1 / 3 / Math.sqrt(3), 6);
    expect(state.slots.w.step).toBe(3);
    tf.dispose([...Object.values(params), ...stateTensors(state)]);
  });

  it('a parameter that appears mid-run starts from the live initialAccumulatorValue', () => {
    const t = adagradTransform({ initialAccumulatorValue: 0.5 });
    const s = t.init({});
    setHyperparam(s, 'initialAccumulatorValue', 2);
    const p = { w: tf.tensor([1]) };
    const g = { w: tf.tensor([1]) };
    const r = t.update(g, s, p);
    expect(r.state.slots.w.sum.dataSync()[0]).toBe(3);
    tf.dispose([p.w, g.w, ...Object.values(r.updates), ...stateTensors(r.state)]);
  });

  it('weight decay without the parameters fails with a clear error', () => {
    const t = adagradTransform({ weightDecay: 0.1 });
    const p = { w: tf.tensor([1]) };
    const g = { w: tf.tensor([1]) };
    const s = t.init(p);
    expect(() => t.update(g, s)).toThrow(DescentError);
    tf.dispose([p.w, g.w, ...stateTensors(s)]);
  });
});
