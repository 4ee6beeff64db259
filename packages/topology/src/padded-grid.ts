import type { CheckedGrid } from './grid';

/**
 * A grid surrounded by one layer of border cells, so that neighbour loops need no bounds checks.
 * 1-D grids are treated as 2-D grids of one row (same homology, GUDHI accepts both).
 */
export interface PaddedGrid {
  /** Padded sizes per axis (input size + 2), axis 0 slowest. */
  readonly dims: number[];
  /** Number of padded cells. */
  readonly size: number;
  /** Values at padded positions; border cells hold NaN and are never read as values. */
  readonly values: Float64Array;
  /** Padded position of each input cell, in input (row-major) order. */
  readonly cells: Int32Array;
  /** 1 for input cells, 0 for border cells. */
  readonly interior: Uint8Array;
}

export function padGrid(grid: CheckedGrid): PaddedGrid {
  const shape = grid.shape.length === 1 ? [1, grid.shape[0]] : grid.shape;
  const dims = shape.map((s) => s + 2);
  const size = dims.reduce((a, b) => a * b, 1);
  const values = new Float64Array(size).fill(Number.NaN);
  const interior = new Uint8Array(size);
  const cells = new Int32Array(grid.data.length);
  let k = 0;
  if (shape.length === 2) {
    const [h, w] = shape;
    const W = w + 2;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++, k++) {
        const p = (i + 1) * W + j + 1;
        cells[k] = p;
      }
    }
  } else {
    const [d, h, w] = shape;
    const W = w + 2;
    const HW = (h + 2) * W;
    for (let a = 0; a < d; a++) {
      for (let i = 0; i < h; i++) {
        for (let j = 0; j < w; j++, k++) cells[k] = (a + 1) * HW + (i + 1) * W + j + 1;
      }
    }
  }
  for (let i = 0; i < cells.length; i++) {
    values[cells[i]] = grid.data[i];
    interior[cells[i]] = 1;
  }
  return { dims, size, values, cells, interior };
}

/**
 * Offsets to the neighbours of a padded cell: 'face' neighbours share a (d-1)-face (4 in 2-D, 6 in 3-D),
 * 'full' neighbours share at least a vertex (8 in 2-D, 26 in 3-D). The 8 offsets of a 2-D 'full'
 * neighbourhood come as a ring (see `isRing`).
 */
export function neighbourOffsets(dims: readonly number[], kind: 'face' | 'full'): Int32Array {
  if (dims.length === 2 && kind === 'full') {
    // Cyclic order around the cell: consecutive entries share an edge, which the sweeps exploit.
    const W = dims[1];
    return Int32Array.from([-W, -W + 1, 1, W + 1, W, W - 1, -1, -W - 1]);
  }
  const strides = dims.map((_, i) => dims.slice(i + 1).reduce((a, b) => a * b, 1));
  const out: number[] = [];
  const rec = (axis: number, off: number, nonzero: number): void => {
    if (axis === dims.length) {
      if (nonzero > 0 && (kind === 'full' || nonzero === 1)) out.push(off);
      return;
    }
    for (const d of [-1, 0, 1]) rec(axis + 1, off + d * strides[axis], nonzero + (d !== 0 ? 1 : 0));
  };
  rec(0, 0, 0);
  return Int32Array.from(out);
}

/** True for the 2-D 8-neighbour ring, in which consecutive neighbours are edge-adjacent. */
export function isRing(dims: readonly number[], offsets: Int32Array): boolean {
  return dims.length === 2 && offsets.length === 8;
}
