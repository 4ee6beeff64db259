import { describe, expect, it } from 'vitest';
import { Matrix, SVD } from 'ml-matrix';
import { Rng } from '@descent/tensor';
import { bidiagonalSingularValues } from '../src/bidiagonal';
import { gaussian, orthogonal } from './helpers';

function mlMatrixValues(a: Float64Array, m: number, n: number): number[] {
  const x = new Matrix(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) x.set(i, j, a[i * n + j]);
  return new SVD(x, { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: true }).diagonal;
}

function expectSameSpectrum(actual: Float64Array, expected: ArrayLike<number>) {
  expect(actual.length).toBe(expected.length);
  const top = Math.max(expected[0], 1e-300);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(1e-13 * top);
  for (let i = 1; i < actual.length; i++) expect(actual[i]).toBeLessThanOrEqual(actual[i - 1]);
  for (const v of actual) expect(v).toBeGreaterThanOrEqual(0);
}

describe('bidiagonalSingularValues (Golub–Kahan, values only)', () => {
  const rng = new Rng('bidiagonal');
  const shapes: Array<[number, number]> = [[1, 1], [1, 7], [7, 1], [2, 2], [3, 5], [5, 3], [17, 17], [64, 9], [9, 64], [100, 80], [80, 100]];
  for (const [m, n] of shapes) {
    it(`agrees with ml-matrix's SVD on a Gaussian ${m}×${n}`, () => {
      const a = gaussian(rng, m, n);
      expectSameSpectrum(bidiagonalSingularValues(a.slice(), m, n), mlMatrixValues(a, m, n));
    });
  }

  it('returns exact values for structured inputs', () => {
    // diag(3, −2, 0, 5) permuted: singular values 5, 3, 2, 0.
    const d = new Float64Array([0, 0, 0, 5, 3, 0, 0, 0, 0, -2, 0, 0, 0, 0, 0, 0]);
    expectSameSpectrum(bidiagonalSingularValues(d, 4, 4), [5, 3, 2, 0]);
    expectSameSpectrum(bidiagonalSingularValues(new Float64Array(12), 3, 4), [0, 0, 0]);
    // Columns with orthonormal directions, scaled: singular values are the scales.
    const q = orthogonal(rng, 50, 6);
    const scales = [9, 7, 5, 3, 1, 1e-9];
    for (let i = 0; i < 50; i++) for (let j = 0; j < 6; j++) q[i * 6 + j] *= scales[j];
    const s = bidiagonalSingularValues(q, 50, 6);
    scales.forEach((v, i) => expect(Math.abs(s[i] - v) / v).toBeLessThan(1e-6));
    expect(Math.abs(s[5] - 1e-9)).toBeLessThan(1e-14); // small values keep absolute accuracy ~ε·σ₁
  });

  it('handles rank deficiency, repeated values and widely graded scales', () => {
    const u = gaussian(rng, 40, 3);
    const v = gaussian(rng, 3, 30);
    const a = new Float64Array(40 * 30);
    for (let i = 0; i < 40; i++) for (let j = 0; j < 30; j++) for (let t = 0; t < 3; t++) a[i * 30 + j] += u[i * 3 + t] * v[t * 30 + j];
    const s = bidiagonalSingularValues(a.slice(), 40, 30);
    expect(s[2] / s[0]).toBeGreaterThan(1e-3);
    for (let i = 3; i < 30; i++) expect(s[i]).toBeLessThan(1e-13 * s[0]);
    const eye = new Float64Array(25 * 25);
    for (let i = 0; i < 25; i++) eye[i * 25 + i] = 1;
    expectSameSpectrum(bidiagonalSingularValues(eye, 25, 25), new Array(25).fill(1));
    const graded = gaussian(rng, 20, 20).map((x, i) => x * 10 ** (-(i % 20) / 2));
    expectSameSpectrum(bidiagonalSingularValues(graded.slice(), 20, 20), mlMatrixValues(graded, 20, 20));
  });

  it('does not overflow or underflow on extreme scales', () => {
    for (const scale of [1e-300, 1e300]) {
      const a = gaussian(new Rng(1), 6, 4).map((x) => x * scale);
      const s = bidiagonalSingularValues(a.slice(), 6, 4);
      const ref = mlMatrixValues(gaussian(new Rng(1), 6, 4), 6, 4);
      s.forEach((v, i) => expect(v / scale).toBeCloseTo(ref[i], 10));
    }
  });
});
