import { Rng, checkNumber } from '@descent/tensor';
import { hessianOperator, type LossProblem } from './hvp';
import { rademacherLike, dispose } from './vectors';

export interface TraceResult {
  /** Mean of the vᵀHv samples. */
  trace: number;
  samples: number[];
  /** Standard error of the mean. */
  standardError: number;
}

/**
 * Hutchinson's estimator tr(H) ≈ mean(vᵀHv), v Rademacher, with PyHessian's stopping rule:
 * stop when the running mean changes by less than `tolerance` relative (at most `maxIterations`).
 */
export function hutchinsonTrace(problem: LossProblem, options: { maxIterations?: number; tolerance?: number; seed?: number } = {}): TraceResult {
  const maxIterations = checkNumber('maxIterations', options.maxIterations ?? 100, { min: 1, integer: true });
  const tolerance = checkNumber('tolerance', options.tolerance ?? 1e-3, { min: 0 });
  const rng = new Rng(options.seed ?? 0);
  const samples: number[] = [];
  let trace = 0;
  const op = hessianOperator(problem);
  try {
    for (let i = 0; i < maxIterations; i++) {
      const v = rademacherLike(problem.params, rng);
      samples.push(op.quadraticForm(v));
      dispose(v);
      const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
      const done = Math.abs(mean - trace) / (Math.abs(trace) + 1e-6) < tolerance;
      trace = mean;
      if (done) break;
    }
  } finally {
    op.dispose();
  }
  const n = samples.length;
  const variance = n > 1 ? samples.reduce((s, x) => s + (x - trace) ** 2, 0) / (n - 1) : 0;
  return { trace, samples, standardError: Math.sqrt(variance / n) };
}
