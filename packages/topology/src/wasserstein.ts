import { InvalidParameterError } from '@descent/tensor/errors';
import { sparseAssignment } from './assignment';
import { essentialCountsMatch, splitDiagram, type DiagramInput } from './diagram';

export interface WassersteinOptions {
  /** Exponent p of the distance, 1 <= p < Infinity (GUDHI `order`); default 1. */
  readonly order?: number;
  /** Ground metric on the plane: the L^q norm, 1 <= q <= Infinity (GUDHI `internal_p`); default Infinity. */
  readonly internalP?: number;
  /** Dimension to compare when the diagrams are `cubicalPersistence` results with several dimensions. */
  readonly dimension?: number;
}

/**
 * Exact p-Wasserstein distance between two persistence diagrams, as
 * `gudhi.wasserstein.wasserstein_distance(a, b, order=p, internal_p=q)`:
 * (min over matchings of the sum of matched distances^p, unmatched points paying their distance to
 * the diagonal)^(1/p). The distance of (b, d) to the diagonal is (d - b) * 2^(1/q - 1).
 *
 * Essential points: Infinity if the numbers of points (b, +inf), (-inf, d) or (-inf, +inf) differ;
 * otherwise matched in sorted order, adding sum |difference|^p of their finite coordinates.
 *
 * Algorithm: an assignment problem solved exactly by the Hungarian method (shortest augmenting
 * paths with potentials, see assignment.ts). Each point of a takes a point of b or the diagonal;
 * only pairs cheaper than sending both points to the diagonal are edges, so for diagrams whose
 * points are mostly short-lived the graph is sparse and each augmentation local. Cost: O(nm) to
 * build the graph, then O(n E log E) in the worst case (E the number of kept pairs).
 */
export function wassersteinDistance(a: DiagramInput, b: DiagramInput, options: WassersteinOptions = {}): number {
  const { order = 1, internalP = Infinity } = options;
  if (typeof order !== 'number' || !Number.isFinite(order) || order < 1) throw new InvalidParameterError('order', order, 'a finite number >= 1');
  if (typeof internalP !== 'number' || Number.isNaN(internalP) || internalP < 1) throw new InvalidParameterError('internalP', internalP, 'a number >= 1 or Infinity');
  const A = splitDiagram(a, 'a', options.dimension);
  const B = splitDiagram(b, 'b', options.dimension);
  if (!essentialCountsMatch(A, B)) return Infinity;
  let total = 0;
  for (let i = 0; i < A.essentialBirths.length; i++) total += Math.abs(A.essentialBirths[i] - B.essentialBirths[i]) ** order;
  for (let i = 0; i < A.essentialDeaths.length; i++) total += Math.abs(A.essentialDeaths[i] - B.essentialDeaths[i]) ** order;

  const n = A.births.length;
  const m = B.births.length;
  const toDiagonal = 2 ** (1 / internalP - 1);
  const diagA = Float64Array.from(A.births, (x, i) => ((A.deaths[i] - x) * toDiagonal) ** order);
  const diagB = Float64Array.from(B.births, (x, j) => ((B.deaths[j] - x) * toDiagonal) ** order);
  // Row i of a either takes a point j of b or its private diagonal column m + i. A pair is only
  // worth matching when it costs less than sending both points to the diagonal: the other edges
  // are dropped, which keeps the graph sparse (and cannot change the optimum).
  const start = new Int32Array(n + 1);
  const cols: number[] = [];
  const costs: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const db = Math.abs(A.births[i] - B.births[j]);
      const dd = Math.abs(A.deaths[i] - B.deaths[j]);
      const ground = internalP === Infinity ? Math.max(db, dd) : (db ** internalP + dd ** internalP) ** (1 / internalP);
      const c = ground ** order;
      if (c < diagA[i] + diagB[j]) {
        cols.push(j);
        costs.push(c - diagA[i] - diagB[j]);
      }
    }
    cols.push(m + i);
    costs.push(0);
    start[i + 1] = cols.length;
  }
  const colOf = sparseAssignment(n, m + n, start, Int32Array.from(cols), Float64Array.from(costs));
  // The total from the original costs: matched pairs, then every unmatched point to the diagonal.
  const matchedB = new Uint8Array(m);
  for (let i = 0; i < n; i++) {
    const j = colOf[i];
    if (j >= m) total += diagA[i];
    else {
      matchedB[j] = 1;
      const db = Math.abs(A.births[i] - B.births[j]);
      const dd = Math.abs(A.deaths[i] - B.deaths[j]);
      const ground = internalP === Infinity ? Math.max(db, dd) : (db ** internalP + dd ** internalP) ** (1 / internalP);
      total += ground ** order;
    }
  }
  for (let j = 0; j < m; j++) if (!matchedB[j]) total += diagB[j];
  return total ** (1 / order);
}
