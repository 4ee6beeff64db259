import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend } from '@descent/tensor';
import { topEigenpairs, lanczos, hutchinsonTrace, spectralDensity, densityOnGrid, hutchinsonDiagonal, dot } from '@descent/hessian';
import { fixture, setup, relErr } from './fixture';

describe('Hessian spectrum against torch 1.13 exact Hessians', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('power iteration with deflation finds the top eigenvalues (by magnitude) with orthonormal vectors', () => {
    // A case whose top three magnitudes are well separated (power iteration converges like |λ_{k+1}/λ_k|^i).
    const c = fixture.cases.find((k) => k.name === 'mlp-relu-deeper')!;
    const s = setup(c);
    const pairs = topEigenpairs(s.problem, { topN: 3, maxIterations: 300, tolerance: 1e-7, seed: 1 });
    pairs.forEach((p, i) => expect(p.value).toBeCloseTo(c.topAbsEigenvalues[i], 3));
    // float32 vectors stop at tolerance 1e-7 in λ: orthogonality holds to about 1e-4.
    expect(dot(pairs[0].vector, pairs[1].vector)).toBeCloseTo(0, 3);
    expect(dot(pairs[1].vector, pairs[1].vector)).toBeCloseTo(1, 4);
    pairs.forEach((p) => tf.dispose(Object.values(p.vector)));
    s.dispose();
  });

  it('Lanczos recovers the extreme eigenvalues', () => {
    const c = fixture.cases.find((k) => k.name === 'mlp-relu-deeper')!;
    const s = setup(c);
    const n = c.grad.length;
    const r = lanczos(s.problem, { steps: Math.min(n, 80), topN: 2, seed: 3 });
    expect(r.values[0]).toBeCloseTo(c.eigenvalues[0], 3);
    expect(r.values[1]).toBeCloseTo(c.eigenvalues[1], 3);
    expect(r.values[r.values.length - 1]).toBeCloseTo(c.eigenvalues[c.eigenvalues.length - 1], 3);
    r.vectors.forEach((v) => tf.dispose(Object.values(v)));
    s.dispose();
  });

  it('Hutchinson trace is within its standard error of the exact trace', () => {
    const c = fixture.cases.find((k) => k.name === 'mlp-sigmoid')!;
    const s = setup(c);
    const r = hutchinsonTrace(s.problem, { maxIterations: 200, tolerance: 0, seed: 5 });
    expect(r.samples).toHaveLength(200);
    expect(Math.abs(r.trace - c.trace)).toBeLessThan(4 * r.standardError);
    s.dispose();
  });

  it('SLQ weights sum to one and the nodes span the spectrum', () => {
    const c = fixture.cases.find((k) => k.name === 'mlp-gelu')!;
    const s = setup(c);
    const d = spectralDensity(s.problem, { runs: 2, steps: 40, seed: 2 });
    for (const run of d.runs) {
      expect(run.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(Math.max(...run.nodes)).toBeCloseTo(c.eigenvalues[0], 3);
    }
    // The SLQ estimate of tr(H)/n is the weighted node mean.
    const mean = d.runs.map((r) => r.nodes.reduce((a, x, i) => a + x * r.weights[i], 0));
    expect(Number.isFinite(mean[0])).toBe(true);
    const grid = densityOnGrid(d, { gridSize: 500, sigma: 1e-3 });
    expect(grid.x).toHaveLength(500);
    expect(grid.density.every((v) => v >= 0)).toBe(true);
    s.dispose();
  });

  it('Hutchinson diagonal converges to the exact diagonal', () => {
    const c = fixture.cases.find((k) => k.name === 'mlp-softplus')!;
    const s = setup(c);
    const before = tf.memory().numTensors;
    const diag = hutchinsonDiagonal(s.problem, { samples: 400 });
    expect(tf.memory().numTensors).toBe(before + s.problem.params.length);
    expect(relErr(s.flat(diag), c.hessianDiag)).toBeLessThan(0.35);
    tf.dispose(Object.values(diag));
    s.dispose();
  });

  it('rejects bad options by name', () => {
    const s = setup(fixture.cases[0]);
    expect(() => topEigenpairs(s.problem, { topN: 0 })).toThrow(/topN/);
    expect(() => lanczos(s.problem, { steps: 2, topN: 3 })).toThrow(/topN/);
    s.dispose();
  });
});
