import { describe, it, expect } from 'vitest';
import { argsortValues } from '../src/argsort';
import { PairList, sublevelSweep, superlevelSweep } from '../src/union-find';

/** Runs one sweep on a small 2-D grid, padded by hand (grid.ts has its own tests). */
function sweep(grid: number[][], kind: 'face' | 'full', direction: 'sub' | 'super'): Array<[number, number]> {
  const [h, w] = [grid.length, grid[0].length];
  const W = w + 2;
  const size = (h + 2) * W;
  const values = new Float64Array(size).fill(NaN);
  const interior = new Uint8Array(size);
  const cells = Int32Array.from({ length: h * w }, (_, k) => (Math.floor(k / w) + 1) * W + (k % w) + 1);
  cells.forEach((p, k) => {
    values[p] = grid[Math.floor(k / w)][k % w];
    interior[p] = 1;
  });
  const order = argsortValues(values, cells);
  // 'full' is the 8-neighbour ring in cyclic order, as neighbourOffsets gives it
  const offsets = Int32Array.from(kind === 'face' ? [-W, 1, W, -1] : [-W, -W + 1, 1, W + 1, W, W - 1, -1, -W - 1]);
  const out = new PairList();
  if (direction === 'sub') sublevelSweep(values, order, size, offsets, kind === 'full', out);
  else superlevelSweep(values, order, interior, offsets, kind === 'full', out, 1);
  return out.births.map((b, i) => [b, out.deaths[i]]);
}

describe('sublevelSweep (elder rule)', () => {
  it('kills the younger of two merging components at the merge value', () => {
    // minima 0 and 1 meet at 4; minimum 2 meets the 0-1 component at 3
    expect(sweep([[0, 4, 1, 3, 2]], 'face', 'sub')).toEqual([[2, 3], [1, 4], [0, Infinity]]);
  });

  it('joins diagonal neighbours with 8-connectivity only', () => {
    const grid = [[0, 5], [5, 1]];
    expect(sweep(grid, 'face', 'sub')).toEqual([[1, 5], [0, Infinity]]);
    expect(sweep(grid, 'full', 'sub')).toEqual([[0, Infinity]]); // 1 joins 0 as it enters: zero length
  });

  it('merges a whole ring of entered neighbours into one component', () => {
    // the centre enters last, all 8 neighbours have entered and are connected already
    expect(sweep([[1, 1, 1], [1, 9, 1], [1, 1, 1]], 'full', 'sub')).toEqual([[1, Infinity]]);
  });
});

describe('superlevelSweep (Alexander duality)', () => {
  it('turns a bounded superlevel component into a hole (birth at its rim, death at its top)', () => {
    const grid = [[0, 0, 0, 0], [0, 7, 6, 0], [0, 0, 0, 0]];
    expect(sweep(grid, 'face', 'super')).toEqual([[0, 7]]);
  });

  it('lets diagonal superlevel cells reach the outside only with 8-connectivity', () => {
    // the 9 touches the border cell 8 only through a corner: with 8-connectivity the hole around
    // the 9 only closes when the 8 enters the sublevel set
    const grid = [[0, 0, 8], [0, 9, 0], [0, 0, 0]];
    expect(sweep(grid, 'face', 'super')).toEqual([[0, 9]]);
    expect(sweep(grid, 'full', 'super')).toEqual([[8, 9]]);
  });
});
