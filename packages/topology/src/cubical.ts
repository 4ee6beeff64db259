import { argsortValues } from './argsort';
import type { PairList } from './union-find';

/** How grid values become a filtration of the cubical complex (the two constructions GUDHI offers). */
export type Filtration = 'top-cells' | 'vertices';

/**
 * The full cubical complex of a grid in Khalimsky coordinates: cell (z, y, x) of a (2s±1)-sized grid
 * per axis, its dimension being the number of odd coordinates. Always stored with 3 axes; axes the
 * input does not have are of length 1 (coordinate 0, contributing no dimension).
 *
 * 'top-cells' (GUDHI `top_dimensional_cells`): the input sits on the top cells (odd coordinates),
 * every other cell takes the minimum over the top cells containing it.
 * 'vertices' (lower star, GUDHI >= 3.8 `vertices`): the input sits on the vertices (even
 * coordinates), every other cell takes the maximum over its vertices.
 */
export interface Khalimsky {
  readonly filtration: Filtration;
  /** Input shape padded in front with 1s to 3 axes. */
  readonly shape: [number, number, number];
  /** Which of the 3 axes belong to the input. */
  readonly present: [boolean, boolean, boolean];
  /** Khalimsky sizes per axis (z, y, x). */
  readonly sizes: [number, number, number];
  readonly strides: [number, number, number];
  readonly values: Float64Array;
}

export function khalimsky(shape: readonly number[], data: ArrayLike<number>, filtration: Filtration): Khalimsky {
  const missing = 3 - shape.length;
  const s3 = [1, 1, 1].map((one, i) => (i < missing ? one : shape[i - missing])) as [number, number, number];
  const present = [0, 1, 2].map((i) => i >= missing) as [boolean, boolean, boolean];
  const top = filtration === 'top-cells';
  const sizes = s3.map((s, i) => (present[i] ? (top ? 2 * s + 1 : 2 * s - 1) : 1)) as [number, number, number];
  const strides: [number, number, number] = [sizes[1] * sizes[2], sizes[2], 1];
  const values = new Float64Array(sizes[0] * sizes[1] * sizes[2]).fill(top ? Infinity : -Infinity);
  const at = (i: number, axis: number): number => (present[axis] ? (top ? 2 * i + 1 : 2 * i) : 0);
  let k = 0;
  for (let a = 0; a < s3[0]; a++) {
    for (let b = 0; b < s3[1]; b++) {
      for (let c = 0; c < s3[2]; c++) values[at(a, 0) * strides[0] + at(b, 1) * strides[1] + at(c, 2)] = data[k++];
    }
  }
  // The min (max) over a box of top cells (vertices) is separable: one 3-point pass per axis.
  const fill = top ? Infinity : -Infinity;
  for (let axis = 0; axis < 3; axis++) {
    const n = sizes[axis];
    if (!present[axis] || n === 1) continue;
    const st = strides[axis];
    const [a, b] = [0, 1, 2].filter((x) => x !== axis);
    for (let i = 0; i < sizes[a]; i++) {
      for (let j = 0; j < sizes[b]; j++) {
        const base = i * strides[a] + j * strides[b];
        for (let c = top ? 0 : 1; c < n; c += 2) {
          const p = base + c * st;
          const prev = c > 0 ? values[p - st] : fill;
          const next = c < n - 1 ? values[p + st] : fill;
          values[p] = top ? (prev < next ? prev : next) : prev > next ? prev : next;
        }
      }
    }
  }
  return { filtration, shape: s3, present, sizes, strides, values };
}

function coords(kh: Khalimsky, cell: number): [number, number, number] {
  const [, gy, gx] = kh.sizes;
  const x = cell % gx;
  const r = (cell - x) / gx;
  const y = r % gy;
  return [(r - y) / gy, y, x];
}

