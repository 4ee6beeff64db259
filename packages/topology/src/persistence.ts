import { DescentError, InvalidParameterError } from '@descent/tensor/errors';
import { argsortValues } from './argsort';
import { cellCountsByLevel, cohomologyH1, khalimsky, sourceIndex, type Filtration } from './cubical';
import { checkGrid, type GridInput } from './grid';
import { isRing, neighbourOffsets, padGrid } from './padded-grid';
import { PairList, sublevelSweep, superlevelSweep } from './union-find';

/** One point of a persistence diagram, as GUDHI's `(dimension, (birth, death))`. */
export interface PersistencePair {
  readonly dimension: number;
  readonly birth: number;
  /** `Infinity` for essential classes (they never die). */
  readonly death: number;
  /**
   * With `locations: true`: row-major index of the input cell whose value is the birth (the
   * minimum of an H0 class, the saddle that closes a loop, ...) and of the one whose value is the
   * death (-1 for essential classes). Zero-length pairs kept with `keepZeroLength` have -1 for both.
   */
  readonly birthIndex?: number;
  readonly deathIndex?: number;
}

export interface CubicalPersistenceOptions {
  /**
   * 'top-cells' (default): values live on pixels/voxels, as GUDHI `CubicalComplex(top_dimensional_cells=...)`;
   * a lower-dimensional cell enters with the minimum of the top cells that contain it.
   * 'vertices': values live on grid points (lower-star filtration, GUDHI >= 3.8 `CubicalComplex(vertices=...)`);
   * a cell enters with the maximum of its vertices.
   */
  readonly filtration?: Filtration;
  /** Homology dimensions to report; default all (0..d-1 for a d-dimensional grid). */
  readonly dimensions?: readonly number[];
  /** Keep pairs with death - birth > minPersistence (GUDHI's `min_persistence`); default 0. Essential pairs are always kept. */
  readonly minPersistence?: number;
  /**
   * Also report the zero-length pairs (birth = death) of the full cubical complex, as GUDHI does with
   * `min_persistence=-1`. There are about as many as there are cells, so they are dropped by default.
   */
  readonly keepZeroLength?: boolean;
  /** Report `birthIndex`/`deathIndex` for each pair. */
  readonly locations?: boolean;
}

const FILTRATIONS: readonly Filtration[] = ['top-cells', 'vertices'];

/**
 * Sublevel-set persistent homology of a 1-, 2- or 3-dimensional grid, the same diagram as GUDHI's
 * `CubicalComplex(...).persistence()`: pairs sorted by dimension (descending), then persistence
 * (descending), then birth.
 *
 * Algorithms: H0 by union-find with the elder rule; the top homology dimension of the grid's
 * complement (H1 in 2-D, H2 in 3-D) by the same union-find on the superlevel sets (Alexander
 * duality); H1 of 3-D grids by cohomology with clearing. Cost: one radix sort and near-linear sweeps
 * for 2-D grids (about a second or less for 1024x1024, see the README), the full complex (8
 * cells per voxel) for 3-D ones.
 *
 * @example
 * const diagram = cubicalPersistence([[0, 2, 1], [2, 3, 2], [1, 2, 0]]);
 * // [{ dimension: 0, birth: 0, death: Infinity }, { dimension: 0, birth: 0, death: 2 }, ...]
 */
