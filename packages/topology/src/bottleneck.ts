import { maximumMatching } from './hopcroft-karp';
import { essentialCountsMatch, splitDiagram, type DiagramInput } from './diagram';

export interface DistanceOptions {
  /** Dimension to compare when the diagrams are `cubicalPersistence` results with several dimensions. */
  readonly dimension?: number;
}

/**
 * Exact bottleneck distance between two persistence diagrams (L-infinity ground metric, points may be
 * matched to the diagonal), as `gudhi.bottleneck_distance(a, b, e=0)`.
 *
 * Essential points are compared per type, as GUDHI does: if the numbers of points (b, +inf),
 * (-inf, d) or (-inf, +inf) differ, the distance is Infinity; otherwise they are matched in sorted
 * order (optimal on a line) and contribute the largest difference of their finite coordinates.
 *
 * Algorithm: the distance is one of the candidate values |b1 - b2|, |d1 - d2| (as the L-inf
 * distance of a pair) or (d - b) / 2. The candidates are sorted and binary-searched; a threshold t
 * is feasible when the points with (d - b) / 2 > t, which cannot go to the diagonal, can all be
 * matched within distance t. By the Mendelsohn-Dulmage theorem it suffices that those of each
 * diagram can be matched into the other diagram, two Hopcroft-Karp runs.
 * Cost: O(nm) memory and O(log(nm) (nm + E sqrt(n + m))) time for n and m finite points.
 */
export function bottleneckDistance(a: DiagramInput, b: DiagramInput, options: DistanceOptions = {}): number {
  const A = splitDiagram(a, 'a', options.dimension);
  const B = splitDiagram(b, 'b', options.dimension);
  if (!essentialCountsMatch(A, B)) return Infinity;
  let essential = 0;
  for (let i = 0; i < A.essentialBirths.length; i++) essential = Math.max(essential, Math.abs(A.essentialBirths[i] - B.essentialBirths[i]));
  for (let i = 0; i < A.essentialDeaths.length; i++) essential = Math.max(essential, Math.abs(A.essentialDeaths[i] - B.essentialDeaths[i]));
  return Math.max(essential, finiteBottleneck(A.births, A.deaths, B.births, B.deaths));
}

function finiteBottleneck(ab: Float64Array, ad: Float64Array, bb: Float64Array, bd: Float64Array): number {
  const n = ab.length;
  const m = bb.length;
  const halfA = Float64Array.from(ab, (x, i) => toDiagonal(x, ad[i]));
  const halfB = Float64Array.from(bb, (x, j) => toDiagonal(x, bd[j]));
  // Everything to the diagonal is always possible: an upper bound that prunes the candidates.
  let upper = 0;
  for (const h of halfA) upper = Math.max(upper, h);
  for (const h of halfB) upper = Math.max(upper, h);
  if (upper === 0) return 0;
  // Pair distances, once: row i of `dist` for a's point i, and its transpose for b's points.
  const dist = new Float64Array(n * m);
  const distT = new Float64Array(n * m);
  const rowMin = Float64Array.from(halfA);
  const colMin = Float64Array.from(halfB);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const d = Math.max(Math.abs(ab[i] - bb[j]), Math.abs(ad[i] - bd[j]));
      dist[i * m + j] = d;
      distT[j * n + i] = d;
      if (d < rowMin[i]) rowMin[i] = d;
      if (d < colMin[j]) colMin[j] = d;
    }
  }
  // Every point goes somewhere: its cheapest option bounds the distance from below, and only
  // candidates between the bounds need sorting.
  let lower = 0;
  for (const x of rowMin) lower = Math.max(lower, x);
  for (const x of colMin) lower = Math.max(lower, x);
  const cand: number[] = [lower, upper];
  for (const h of halfA) if (h > lower && h < upper) cand.push(h);
  for (const h of halfB) if (h > lower && h < upper) cand.push(h);
  for (let k = 0; k < dist.length; k++) if (dist[k] > lower && dist[k] < upper) cand.push(dist[k]);
  const sorted = Float64Array.from(cand).sort();
  const feasible = (t: number): boolean => saturates(halfA, t, m, dist) && saturates(halfB, t, n, distT);
  // Smallest feasible candidate; the largest (upper) is feasible.
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (feasible(sorted[mid])) hi = mid;
    else lo = mid + 1;
  }
  return sorted[lo];
}

/**
 * Can every point with distance to the diagonal > t be matched to a distinct point of the other
 * diagram within t? `dist` is row-major: one row of distances to the other diagram per point.
 */
function saturates(half: Float64Array, t: number, other: number, dist: Float64Array): boolean {
  const heavy: number[] = [];
  for (let i = 0; i < half.length; i++) if (half[i] > t) heavy.push(i);
  if (heavy.length === 0) return true;
  if (heavy.length > other) return false;
  const start = new Int32Array(heavy.length + 1);
  const adj: number[] = [];
  for (let k = 0; k < heavy.length; k++) {
    const row = heavy[k] * other;
    for (let j = 0; j < other; j++) if (dist[row + j] <= t) adj.push(j);
    start[k + 1] = adj.length;
    if (start[k + 1] === start[k]) return false; // a point with no partner
  }
  return maximumMatching(heavy.length, other, start, Int32Array.from(adj)) === heavy.length;
}

/**
 * L-infinity distance to the diagonal, computed as GUDHI does (distance to the projection
 * ((b + d) / 2, (b + d) / 2)) so that results agree to the last bit; mathematically (d - b) / 2.
 */
function toDiagonal(b: number, d: number): number {
  const m = (b + d) / 2;
  return Math.max(Math.abs(b - m), Math.abs(d - m));
}
