import { checkNumber, type ParamMap } from '@descent/tensor';
import { crossEntropy, modelProblem, topEigenpairs } from '@descent/hessian';
import { variablesOf, type LandscapeProblem } from './evaluate';

export interface HessianDirectionOptions {
  /** How many eigenvectors, largest |λ| first (the book: 4, used in pairs). Default 2. */
  top?: number;
  /** Power iterations per eigenvector (PyHessian: 100). */
  maxIterations?: number;
  /** Relative change of λ that stops an iteration (PyHessian: 1e-3). */
  tolerance?: number;
  seed?: number;
}

export interface HessianDirections {
  /** Eigenvalues, in the order of `directions`. */
  values: number[];
  /** Unit global norm eigenvectors by parameter name; the caller owns the tensors. */
  directions: ParamMap[];
  /** Power iterations each eigenvector took. */
  iterations: number[];
}

/**
 * The top Hessian eigenvectors of the problem's loss at the current weights, as landscape
 * directions (the book's loss surface: PyHessian's power iteration with deflation, unit global
 * norm, not filter-normalised). The loss must be second-order safe: the default is
 * @descent/hessian's `crossEntropy`; a custom `problem.loss` is used as given.
 */
export function hessianDirections(problem: LandscapeProblem, options: HessianDirectionOptions = {}): HessianDirections {
  const top = checkNumber('top', options.top ?? 2, { min: 1, integer: true });
  const eigenProblem = modelProblem(problem.model, problem.inputs, problem.labels, problem.loss ?? crossEntropy, variablesOf(problem));
  const pairs = topEigenpairs(eigenProblem, { topN: top, maxIterations: options.maxIterations ?? 100, tolerance: options.tolerance ?? 1e-3, seed: options.seed ?? 0 });
  return { values: pairs.map((p) => p.value), directions: pairs.map((p) => p.vector), iterations: pairs.map((p) => p.iterations) };
}
