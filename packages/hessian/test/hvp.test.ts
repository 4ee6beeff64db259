import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend } from '@descent/tensor';
import { hessianVectorProduct, lossAndGradient, finiteDifferenceHvp } from '@descent/hessian';
import { fixture, setup, relErr } from './fixture';

describe('Hessian-vector products against torch 1.13 exact Hessians', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  for (const c of fixture.cases) {
    it(c.name, () => {
      const s = setup(c);
      const { loss, grads } = lossAndGradient(s.problem);
      expect(loss).toBeCloseTo(c.loss, 5);
      expect(relErr(s.flat(grads), c.grad)).toBeLessThan(1e-5);
      const v = s.split(c.v);
      const before = tf.memory().numTensors;
      const hv = hessianVectorProduct(s.problem, v);
      expect(tf.memory().numTensors).toBe(before + s.problem.params.length);
      expect(relErr(s.flat(hv), c.hv)).toBeLessThan(1e-5);
      tf.dispose([...Object.values(grads), ...Object.values(v), ...Object.values(hv)]);
      s.dispose();
    });
  }
  it('finite differences are an approximation only (smooth case: close; checked, not exact)', () => {
    const c = fixture.cases.find((k) => k.activation === 'tanh')!;
    const s = setup(c);
    const v = s.split(c.v);
    const fd = finiteDifferenceHvp(s.problem, v, 1e-2);
    const err = relErr(s.flat(fd), c.hv);
    expect(err).toBeLessThan(1e-2);
    expect(err).toBeGreaterThan(1e-7);
    tf.dispose([...Object.values(v), ...Object.values(fd)]);
    s.dispose();
  });
  it('rejects a direction of the wrong shape', () => {
    const s = setup(fixture.cases[0]);
    const bad = Object.fromEntries(s.problem.params.map((p) => [p.name, tf.zeros([1])]));
    expect(() => hessianVectorProduct(s.problem, bad)).toThrow(/shape/);
    s.dispose();
  });
});