/** Indices of the cells of one dimension, increasing. */
function cellsOfDimension(dims: Uint8Array, d: number): Int32Array {
  let count = 0;
  for (let i = 0; i < dims.length; i++) if (dims[i] === d) count++;
  const out = new Int32Array(count);
  for (let i = 0, k = 0; i < dims.length; i++) if (dims[i] === d) out[k++] = i;
  return out;
}

/** Dimension of each cell (number of odd Khalimsky coordinates). */
export function cellDimensions(kh: Khalimsky): Uint8Array {
  const [gz, gy, gx] = kh.sizes;
  const dims = new Uint8Array(kh.values.length);
  let k = 0;
  for (let z = 0; z < gz; z++) for (let y = 0; y < gy; y++) for (let x = 0; x < gx; x++) dims[k++] = (z & 1) + (y & 1) + (x & 1);
  return dims;
}

/**
 * The input cell whose value a complex cell carries: for 'top-cells' a top cell containing it with the
 * same value, for 'vertices' one of its vertices with the same value. Returned as a row-major index.
 */
export function sourceIndex(kh: Khalimsky, cell: number): number {
  const c = coords(kh, cell);
  const top = kh.filtration === 'top-cells';
  const v = kh.values[cell];
  const choices = c.map((ci, axis) => {
    if (!kh.present[axis]) return [ci];
    const isSource = top ? (ci & 1) === 1 : (ci & 1) === 0;
    if (isSource) return [ci];
    return [ci - 1, ci + 1].filter((x) => x >= 0 && x < kh.sizes[axis]);
  });
  for (const z of choices[0]) {
    for (const y of choices[1]) {
      for (const x of choices[2]) {
        if (kh.values[z * kh.strides[0] + y * kh.strides[1] + x] !== v) continue;
        const i = [z, y, x].map((ci, axis) => (kh.present[axis] ? (top ? (ci - 1) / 2 : ci / 2) : 0));
        return (i[0] * kh.shape[1] + i[1]) * kh.shape[2] + i[2];
      }
    }
  }
  return -1;
}

/**
 * H1 by persistent cohomology with clearing (the scheme of Ripser and CubicalRipser).
 *
 * 1. Edges sorted by (value, index) run through a union-find on vertices; the edges that merge two
 *    components are paired in H0 and their coboundary columns would reduce to zero, so they are
 *    skipped ("clearing").
 * 2. The remaining edges, latest first, get their coboundary column (the 2-4 squares containing the
 *    edge); the pivot is the earliest square. Most columns are paired at once (emergent pairs); on a
 *    pivot clash, the column owning that pivot is added (mod 2) until the pivot is free or the column
 *    vanishes (an essential class).
 *
 * The order on cells is (value, dimension, index), which refines the filtration and puts faces first.
 * Pairs are pushed with Khalimsky cell indices; zero-length pairs are not pushed.
 */
