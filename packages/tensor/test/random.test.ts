import { describe, it, expect } from 'vitest';
import { Rng, InvalidParameterError } from '@descent/tensor';

describe('Rng', () => {
  it('is reproducible, seed-sensitive and restorable from its state', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(new Rng(43).next()).not.toBe(xs[0]);
    const saved = a.state();
    const after = a.nextUint32();
    expect(Rng.fromState(saved).nextUint32()).toBe(after);
  });
  it('forks independent streams without advancing the parent', () => {
    const r = new Rng(1);
    const s = r.state();
    const f1 = r.fork('x').next();
    expect(r.state()).toEqual(s);
    expect(r.fork('x').next()).toBe(f1);
    expect(r.fork('y').next()).not.toBe(f1);
  });
  it('permutations are permutations; normals have unit variance', () => {
    const p = Array.from(new Rng(3).permutation(1000)).sort((a, b) => a - b);
    expect(p).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const r = new Rng(9);
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.04);
  });
  it('rejects non-integer numeric seeds', () => {
    expect(() => new Rng(1.5)).toThrow(InvalidParameterError);
  });
});