export function cubicalPersistence(grid: GridInput, options: CubicalPersistenceOptions = {}): PersistencePair[] {
  const { filtration = 'top-cells', minPersistence = 0, keepZeroLength = false, locations = false } = options;
  if (!FILTRATIONS.includes(filtration)) throw new InvalidParameterError('filtration', filtration, "'top-cells' or 'vertices'");
  if (typeof minPersistence !== 'number' || Number.isNaN(minPersistence) || minPersistence < 0) {
    throw new InvalidParameterError('minPersistence', minPersistence, 'a number >= 0 (use keepZeroLength to keep zero-length pairs)');
  }
  if (keepZeroLength && minPersistence > 0) {
    throw new InvalidParameterError('keepZeroLength', keepZeroLength, 'false when minPersistence > 0 (zero-length pairs would be dropped again)');
  }
  const checked = checkGrid(grid);
  const rank = checked.shape.length;
  const requested = options.dimensions ?? Array.from({ length: rank }, (_, d) => d);
  if (!Array.isArray(requested)) throw new InvalidParameterError('dimensions', requested, `an array of integers in 0..${rank}`);
  requested.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 0 || d > rank) throw new InvalidParameterError(`dimensions[${i}]`, d, `an integer in 0..${rank} for a ${rank}-dimensional grid`);
  });
  const wanted = new Set<number>(requested);
  // Zero-length counts in dimension d need the pairs of every dimension up to d.
  const maxWanted = Math.max(-1, ...wanted);
  const needs = (d: number): boolean => wanted.has(d) || (keepZeroLength && d <= maxWanted);

  const padded = padGrid(checked);
  const order = argsortValues(padded.values, padded.cells);
  const top = filtration === 'top-cells';
  const pairs = new PairList();
  const cellKind: number[] = []; // per computed dimension: 0 = padded position, 1 = Khalimsky cell
  const h0 = neighbourOffsets(padded.dims, top ? 'full' : 'face');
  const dual = neighbourOffsets(padded.dims, top ? 'face' : 'full');
  if (needs(0)) sublevelSweep(padded.values, order, padded.size, h0, isRing(padded.dims, h0), pairs);
  if (rank === 2 && needs(1)) superlevelSweep(padded.values, order, padded.interior, dual, isRing(padded.dims, dual), pairs, 1);
  let kh: ReturnType<typeof khalimsky> | undefined;
  if (rank === 3) {
    if (needs(1)) {
      kh = khalimsky(checked.shape, checked.data, filtration);
      cohomologyH1(kh, pairs);
      cellKind[1] = 1;
    }
    if (needs(2)) superlevelSweep(padded.values, order, padded.interior, dual, false, pairs, 2);
  }

  let toIndex: ((dim: number, cell: number) => number) | undefined;
  if (locations) {
    const inverse = new Int32Array(padded.size).fill(-1);
    padded.cells.forEach((p, i) => (inverse[p] = i));
    toIndex = (dim, cell) => (cell < 0 ? -1 : cellKind[dim] === 1 ? sourceIndex(kh!, cell) : inverse[cell]);
  }

  const kept = new PairList();
  for (let i = 0; i < pairs.length; i++) {
    const dimension = pairs.dims[i];
    if (!wanted.has(dimension)) continue;
    const birth = pairs.births[i];
    const death = pairs.deaths[i];
    if (!(death - birth > minPersistence) && death !== Infinity) continue;
    kept.push(dimension, birth, death, pairs.birthCells[i], pairs.deathCells[i]);
  }
  if (keepZeroLength) zeroLengthPairs(checked.shape, padded.values, order, padded.cells, filtration, pairs, wanted, maxWanted, kept);
  // Build the objects last, in their final order: sorting typed keys is much cheaper than objects.
  const result: PersistencePair[] = [];
  for (const i of diagramOrder(kept)) {
    const dimension = kept.dims[i];
    const birth = kept.births[i];
    const death = kept.deaths[i];
    result.push(toIndex ? { dimension, birth, death, birthIndex: toIndex(dimension, kept.birthCells[i]), deathIndex: toIndex(dimension, kept.deathCells[i]) } : { dimension, birth, death });
  }
  return result;
}