export function cohomologyH1(kh: Khalimsky, out: PairList): void {
  const { values } = kh;
  const total = values.length;
  const [gz, gy, gx] = kh.sizes;
  const sy = gx;
  const sz = gx * gy;
  const dims = cellDimensions(kh);
  const edges = cellsOfDimension(dims, 1);
  const order = argsortValues(values, edges);

  // 1. H0 on the complex itself, only to learn which edges are negative.
  const parent = new Int32Array(total);
  for (let i = 0; i < total; i++) parent[i] = i;
  const negative = new Uint8Array(total);
  for (let k = 0; k < order.length; k++) {
    const e = order[k];
    // the endpoints lie along the edge's one odd axis
    const x = e % gx;
    const y = ((e - x) / gx) % gy;
    const st = x & 1 ? 1 : y & 1 ? sy : sz;
    let a = e - st;
    let b = e + st;
    while (parent[a] !== a) a = parent[a] = parent[parent[a]];
    while (parent[b] !== b) b = parent[b] = parent[parent[b]];
    if (a === b) continue;
    parent[a] = b; // which root survives does not matter: only the merging edges are wanted
    negative[e] = 1;
  }

  // 2. Coboundary reduction, on square ranks: the filtration order of squares as integers makes
  // pivots and column merges plain integer comparisons.
  const squareOrder = argsortValues(values, cellsOfDimension(dims, 2));
  const rank = parent; // the union-find is done: reuse its memory for square ranks
  for (let r = 0; r < squareOrder.length; r++) rank[squareOrder[r]] = r;
  const cob = new Int32Array(6);
  // Cofaces of a cell: one step along each axis where its coordinate is even.
  const coboundary = (e: number): number => {
    const x = e % gx;
    const r = (e - x) / gx;
    const y = r % gy;
    const z = (r - y) / gy;
    let n = 0;
    if ((x & 1) === 0) {
      if (x > 0) cob[n++] = rank[e - 1];
      if (x < gx - 1) cob[n++] = rank[e + 1];
    }
    if ((y & 1) === 0) {
      if (y > 0) cob[n++] = rank[e - sy];
      if (y < gy - 1) cob[n++] = rank[e + sy];
    }
    if ((z & 1) === 0) {
      if (z > 0) cob[n++] = rank[e - sz];
      if (z < gz - 1) cob[n++] = rank[e + sz];
    }
    return n;
  };
  const sortedCoboundary = (e: number): Int32Array => cob.slice(0, coboundary(e)).sort();
  const pivotOwner = new Int32Array(squareOrder.length).fill(-1);
  const reduced = new Map<number, Int32Array>();
  const merged = new Int32Array(64);
  let buffer = merged;
  const symdiff = (a: Int32Array, b: Int32Array): Int32Array => {
    if (buffer.length < a.length + b.length) buffer = new Int32Array(2 * (a.length + b.length));
    let n = 0;
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const x = a[i];
      const y = b[j];
      if (x === y) {
        i++;
        j++;
      } else if (x < y) {
        buffer[n++] = x;
        i++;
      } else {
        buffer[n++] = y;
        j++;
      }
    }
    while (i < a.length) buffer[n++] = a[i++];
    while (j < b.length) buffer[n++] = b[j++];
    return buffer.slice(0, n);
  };
  const emit = (e: number, tau: number): void => {
    if (tau < 0) out.push(1, values[e], Infinity, e, -1);
    else {
      const cell = squareOrder[tau];
      if (values[e] < values[cell]) out.push(1, values[e], values[cell], e, cell);
    }
  };
  for (let k = order.length - 1; k >= 0; k--) {
    const e = order[k];
    if (negative[e] === 1) continue;
    const n = coboundary(e);
    if (n === 0) {
      emit(e, -1);
      continue;
    }
    let tau = cob[0];
    for (let i = 1; i < n; i++) if (cob[i] < tau) tau = cob[i];
    if (pivotOwner[tau] === -1) {
      pivotOwner[tau] = e; // emergent pair: the unreduced column is the reduced one
      emit(e, tau);
      continue;
    }
    let col = sortedCoboundary(e);
    while (col.length > 0) {
      const owner = pivotOwner[col[0]];
      if (owner === -1) break;
      col = symdiff(col, reduced.get(owner) ?? sortedCoboundary(owner));
    }
    if (col.length === 0) {
      emit(e, -1);
    } else {
      pivotOwner[col[0]] = e;
      reduced.set(e, col);
      emit(e, col[0]);
    }
  }
}

/**
 * Number of cells of each dimension per filtration level: `counts[d][level]`. `levels` gives, for
 * each input cell (row-major), the rank of its value among the distinct values. Because that rank is
 * monotone in the value, the min/max construction can run on ranks directly.
 */
export function cellCountsByLevel(shape: readonly number[], levels: Int32Array, levelCount: number, filtration: Filtration): Int32Array[] {
  const kh = khalimsky(shape, levels, filtration);
  const dims = cellDimensions(kh);
  const counts = [0, 1, 2, 3].map(() => new Int32Array(levelCount));
  for (let i = 0; i < kh.values.length; i++) counts[dims[i]][kh.values[i]]++;
  return counts;
}
