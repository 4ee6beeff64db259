import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { cellEdges, checkGrid } from '../src/grid';


describe('checkGrid', () => {
  it('reads rows and flat buffers into the same row-major grid', () => {
    const a = checkGrid([[1, 2, 3], Float32Array.of(4, 5, 6)], [0, 1, 2], [0, 1]);
    const b = checkGrid({ values: [1, 2, 3, 4, 5, 6], rows: 2, cols: 3 }, Float64Array.of(0, 1, 2), [0, 1]);
    expect(Array.from(a.values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(b).toEqual(a);
    expect([a.rows, a.cols]).toEqual([2, 3]);
  });

  it('names the offending entry', () => {
    expect(() =>
      checkGrid(
        [
          [1, 2],
          [3, NaN],
        ],
        [0, 1],
        [0, 1]
      )
    ).toThrow(/grid\[1\]\[1\]/);
    expect(() =>
      checkGrid(
        [
          [1, 2],
          [3, 0],
        ],
        [0, 1],
        [0, 1],
        true
      )
    ).toThrow(/positive/);
    expect(() =>
      checkGrid(
        [
          [1, 2],
          [3, 4],
        ],
        [0, 0],
        [0, 1]
      )
    ).toThrow(InvalidParameterError);
    expect(() => checkGrid({ values: [1, 2, 3, 4], rows: 2.5, cols: 2 }, [0, 1], [0, 1])).toThrow(InvalidParameterError);
    expect(() => checkGrid('grid', [0, 1], [0, 1])).toThrow(InvalidParameterError);
  });
});

describe('cellEdges', () => {
  it('puts edges halfway between centres and half a step beyond the ends', () => {
    expect(Array.from(cellEdges(Float64Array.of(0, 1, 3)))).toEqual([-0.5, 0.5, 2, 4]);
  });
});
