import { beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend, InvalidParameterError } from '@descent/tensor';
import { loadFixture, tensorsLeakedPerCall } from '@descent/testkit';
import { weightSpectrum } from '@descent/spectrum';
import { num } from './helpers';

interface Expected {
  singularValues: number[];
  spectralNorm: number;
  condition: number | string;
  numericalRank: number;
  tolerance: number;
  effectiveRank: number;
  effectiveRankRatio: number;
  cumulativeRank: number;
  cumulativeRankRatio: number;
  stableRank: number;
  frobeniusNorm: number;
}
interface Case {
  name: string;
  kind: 'tensor' | 'rows';
  shape: number[];
  matrixShape: [number, number];
  values: number[];
  expected: Expected;
  numpyFloat32: { singularValues: number[]; matrixRank: number; cond: number | string } | null;
}
const { cases } = loadFixture<{ cases: Case[] }>('spectrum', 'weights');

beforeAll(async () => {
  await useBackend('wasm');
});

function analyse(c: Case, options: Parameters<typeof weightSpectrum>[1] = {}) {
  if (c.kind === 'rows') {
    const [m, n] = c.shape;
    return weightSpectrum(Array.from({ length: m }, (_, i) => c.values.slice(i * n, (i + 1) * n)), options);
  }
  const t = tf.tensor(c.values, c.shape, 'float32');
  try {
    return weightSpectrum(t, options);
  } finally {
    t.dispose();
  }
}

