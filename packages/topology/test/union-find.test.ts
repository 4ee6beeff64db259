import { describe, it, expect } from 'vitest';
import { argsortValues } from '../src/argsort';
import { checkGrid, isRing, neighbourOffsets, padGrid } from '../src/grid';
import { PairList, sublevelSweep, superlevelSweep } from '../src/union-find';

function sweep(grid: number[][], kind: 'face' | 'full', direction: 'sub' | 'super'): Array<[number, number]> {
  const p = padGrid(checkGrid(grid));
  const order = argsortValues(p.values, p.cells);
  const offsets = neighbourOffsets(p.dims, kind);
  const out = new PairList();
  if (direction === 'sub') sublevelSweep(p.values, order, p.size, offsets, isRing(p.dims, offsets), out);
  else superlevelSweep(p.values, order, p.interior, offsets, isRing(p.dims, offsets), out, 1);
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
