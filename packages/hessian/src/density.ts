import { Rng, checkNumber, InvalidParameterError } from '@descent/tensor';
import { lanczos, tridiagonalEigen } from './eigen';
import type { LossProblem } from './hvp';
import { randomNormalLike, dispose } from './vectors';

export interface SpectralDensity {
  /** Per run: Ritz values (quadrature nodes) and their weights (squared first components, summing to 1). */
  runs: QuadratureRun[];
}

/** One run of stochastic Lanczos quadrature: Ritz values and their weights (summing to 1). */
export interface QuadratureRun {
  nodes: number[];
  weights: number[];
}

/**
 * One SLQ run: `steps` Lanczos products from a Gaussian start drawn from `Rng(seed).fork(run)`.
 * The start depends only on (seed, run), so runs can be computed anywhere, in any order (e.g. as
 * independent jobs on worker threads) and give the same numbers as `spectralDensity`.
 */
export function quadratureRun(problem: LossProblem, options: { steps?: number; seed?: number; run?: number } = {}): QuadratureRun {
  const steps = checkNumber('steps', options.steps ?? 30, { min: 2, integer: true });
  const run = checkNumber('run', options.run ?? 0, { min: 0, integer: true });
  const start = randomNormalLike(problem.params, new Rng(options.seed ?? 0).fork(run));
  const { alpha, beta } = lanczos(problem, { steps, topN: 0, start });
  dispose(start);
  const { values, vectors } = tridiagonalEigen(alpha, beta);
  return { nodes: values, weights: vectors.map((v) => v[0] * v[0]) };
}

/**
 * Stochastic Lanczos quadrature (Ghorbani et al. 2019; PyHessian's `density`): `runs` Lanczos
 * runs of `steps` products from random starts; each gives nodes and weights of a quadrature of
 * the spectral density. Run r is `quadratureRun(problem, { steps, seed, run: r })`.
 */
export function spectralDensity(problem: LossProblem, options: { runs?: number; steps?: number; seed?: number } = {}): SpectralDensity {
  const runs = checkNumber('runs', options.runs ?? 1, { min: 1, integer: true });
  const steps = checkNumber('steps', options.steps ?? 30, { min: 2, integer: true });
  const out: QuadratureRun[] = [];
  for (let r = 0; r < runs; r++) out.push(quadratureRun(problem, { steps, seed: options.seed ?? 0, run: r }));
  return { runs: out };
}

/** The density smoothed by a Gaussian of width `sigma` on `gridSize` points spanning the nodes (PyHessian's get_esd_plot). */
export function densityOnGrid(density: SpectralDensity, options: { gridSize?: number; sigma?: number; padding?: number } = {}): { x: number[]; density: number[] } {
  const gridSize = checkNumber('gridSize', options.gridSize ?? 10000, { min: 2, integer: true });
  const sigmaSq = checkNumber('sigma', options.sigma ?? 1e-5, { min: 0, minExclusive: true });
  const padding = options.padding ?? 0.01;
  const all = density.runs.flatMap((r) => r.nodes);
  if (all.length === 0) throw new InvalidParameterError('density', density, 'at least one run with nodes');
  const lo = Math.min(...all) - padding;
  const hi = Math.max(...all) + padding;
  const x = Array.from({ length: gridSize }, (_, i) => lo + ((hi - lo) * i) / (gridSize - 1));
  const y = new Array(gridSize).fill(0);
  // PyHessian smooths with variance sigma² = max(0, sigma)… it passes `sigma` as the variance.
  for (const run of density.runs) {
    run.nodes.forEach((node, j) => {
      for (let i = 0; i < gridSize; i++) y[i] += (run.weights[j] * Math.exp(-((x[i] - node) ** 2) / (2 * sigmaSq))) / Math.sqrt(2 * Math.PI * sigmaSq);
    });
  }
  const total = y.reduce((a, b) => a + b, 0) * ((hi - lo) / (gridSize - 1));
  return { x, density: y.map((v) => v / density.runs.length / (total / density.runs.length || 1)) };
}
