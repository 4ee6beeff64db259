import { checkNumber, InvalidParameterError } from '@descent/tensor';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { TrajectoryPoint } from './trajectory';
import { flattenParams, layoutOf } from './flatten';

/**
 * Exact t-SNE (van der Maaten & Hinton 2008) for the few points of a weight-space trajectory (the
 * book: t-SNE(2, perplexity 1) of 15 checkpoints). No maintained t-SNE package is installed in
 * this workspace, so this is a compact re-implementation of scikit-learn 1.2's `method='exact'`:
 * the same perplexity search, joint probabilities, PCA initialisation (first component scaled to
 * standard deviation 1e-4), early exaggeration 12 for 250 iterations with momentum 0.5, then
 * momentum 0.8, gains (delta-bar-delta), learning rate 'auto' = max(N / 12 / 4, 50), and its stop
 * rules. O(N²) memory and time per iteration: meant for N up to a few thousand.
 */
export interface TsneOptions {
  /** Effective number of neighbours, < N (scikit-learn's default 30; the book: 1). */
  perplexity?: number;
  /** Embedding dimension (default 2). */
  components?: number;
  /** Total iterations including the (up to) 250 of early exaggeration (scikit-learn's n_iter: 1000). */
  iterations?: number;
  learningRate?: number | 'auto';
  earlyExaggeration?: number;
  /** 'pca' (default) or explicit starting coordinates [N][components]. */
  init?: 'pca' | number[][];
}

export interface TsneResult {
  embedding: number[][];
  /** KL(P‖Q) at the end. */
  kl: number;
  /** Index of the last iteration run. */
  iterations: number;
  /** Joint probabilities P (N×N, symmetric, zero diagonal), as used by the optimisation. */
  P: Float64Array;
}

const MACHINE_EPSILON = 2.220446049250313e-16;

/** Squared Euclidean distances between rows (N×N, row-major). */
export function squaredDistances(rows: ArrayLike<number>[]): Float64Array {
  const n = rows.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = rows[i];
      const b = rows[j];
      let s = 0;
      for (let k = 0; k < a.length; k++) {
        const t = a[k] - b[k];
        s += t * t;
      }
      d[i * n + j] = s;
      d[j * n + i] = s;
    }
  }
  return d;
}

/**
 * Joint probabilities from squared distances: per point the Gaussian bandwidth whose conditional
 * distribution has the requested perplexity (binary search on β, 100 steps, entropy tolerance
 * 1e-5, natural log), then P = (P_{j|i} + P_{i|j}) / Σ, floored at machine epsilon off the diagonal.
 */
export function jointProbabilities(sqDistances: Float64Array, n: number, perplexity: number): Float64Array {
  const desired = Math.log(perplexity);
  const cond = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let beta = 1;
    let betaMin = -Infinity;
    let betaMax = Infinity;
    for (let step = 0; step < 100; step++) {
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const p = j === i ? 0 : Math.exp(-sqDistances[i * n + j] * beta);
        cond[i * n + j] = p;
        sum += p;
      }
      if (sum === 0) sum = 1e-8;
      let sumDP = 0;
      for (let j = 0; j < n; j++) {
        cond[i * n + j] /= sum;
        sumDP += sqDistances[i * n + j] * cond[i * n + j];
      }
      const diff = Math.log(sum) + beta * sumDP - desired;
      if (Math.abs(diff) <= 1e-5) break;
      if (diff > 0) {
        betaMin = beta;
        beta = betaMax === Infinity ? beta * 2 : (beta + betaMax) / 2;
      } else {
        betaMax = beta;
        beta = betaMin === -Infinity ? beta / 2 : (beta + betaMin) / 2;
      }
    }
  }
  const P = new Float64Array(n * n);
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) total += cond[i * n + j] + cond[j * n + i];
  total = Math.max(total, MACHINE_EPSILON);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) P[i * n + j] = Math.max((cond[i * n + j] + cond[j * n + i]) / total, MACHINE_EPSILON);
  return P;
}

/**
 * KL(P‖Q) of an embedding Y (N×dims, row-major) and its gradient, Student-t kernel with
 * max(dims − 1, 1) degrees of freedom (scikit-learn's `_kl_divergence`).
 */
export function tsneObjective(P: Float64Array, Y: Float64Array, n: number, dims: number): { kl: number; grad: Float64Array } {
  const grad = new Float64Array(n * dims);
  const kl = klGradient(P, Y, n, dims, Math.max(dims - 1, 1), grad);
  return { kl, grad };
}

function klGradient(P: Float64Array, Y: Float64Array, n: number, dims: number, dof: number, grad: Float64Array): number {
  const w = new Float64Array(n * n);
  let sumW = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let d = 0;
      for (let k = 0; k < dims; k++) {
        const t = Y[i * dims + k] - Y[j * dims + k];
        d += t * t;
      }
      const v = Math.pow(d / dof + 1, -(dof + 1) / 2);
      w[i * n + j] = v;
      w[j * n + i] = v;
      sumW += 2 * v;
    }
  }
  let kl = 0;
  const c = (2 * (dof + 1)) / dof;
  grad.fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const q = Math.max(w[i * n + j] / sumW, MACHINE_EPSILON);
      const p = P[i * n + j];
      kl += p * Math.log(Math.max(p, MACHINE_EPSILON) / q);
      const pq = (p - q) * w[i * n + j];
      for (let k = 0; k < dims; k++) grad[i * dims + k] += c * pq * (Y[i * dims + k] - Y[j * dims + k]);
    }
  }
  return kl;
}

