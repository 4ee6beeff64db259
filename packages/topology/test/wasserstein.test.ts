import { describe, it, expect } from 'vitest';
import { wassersteinDistance, type Interval } from '../src/index';
import { decode, fixture } from './golden';

interface DistanceCase {
  a: Array<[number | string, number | null]>;
  b: Array<[number | string, number | null]>;
  bottleneck: number | null;
  wasserstein: Array<{ order: number; internalP: number | null; value: number | null }>;
}
const golden = fixture<{ gudhi: string; cases: DistanceCase[] }>('distances.json');
const points = (d: DistanceCase['a']): Interval[] => d.map(([b, e]) => [decode(b), decode(e)]);

describe(`wassersteinDistance matches gudhi.wasserstein ${golden.gudhi}`, () => {
  golden.cases.forEach((c, k) => {
    it(`case ${k}: ${c.a.length} vs ${c.b.length} points, orders ${c.wasserstein.map((w) => `${w.order}/${w.internalP ?? 'inf'}`).join(', ')}`, () => {
      for (const w of c.wasserstein) {
        const got = wassersteinDistance(points(c.a), points(c.b), { order: w.order, internalP: w.internalP ?? Infinity });
        const expected = decode(w.value);
        if (expected === Infinity) expect(got).toBe(Infinity);
        else expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-10 * Math.max(1, expected));
      }
    });
  });
});

