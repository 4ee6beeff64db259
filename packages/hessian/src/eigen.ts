import { tf, Rng, checkNumber, InvalidParameterError, type ParamMap } from '@descent/tensor';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { hessianOperator, type LossProblem } from './hvp';
import { dot, dots, normalize, orthogonalize, randomNormalLike, dispose, norm, scale } from './vectors';
import { DeflationBasis } from './deflation';

export interface TopEigenOptions {
  /** How many eigenpairs (largest |λ| first). Default 1. */
  topN?: number;
  /** Power iterations per eigenpair (PyHessian: 100). */
  maxIterations?: number;
  /** Relative change of λ that stops the iteration (PyHessian: 1e-3). */
  tolerance?: number;
  seed?: number;
}

export interface EigenPair {
  value: number;
  /** Unit global norm, by parameter name. The caller owns these tensors. */
  vector: ParamMap;
  iterations: number;
}

/**
 * Top eigenpairs of the Hessian by power iteration with Gram-Schmidt deflation, with PyHessian's
 * semantics: a Gaussian start normalised to unit global norm, at most `maxIterations` products,
 * stop when |λ − λ_prev| / (|λ_prev| + 1e-6) < tolerance.
 */
export function topEigenpairs(problem: LossProblem, options: TopEigenOptions = {}): EigenPair[] {
  const topN = checkNumber('topN', options.topN ?? 1, { min: 1, integer: true });
  const maxIterations = checkNumber('maxIterations', options.maxIterations ?? 100, { min: 1, integer: true });
  const tolerance = checkNumber('tolerance', options.tolerance ?? 1e-3, { min: 0 });
  const rng = new Rng(options.seed ?? 0);
  const pairs: EigenPair[] = [];
  // Deflation projects out the earlier eigenvectors by modified Gram-Schmidt in matrix form (deflation.ts).
  const found = new DeflationBasis(problem.params);
  let v: ParamMap | undefined;
  const op = hessianOperator(problem);
  try {
    for (let k = 0; k < topN; k++) {
      const start = randomNormalLike(problem.params, rng);
      v = normalize(start);
      dispose(start);
      let value: number | undefined;
      let iterations = 0;
      for (let i = 0; i < maxIterations; i++) {
        iterations = i + 1;
        if (found.size > 0) {
          const ortho: ParamMap = found.project(v);
          dispose(v);
          v = ortho;
        }
        const hv = op.apply(v);
        // λ estimate ⟨Hv, v⟩ and ‖Hv‖ read back together; then v = Hv / (‖Hv‖ + 1e-6) as normalize does.
        const [estimate, squared] = dots([[hv, v], [hv, hv]]);
        dispose(v);
        v = scale(hv, 1 / (Math.sqrt(squared) + 1e-6));
        dispose(hv);
        if (value !== undefined && Math.abs(value - estimate) / (Math.abs(value) + 1e-6) < tolerance) {
          value = estimate;
          break;
        }
        value = estimate;
      }
      pairs.push({ value: value!, vector: v, iterations });
      v = undefined;
      if (k + 1 < topN) found.add(pairs[k].vector);
    }
  } catch (e) {
    pairs.forEach((p) => dispose(p.vector));
    dispose(v);
    throw e;
  } finally {
    op.dispose();
    found.dispose();
  }
  return pairs;
}

export interface LanczosResult {
  /** Ritz values, descending. */
  values: number[];
  /** Ritz vectors for the requested top values (unit norm). */
  vectors: ParamMap[];
  /** The tridiagonal matrix: diagonal α and off-diagonal β. */
  alpha: number[];
  beta: number[];
}

/** Eigen-decomposition of a symmetric tridiagonal matrix (ml-matrix). */
export function tridiagonalEigen(alpha: number[], beta: number[]): { values: number[]; vectors: number[][] } {
  const m = alpha.length;
  const T = Matrix.zeros(m, m);
  for (let i = 0; i < m; i++) {
    T.set(i, i, alpha[i]);
    if (i + 1 < m) {
      T.set(i, i + 1, beta[i]);
      T.set(i + 1, i, beta[i]);
    }
  }
  const evd = new EigenvalueDecomposition(T, { assumeSymmetric: true });
  const V = evd.eigenvectorMatrix;
  return { values: evd.realEigenvalues, vectors: Array.from({ length: m }, (_, j) => V.getColumn(j)) };
}

/**
 * Lanczos with full reorthogonalisation: `steps` Hessian-vector products give a tridiagonal
 * matrix whose extreme eigenvalues approximate the Hessian's. Returns the top `topN` Ritz pairs.
 */
export function lanczos(problem: LossProblem, options: { steps?: number; topN?: number; seed?: number; start?: ParamMap } = {}): LanczosResult {
  const steps = checkNumber('steps', options.steps ?? 30, { min: 1, integer: true });
  const topN = checkNumber('topN', options.topN ?? 1, { min: 0, integer: true });
  if (topN > steps) throw new InvalidParameterError('topN', topN, `≤ steps (${steps})`);
  const rng = new Rng(options.seed ?? 0);
  const start = options.start ?? randomNormalLike(problem.params, rng);
  const basis: ParamMap[] = [scale(start, 1 / norm(start))];
  if (!options.start) dispose(start);
  const alpha: number[] = [];
  const beta: number[] = [];
  const op = hessianOperator(problem);
  try {
    for (let j = 0; j < steps; j++) {
      const w = op.apply(basis[j]);
      alpha.push(dot(w, basis[j]));
      // Full reorthogonalisation against every basis vector keeps the Ritz values clean.
      const r = orthogonalize(w, basis);
      dispose(w);
      const b = norm(r);
      if (j === steps - 1 || b < 1e-10) {
        dispose(r);
        break;
      }
      beta.push(b);
      basis.push(scale(r, 1 / b));
      dispose(r);
    }
  } catch (e) {
    dispose(...basis);
    throw e;
  } finally {
    op.dispose();
  }
  const m = alpha.length;
  const { values, vectors } = tridiagonalEigen(alpha, beta.slice(0, m - 1));
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
  const ritz: ParamMap[] = order.slice(0, topN).map(([, i]) => {
    const y = vectors[i];
    return Object.fromEntries(
      problem.params.map((p) => [p.name, tf.tidy(() => tf.addN(basis.slice(0, m).map((q, k) => tf.mul(q[p.name], y[k]))))]),
    );
  });
  dispose(...basis);
  return { values: order.map(([v]) => v), vectors: ritz, alpha, beta: beta.slice(0, m - 1) };
}


