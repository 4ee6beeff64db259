import { describe, it, expect } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { checkGrid } from '../src/grid';

describe('checkGrid', () => {
  it('reads nested arrays of depth 1-3 and flat grids in row-major order', () => {
    expect(checkGrid([1, 2, 3])).toEqual({ data: Float64Array.from([1, 2, 3]), shape: [3] });
    expect(checkGrid([[1, 2], [3, 4], [5, 6]])).toEqual({ data: Float64Array.from([1, 2, 3, 4, 5, 6]), shape: [3, 2] });
    expect(checkGrid([[[1], [2]], [[3], [4]]]).shape).toEqual([2, 2, 1]);
    expect(checkGrid({ data: new Float32Array([1, Infinity]), shape: [1, 2] }).data).toEqual(Float64Array.from([1, Infinity]));
  });

  it('copies the input', () => {
    const data = [1, 2, 3, 4];
    const g = checkGrid({ data, shape: [2, 2] });
    data[0] = 9;
    expect(g.data[0]).toBe(1);
  });

  it('names the entry, its value and what is allowed', () => {
    const cases: Array<[unknown, RegExp]> = [
      [[[1, 2], [3, 4, 5]], /"grid\[1\]\.length": 3 \(allowed: 2/],
      [[[[1]], [[1], [2]]], /"grid\[1\]\.length": 2 \(allowed: 1/],
      [[[1, 2], 3], /"grid\[1\]": 3 \(allowed: an array of length 2\)/],
      [[[1, '2']], /"grid\[0\]\[1\]": "2"/],
      [[1, NaN], /"grid\[1\]": NaN \(allowed: a number or ±Infinity/],
      [[[[[1]]]], /"grid depth": 4/],
      [{ data: [1, 2, NaN, 4], shape: [2, 2] }, /"grid\.data\[2\]": NaN/],
      [{ data: [1, 2], shape: [2.5] }, /"grid\.shape\[0\]": 2\.5 \(allowed: a positive integer\)/],
      [{ data: [1, 2], shape: [] }, /"grid\.shape": \[\]/],
      ['abc', /"grid": "abc"/],
    ];
    for (const [input, message] of cases) {
      expect(() => checkGrid(input as never)).toThrow(InvalidParameterError);
      expect(() => checkGrid(input as never)).toThrow(message);
    }
  });
});
