import { describe, it, expect } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { bottleneckDistance, cubicalPersistence, wassersteinDistance, type Interval } from '../src/index';
import { decode, fixture, generate } from './golden';

interface DistanceCase {
  a: Array<[number | string, number | null]>;
  b: Array<[number | string, number | null]>;
  bottleneck: number | null;
  wasserstein: Array<{ order: number; internalP: number | null; value: number | null }>;
}
const golden = fixture<{ gudhi: string; cases: DistanceCase[] }>('distances.json');
const points = (d: DistanceCase['a']): Interval[] => d.map(([b, e]) => [decode(b), decode(e)]);

describe(`bottleneckDistance matches gudhi.bottleneck_distance(e=0) ${golden.gudhi}`, () => {
  golden.cases.forEach((c, k) => {
    it(`case ${k}: ${c.a.length} vs ${c.b.length} points`, () => {
      const expected = decode(c.bottleneck);
      const got = bottleneckDistance(points(c.a), points(c.b));
      // The exact distance is one of the candidate values, computed with the same operations.
      if (expected === Infinity) expect(got).toBe(Infinity);
      else expect(got).toBe(expected); // bit for bit: same candidate values, same arithmetic
      expect(bottleneckDistance(points(c.b), points(c.a))).toBe(got);
    });
  });
});

describe('distance properties (bottleneck and Wasserstein)', () => {
  const diagram = (seed: number) => cubicalPersistence(generate({ shape: [24, 24], kind: 'uniform', seed }));

  it('are zero on equal diagrams and symmetric, and W_p decreases towards the bottleneck as p grows', () => {
    const a = diagram(1);
    const b = diagram(2);
    for (const dimension of [0, 1]) {
      expect(bottleneckDistance(a, a, { dimension })).toBe(0);
      expect(wassersteinDistance(a, a, { dimension })).toBeCloseTo(0, 12);
      const bn = bottleneckDistance(a, b, { dimension });
      expect(bn).toBeGreaterThan(0);
      const w = [1, 2, 4, 16].map((order) => wassersteinDistance(a, b, { dimension, order }));
      for (let i = 1; i < w.length; i++) expect(w[i]).toBeLessThanOrEqual(w[i - 1] + 1e-12);
      expect(w[w.length - 1]).toBeGreaterThanOrEqual(bn - 1e-12);
      expect(w[0]).toBeCloseTo(wassersteinDistance(b, a, { dimension }), 10);
    }
  });

  it('match a point to the diagonal or to a nearby point, whichever is cheaper', () => {
    expect(bottleneckDistance([[0, 4]], [])).toBe(2);
    expect(bottleneckDistance([[0, 4]], [[0.5, 4.25]])).toBe(0.5);
    expect(bottleneckDistance([[0, 1]], [[5, 6]])).toBe(0.5);
    expect(wassersteinDistance([[0, 4]], [[0.5, 4.25]])).toBe(0.5);
    expect(wassersteinDistance([[0, 1]], [[5, 6]])).toBe(1);
    expect(wassersteinDistance([[0, 1]], [[5, 6]], { order: 2, internalP: 2 })).toBeCloseTo(1, 15);
  });

  it('handle essential points per type: infinite when the counts differ', () => {
    expect(bottleneckDistance([[0, Infinity], [1, 2]], [[0.25, Infinity]])).toBe(0.5);
    expect(bottleneckDistance([[0, Infinity]], [[0, 3]])).toBe(Infinity);
    expect(bottleneckDistance([[-Infinity, 1]], [[0, Infinity]])).toBe(Infinity);
    expect(wassersteinDistance([[0, Infinity], [2, Infinity]], [[3, Infinity], [0.5, Infinity]], { order: 2 })).toBeCloseTo(Math.sqrt(0.25 + 1), 14);
    expect(wassersteinDistance([[Infinity, Infinity]], [])).toBe(0); // on the diagonal
  });

  it('require a dimension for mixed-dimension diagrams and reject bad input', () => {
    const a = diagram(3);
    expect(() => bottleneckDistance(a, a)).toThrow(/"dimension".*mixes dimensions/);
    expect(() => wassersteinDistance([[0, 1]], [[0, 1]], { order: 0.5 })).toThrow(InvalidParameterError);
    expect(() => wassersteinDistance([[0, 1]], [[0, 1]], { order: 0.5 })).toThrow(/"order": 0\.5 \(allowed: a finite number >= 1\)/);
    expect(() => wassersteinDistance([[0, 1]], [[0, 1]], { internalP: 0 })).toThrow(/internalP/);
    expect(() => bottleneckDistance([[2, 1]], [])).toThrow(/"a\[0\]": \[2,1\] \(allowed: death >= birth\)/);
    expect(() => bottleneckDistance([], [[0, NaN]])).toThrow(/b\[0\] death/);
    expect(() => bottleneckDistance([[0, 1, 2]] as never, [])).toThrow(/a\[0\]/);
  });
});