/**
 * The zero-length pairs of the full complex, from cell counts alone. At each filtration level v
 * and dimension d, the d-cells entering at v are either positive (they create a class) or
 * negative (they kill a (d-1)-class). Writing n_d(v) for the count, b_d(v) for the classes of
 * positive length born at v and e_d(v) for those dying at v, the zero-length pairs z_d(v) satisfy
 *   n_d(v) = z_d(v) + b_d(v) + z_{d-1}(v) + e_{d-1}(v),
 * which fixes z_d(v) recursively from d = 0. The numbers do not depend on how ties are broken,
 * so they match GUDHI's `min_persistence=-1` output exactly.
 */
function zeroLengthPairs(
  shape: readonly number[],
  values: Float64Array,
  order: Int32Array,
  cells: Int32Array,
  filtration: Filtration,
  pairs: PairList,
  wanted: Set<number>,
  maxWanted: number,
  out: PairList,
): void {
  const inverse = new Map<number, number>();
  const cellIndex = new Int32Array(values.length);
  cells.forEach((p, i) => (cellIndex[p] = i));
  const levelOf = new Int32Array(cells.length);
  const levelValues: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const v = values[order[k]];
    if (levelValues.length === 0 || levelValues[levelValues.length - 1] !== v) levelValues.push(v);
    levelOf[cellIndex[order[k]]] = levelValues.length - 1;
  }
  levelValues.forEach((v, i) => inverse.set(v, i));
  const L = levelValues.length;
  const counts = cellCountsByLevel(shape, levelOf, L, filtration);
  const born = [0, 1, 2, 3].map(() => new Int32Array(L));
  const died = [0, 1, 2, 3].map(() => new Int32Array(L));
  for (let i = 0; i < pairs.length; i++) {
    born[pairs.dims[i]][inverse.get(pairs.births[i])!]++;
    if (pairs.deaths[i] !== Infinity) died[pairs.dims[i]][inverse.get(pairs.deaths[i])!]++;
  }
  let prev = new Int32Array(L);
  for (let d = 0; d <= maxWanted; d++) {
    const z = new Int32Array(L);
    for (let l = 0; l < L; l++) {
      z[l] = counts[d][l] - born[d][l] - (d > 0 ? died[d - 1][l] + prev[l] : 0);
      if (z[l] < 0) throw new DescentError('TOPOLOGY_INTERNAL', `negative zero-length count in dimension ${d} at ${levelValues[l]}; please report this grid`);
    }
    if (wanted.has(d)) {
      for (let l = 0; l < L; l++) {
        const v = levelValues[l];
        if (!Number.isFinite(v)) continue; // GUDHI drops them too: their persistence inf - inf is NaN
        for (let c = 0; c < z[l]; c++) out.push(d, v, v, -1, -1);
      }
    }
    prev = z;
  }
}

/**
 * Order of the pairs as GUDHI lists them: dimension descending, then persistence descending, then
 * birth ascending. Two stable radix sorts (birth, then persistence) and a stable split by
 * dimension: diagrams of large grids have hundreds of thousands of pairs.
 */
function diagramOrder(list: PairList): Int32Array {
  const n = list.length;
  const key = Float64Array.from(list.births);
  let ids: Int32Array = argsortValues(key, Int32Array.from({ length: n }, (_, i) => i));
  for (let i = 0; i < n; i++) {
    const pers = list.deaths[i] - list.births[i];
    key[i] = Number.isNaN(pers) ? 0 : -pers;
  }
  ids = argsortValues(key, ids);
  const out = new Int32Array(n);
  let at = 0;
  for (let d = 3; d >= 0; d--) for (let k = 0; k < n; k++) if (list.dims[ids[k]] === d) out[at++] = ids[k];
  return out;
}

/** The (birth, death) intervals of one dimension, as GUDHI's `persistence_intervals_in_dimension`. */
export function persistenceIntervals(diagram: readonly PersistencePair[], dimension: number): Array<[number, number]> {
  if (!Number.isInteger(dimension) || dimension < 0) throw new InvalidParameterError('dimension', dimension, 'an integer >= 0');
  return diagram.filter((p) => p.dimension === dimension).map((p) => [p.birth, p.death]);
}