describe('weightSpectrum against numpy.linalg (tools/golden/spectrum.py)', () => {
  it('covers the shape classes', () => {
    expect(cases.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'tall dense [40, 12]',
        'wide dense [9, 30]',
        'square dense [24, 24]',
        'conv2d kernel [3, 3, 4, 8]',
        'rank-deficient [30, 20], rank 5',
        'exactly singular [16, 16]',
        'PReLU slope [1]',
      ]),
    );
  });

  for (const c of cases) {
    it(c.name, () => {
      const s = analyse(c);
      const e = c.expected;
      const top = e.singularValues[0];
      expect(s.shape).toEqual(c.shape);
      expect(s.matrixShape).toEqual(c.matrixShape);
      expect(s.singularValues.length).toBe(e.singularValues.length);
      // Both sides are float64 SVDs of the same (float32) numbers: agreement to rounding.
      s.singularValues.forEach((v, i) => expect(Math.abs(v - e.singularValues[i])).toBeLessThanOrEqual(1e-12 * top + 1e-10 * e.singularValues[i]));
      expect(s.spectralNorm).toBeCloseTo(e.spectralNorm, 12);
      expect(s.frobeniusNorm).toBeCloseTo(e.frobeniusNorm, 12);
      const cond = num(e.condition);
      if (cond === Infinity) expect(s.condition).toBe(Infinity);
      else expect(Math.abs(s.condition - cond) / cond).toBeLessThan(1e-9);
      expect(s.numericalRank).toBe(e.numericalRank);
      expect(s.tolerance).toBeCloseTo(e.tolerance, 15);
      expect(s.effectiveRank).toBeCloseTo(e.effectiveRank, 10);
      expect(s.effectiveRankRatio).toBeCloseTo(e.effectiveRankRatio, 10);
      expect(s.cumulativeRank).toBe(e.cumulativeRank);
      expect(s.cumulativeRankRatio).toBeCloseTo(e.cumulativeRankRatio, 14);
      expect(s.stableRank).toBeCloseTo(e.stableRank, 10);
      expect(s.rankRatio).toBe(s.effectiveRankRatio);
      expect(s.complete).toBe(true);
      if (c.numpyFloat32) {
        // numpy's float32 SVD of the same array: the float32 path agrees to ~1e-6 of σ_max.
        const f = c.numpyFloat32;
        s.singularValues.forEach((v, i) => expect(Math.abs(v - f.singularValues[i])).toBeLessThanOrEqual(1e-5 * top));
        expect(s.numericalRank).toBe(f.matrixRank);
      }
    });
  }

  it("variant 'book' reports the cumulative-95 % ratio as rankRatio", () => {
    for (const c of cases) {
      const s = analyse(c, { variant: 'book' });
      expect(s.variant).toBe('book');
      expect(s.rankRatio).toBe(c.expected.cumulativeRankRatio);
    }
  });

  it('counts the PReLU slope as the book does: spectral norm |a|, condition 1, rank 1', () => {
    const s = weightSpectrum(tf.tidy(() => tf.tensor1d([-0.25])), { variant: 'book' });
    expect(s).toMatchObject({ spectralNorm: 0.25, condition: 1, numericalRank: 1, effectiveRank: 1, cumulativeRank: 1, rankRatio: 1, stableRank: 1 });
  });

  it('reads a dense kernel [in, out] as the [out, in] matrix and a conv kernel per filter', () => {
    const dense = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const conv = tf.zeros([3, 3, 2, 5]);
    try {
      expect(weightSpectrum(dense).matrixShape).toEqual([3, 2]);
      expect(weightSpectrum(conv).matrixShape).toEqual([5, 18]);
      expect(weightSpectrum([[1, 2, 3], [4, 5, 6]]).matrixShape).toEqual([2, 3]);
      expect(weightSpectrum([3, 4]).singularValues).toEqual(new Float64Array([5]));
    } finally {
      dense.dispose();
      conv.dispose();
    }
  });

  it('uses float32 epsilon for float32 tensors and float64 epsilon for plain numbers', () => {
    // diag(1, 1e-7): singular at float32 resolution (tolerance 2·2⁻²³ ≈ 2.4e-7), not at float64's.
    const d = [[1, 0], [0, 1e-7]];
    const t = tf.tensor2d(d);
    try {
      expect(weightSpectrum(t).condition).toBe(Infinity);
      expect(weightSpectrum(t).numericalRank).toBe(1);
      expect(weightSpectrum(d).condition).toBeCloseTo(1e7, 0);
      expect(weightSpectrum(d).numericalRank).toBe(2);
      expect(weightSpectrum(t, { rtol: 0 }).condition).toBeCloseTo(1 / Math.fround(1e-7), 0);
    } finally {
      t.dispose();
    }
  });

  it("method 'randomized' gives the top values, spectral norm and stable rank, and NaN for the rest", () => {
    const c = cases.find((x) => x.name.startsWith('square'))!;
    const s = analyse(c, { method: 'randomized', k: 3 });
    expect(s.complete).toBe(false);
    expect(s.method).toBe('randomized');
    expect(s.singularValues.length).toBe(3);
    s.singularValues.forEach((v, i) => expect(v).toBeCloseTo(c.expected.singularValues[i], 10));
    expect(s.stableRank).toBeCloseTo(c.expected.stableRank, 9);
    for (const key of ['condition', 'numericalRank', 'effectiveRank', 'effectiveRankRatio', 'cumulativeRankRatio', 'rankRatio'] as const) {
      expect(s[key]).toBeNaN();
    }
  });

  it('rejects bad input with typed errors naming parameter, value and what is allowed', () => {
    const bad: Array<[() => unknown, string]> = [
      [() => weightSpectrum([[1, NaN]]), 'weight'],
      [() => weightSpectrum([[1, 2], [3]]), 'weight'],
      [() => weightSpectrum([]), 'weight.shape'],
      [() => weightSpectrum('w' as never), 'weight'],
      [() => weightSpectrum([[1]], { method: 'svd' as never }), 'method'],
      [() => weightSpectrum([[1]], { variant: 'roy' as never }), 'variant'],
      [() => weightSpectrum([[1]], { threshold: 1.5 }), 'threshold'],
      [() => weightSpectrum([[1]], { rtol: -1 }), 'rtol'],
      [() => weightSpectrum([[1, 2]], { method: 'randomized', k: 2 }), 'k'],
    ];
    for (const [call, parameter] of bad) {
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error, parameter).toBeInstanceOf(InvalidParameterError);
      expect((error as InvalidParameterError).parameter).toBe(parameter);
      expect((error as InvalidParameterError).allowed.length).toBeGreaterThan(0);
    }
    const scalar = tf.scalar(1);
    const bool = tf.tensor1d([1, 0], 'bool');
    const inf = tf.tensor1d([1, Infinity]);
    try {
      expect(() => weightSpectrum(scalar)).toThrow(/weight\.shape/);
      expect(() => weightSpectrum(bool)).toThrow(/weight\.dtype/);
      expect(() => weightSpectrum(inf)).toThrow(/Infinity at flat index 1/);
    } finally {
      tf.dispose([scalar, bool, inf]);
    }
  });

  it('creates no tensors', () => {
    const t = tf.randomNormal([20, 10]);
    try {
      expect(tensorsLeakedPerCall(() => weightSpectrum(t))).toBe(0);
    } finally {
      t.dispose();
    }
  });
});
