import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor';
import { spectrumMetrics } from '@descent/spectrum';

describe('spectrumMetrics', () => {
  it('computes every metric from the singular values', () => {
    const s = [4, 2, 1, 1];
    const m = spectrumMetrics(s, 4, 6);
    const total = 8;
    const p = s.map((v) => v / total);
    expect(m.spectralNorm).toBe(4);
    expect(m.condition).toBe(4);
    expect(m.numericalRank).toBe(4);
    expect(m.effectiveRank).toBeCloseTo(Math.exp(-p.reduce((h, q) => h + q * Math.log(q), 0)), 14);
    expect(m.effectiveRankRatio).toBeCloseTo(m.effectiveRank / 4, 14);
    // Cumulative shares 0.5, 0.75, 0.875, 1: three stay below 95 %.
    expect(m.cumulativeRank).toBe(3);
    expect(m.cumulativeRankRatio).toBe(0.75);
    expect(m.stableRank).toBeCloseTo((16 + 4 + 1 + 1) / 16, 14);
    expect(m.rankRatio).toBe(m.effectiveRankRatio);
    expect(spectrumMetrics(s, 4, 6, { variant: 'book' }).rankRatio).toBe(0.75);
    expect(spectrumMetrics(s, 4, 6, { threshold: 0.8 }).cumulativeRank).toBe(2);
  });

  it('counts strictly below the threshold, as np.sum(np.cumsum(s)/np.sum(s) < 0.95)', () => {
    // Twenty equal values: shares k/20; k = 19 gives exactly 0.95 (in floating point too) and is not counted.
    const s = new Array(20).fill(1);
    expect(19 / 20).toBe(0.95);
    expect(spectrumMetrics(s, 20, 20).cumulativeRank).toBe(18);
  });

  it('treats a single singular value as rank 1 (the book counts the PReLU slope so)', () => {
    expect(spectrumMetrics([0.25], 1, 1)).toMatchObject({ condition: 1, numericalRank: 1, effectiveRank: 1, cumulativeRank: 1, cumulativeRankRatio: 1, stableRank: 1 });
    expect(spectrumMetrics([3], 5, 1, { variant: 'book' }).rankRatio).toBe(1);
  });

  it('reports a singular matrix as condition Infinity, with numpy.linalg.matrix_rank tolerance', () => {
    const eps = 2 ** -52;
    // tol = σ_max·max(m, n)·ε = 3·3·ε.
    expect(spectrumMetrics([3, 1, 9 * eps], 3, 3).condition).toBe(Infinity);
    expect(spectrumMetrics([3, 1, 9 * eps], 3, 3).numericalRank).toBe(2);
    expect(spectrumMetrics([3, 1, 10 * eps], 3, 3).condition).toBeCloseTo(3 / (10 * eps), -3);
    expect(spectrumMetrics([3, 1, 1e-3], 3, 3, { rtol: 1e-3 }).condition).toBe(Infinity);
    expect(spectrumMetrics([3, 1, 1e-3], 3, 3, { eps: 2 ** -23 }).condition).toBeCloseTo(3000, 9);
    const zero = spectrumMetrics([0, 0], 2, 3);
    expect(zero).toMatchObject({ spectralNorm: 0, condition: Infinity, numericalRank: 0, effectiveRank: 0, cumulativeRank: 0, stableRank: 0 });
  });

  it('rejects values that are not a descending non-negative spectrum of the right length', () => {
    for (const [s, m, n, parameter] of [
      [[1, 2], 2, 2, 'singularValues'],
      [[1, -1], 2, 2, 'singularValues'],
      [[1, NaN], 2, 2, 'singularValues'],
      [[1], 2, 2, 'singularValues.length'],
      [[1], 0, 1, 'm'],
      [[1], 1, 1.5, 'n'],
    ] as const) {
      expect(() => spectrumMetrics(s, m, n)).toThrow(InvalidParameterError);
      try {
        spectrumMetrics(s, m, n);
      } catch (e) {
        expect((e as InvalidParameterError).parameter).toBe(parameter);
      }
    }
    expect(() => spectrumMetrics([1], 1, 1, { threshold: 0 })).toThrow(/threshold/);
    expect(() => spectrumMetrics([1], 1, 1, { eps: 2 })).toThrow(/eps/);
  });
});