function descend(
  P: Float64Array,
  Y: Float64Array,
  n: number,
  dims: number,
  dof: number,
  o: { from: number; to: number; momentum: number; learningRate: number; withoutProgress: number },
): { kl: number; last: number } {
  const update = new Float64Array(Y.length);
  const gains = new Float64Array(Y.length).fill(1);
  const grad = new Float64Array(Y.length);
  let best = Number.MAX_VALUE;
  let bestIter = o.from;
  let kl = Number.MAX_VALUE;
  let i = o.from;
  for (; i < o.to; i++) {
    kl = klGradient(P, Y, n, dims, dof, grad);
    let norm = 0;
    for (let k = 0; k < Y.length; k++) {
      gains[k] = update[k] * grad[k] < 0 ? gains[k] + 0.2 : gains[k] * 0.8;
      if (gains[k] < 0.01) gains[k] = 0.01;
      grad[k] *= gains[k];
      norm += grad[k] * grad[k];
      update[k] = o.momentum * update[k] - o.learningRate * grad[k];
      Y[k] += update[k];
    }
    if ((i + 1) % 50 === 0) {
      if (kl < best) {
        best = kl;
        bestIter = i;
      } else if (i - bestIter > o.withoutProgress) break;
      if (Math.sqrt(norm) <= 1e-7) break;
    }
  }
  return { kl, last: Math.min(i, o.to - 1) };
}

/** t-SNE embedding of trajectory points (flattened weights). See {@link TsneOptions}. */
export function tsne(points: TrajectoryPoint[], options: TsneOptions = {}): TsneResult {
  if (!Array.isArray(points) || points.length < 3) throw new InvalidParameterError('points', Array.isArray(points) ? points.length : points, 'at least 3 points');
  const n = points.length;
  if (n > 5000) throw new InvalidParameterError('points', n, 'at most 5000 points (exact t-SNE is O(N²))');
  const perplexity = checkNumber('perplexity', options.perplexity ?? 30, { min: 0, minExclusive: true, max: n, maxExclusive: true });
  const dims = checkNumber('components', options.components ?? 2, { min: 1, integer: true });
  const iterations = checkNumber('iterations', options.iterations ?? 1000, { min: 1, integer: true });
  const exaggeration = checkNumber('earlyExaggeration', options.earlyExaggeration ?? 12, { min: 1 });
  const learningRate = options.learningRate === undefined || options.learningRate === 'auto' ? Math.max(n / exaggeration / 4, 50) : checkNumber('learningRate', options.learningRate, { min: 0, minExclusive: true });
  const init = options.init ?? 'pca';
  const flat = trajectoryFlat(points);
  const P = jointProbabilities(squaredDistances(flat), n, perplexity);

  const Y = new Float64Array(n * dims);
  if (init === 'pca') {
    const coordinates = pcaScores(flat, dims);
    const first = coordinates.map((c) => c[0]);
    const mean = first.reduce((a, b) => a + b, 0) / n;
    const std = Math.sqrt(first.reduce((a, b) => a + (b - mean) ** 2, 0) / n) || 1;
    coordinates.forEach((c, i) => c.forEach((v, k) => (Y[i * dims + k] = (v / std) * 1e-4)));
  } else {
    if (!Array.isArray(init) || init.length !== n || init.some((r) => !Array.isArray(r) || r.length !== dims || !r.every(Number.isFinite))) {
      throw new InvalidParameterError('init', init, `'pca' or ${n} rows of ${dims} finite numbers`);
    }
    init.forEach((r, i) => r.forEach((v, k) => (Y[i * dims + k] = v)));
  }

  const dof = Math.max(dims - 1, 1);
  const exaggerated = P.map((p) => p * exaggeration);
  const explore = Math.min(250, iterations);
  const first = descend(exaggerated, Y, n, dims, dof, { from: 0, to: explore, momentum: 0.5, learningRate, withoutProgress: 250 });
  let result = first;
  if (iterations > explore) {
    result = descend(P, Y, n, dims, dof, { from: first.last + 1, to: iterations, momentum: 0.8, learningRate, withoutProgress: 300 });
  }
  const embedding = Array.from({ length: n }, (_, i) => Array.from(Y.subarray(i * dims, (i + 1) * dims)));
  return { embedding, kl: result.kl, iterations: result.last, P };
}

/**
 * Principal-component scores of the rows through the N×N Gram matrix of the centred rows (cheap
 * when N ≪ dimension, unlike an SVD of the N×P data), signs as scikit-learn's (the largest |score|
 * of each component positive).
 */
function pcaScores(rows: ArrayLike<number>[], k: number): number[][] {
  const n = rows.length;
  const p = rows[0].length;
  const mean = new Float64Array(p);
  for (const r of rows) for (let j = 0; j < p; j++) mean[j] += r[j] / n;
  const G = Matrix.zeros(n, n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      const x = rows[a];
      const y = rows[b];
      for (let j = 0; j < p; j++) s += (x[j] - mean[j]) * (y[j] - mean[j]);
      G.set(a, b, s);
      G.set(b, a, s);
    }
  }
  const evd = new EigenvalueDecomposition(G, { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((v, i) => [v, i] as const).sort((x, y) => y[0] - x[0]);
  const V = evd.eigenvectorMatrix;
  const scores = Array.from({ length: n }, () => new Array<number>(k).fill(0));
  order.slice(0, k).forEach(([value, col], c) => {
    const sd = Math.sqrt(Math.max(value, 0));
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(V.get(i, col)) > Math.abs(big)) big = V.get(i, col);
    const sign = big < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) scores[i][c] = sign * V.get(i, col) * sd;
  });
  return scores;
}

/** Flattened rows of the points (ParamMaps are flattened in their own key order). */
function trajectoryFlat(points: TrajectoryPoint[]): ArrayLike<number>[] {
  return points.map((p) => (p instanceof Float32Array || p instanceof Float64Array ? p : flattenParams(p, layoutOf(p))));
}
