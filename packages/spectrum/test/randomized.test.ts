import { describe, expect, it } from 'vitest';
import { Rng } from '@descent/tensor';
import { bidiagonalSingularValues } from '../src/bidiagonal';
import { randomizedSingularValues } from '../src/randomized';
import { gaussian, maxRelError, orthogonal } from './helpers';

describe('randomizedSingularValues (block Krylov range finder)', () => {
  // Gaussian matrices are the hard case: the top of their spectrum is flat (σ₁₀/σ₁ ≈ 0.99 at
  // 1024²), exactly what freshly initialised weights look like.
  for (const [n, k] of [[512, 10], [1024, 5]]) {
    it(`finds the top ${k} of a Gaussian ${n}×${n} to 1e-8 relative, checked against the full SVD`, () => {
      const a = gaussian(new Rng(n), n, n, 1 / Math.sqrt(n));
      const exact = bidiagonalSingularValues(a.slice(), n, n);
      const r = randomizedSingularValues(a, n, n, { k });
      expect(r.converged).toBe(true);
      expect(r.values.length).toBe(k);
      expect(maxRelError(r.values, exact.subarray(0, k))).toBeLessThan(1e-8);
      // Rayleigh–Ritz values never exceed the true ones.
      r.values.forEach((v, i) => expect(v).toBeLessThanOrEqual(exact[i] * (1 + 1e-12)));
      const top = randomizedSingularValues(a, n, n, { k: 1 });
      expect(Math.abs(top.values[0] - exact[0]) / exact[0]).toBeLessThan(1e-8);
      expect(top.matvecs).toBeLessThan(n / 2);
    });
  }

  it('is exact on a wide, tall or rank-deficient matrix once the space is complete', () => {
    const rng = new Rng('complete');
    const a = gaussian(rng, 300, 12);
    const exact = bidiagonalSingularValues(a.slice(), 300, 12);
    const r = randomizedSingularValues(a, 300, 12, { k: 4, maxIterations: 50 });
    expect(maxRelError(r.values, exact.subarray(0, 4))).toBeLessThan(1e-12);
    const wide = randomizedSingularValues(gaussian(new Rng(3), 12, 300), 12, 300, { k: 12 });
    expect(wide.values.length).toBe(12);
    // Rank 3 asked for 5: the last two are zero to rounding of σ₁ (taken from B's SVD, not its Gram matrix).
    const u = gaussian(rng, 200, 3);
    const v = gaussian(rng, 3, 150);
    const low = new Float64Array(200 * 150);
    for (let i = 0; i < 200; i++) for (let j = 0; j < 150; j++) for (let t = 0; t < 3; t++) low[i * 150 + j] += u[i * 3 + t] * v[t * 150 + j];
    const lowExact = bidiagonalSingularValues(low.slice(), 200, 150);
    const lr = randomizedSingularValues(low, 200, 150, { k: 5 });
    expect(lr.converged).toBe(true);
    expect(maxRelError(lr.values.subarray(0, 3), lowExact.subarray(0, 3))).toBeLessThan(1e-12);
    expect(lr.values[3]).toBeLessThan(1e-12 * lr.values[0]);
  });

  it('returns repeated singular values (orthogonal matrix: all ones)', () => {
    const q = orthogonal(new Rng('q'), 400, 300);
    const r = randomizedSingularValues(q, 400, 300, { k: 5 });
    r.values.forEach((v) => expect(v).toBeCloseTo(1, 12));
    // AAᵀ is the identity on the range: the second block is the first again and the space is complete.
    expect(r.iterations).toBe(1);
    expect(r.converged).toBe(true);
  });

  it('is deterministic for a seed, and the seed only moves the result within the tolerance', () => {
    const a = gaussian(new Rng('seed'), 256, 200);
    const r1 = randomizedSingularValues(a, 256, 200, { k: 3, seed: 1 });
    const r2 = randomizedSingularValues(a, 256, 200, { k: 3, seed: 1 });
    const r3 = randomizedSingularValues(a, 256, 200, { k: 3, seed: 2 });
    expect(r2.values).toEqual(r1.values);
    expect(maxRelError(r3.values, r1.values)).toBeLessThan(1e-8);
  });

  it('reports non-convergence when maxIterations is too small', () => {
    const a = gaussian(new Rng('slow'), 300, 300);
    const r = randomizedSingularValues(a, 300, 300, { k: 1, maxIterations: 2 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(2);
  });
});
