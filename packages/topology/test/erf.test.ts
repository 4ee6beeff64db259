import { describe, it, expect } from 'vitest';
import { erf, erfc, normalMass } from '../src/erf';
import { fixture } from './golden';

describe('erf, erfc', () => {
  it('agree with scipy.special to 2e-15 and 5e-15 relative', () => {
    const values = fixture<{ erf: Array<[number, number, number]> }>('summaries.json').erf;
    expect(values.length).toBeGreaterThan(10);
    for (const [x, e, c] of values) {
      expect(Math.abs(erf(x) - e)).toBeLessThanOrEqual(2e-15 * Math.abs(e));
      expect(Math.abs(erfc(x) - c)).toBeLessThanOrEqual(5e-15 * c);
    }
  });

  it('are odd / complementary and saturate', () => {
    expect(erf(0)).toBe(0);
    expect(erf(-0.7)).toBe(-erf(0.7));
    expect(erf(40)).toBe(1);
    expect(erfc(40)).toBe(0);
    expect(erfc(-40)).toBe(2);
    expect(Number.isNaN(erf(NaN))).toBe(true);
  });

  it('normalMass keeps relative accuracy far in the tails', () => {
    expect(normalMass(-Infinity, Infinity)).toBe(1);
    expect(normalMass(-1, 1)).toBeCloseTo(0.6826894921370859, 15);
    // the mass beyond 10 sigma is erfc(10 / sqrt 2) / 2 = 7.62e-24, lost entirely by 1 - erf
    expect(normalMass(10, Infinity) / 7.619853024160527e-24).toBeCloseTo(1, 12);
    expect(normalMass(-Infinity, -10)).toBe(normalMass(10, Infinity));
  });
});
