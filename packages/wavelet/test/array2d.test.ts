import { describe, it, expect } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { array2d, fromRows, toRows } from '../src/index';

describe('Array2D helpers', () => {
  it('round-trips nested rows in row-major order', () => {
    const a = fromRows([[1, 2, 3], [4, 5, 6]]);
    expect(a.rows).toBe(2);
    expect(a.cols).toBe(3);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(toRows(a)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(Array.from(array2d(2, 2, [1, 2, 3, 4]).data)).toEqual([1, 2, 3, 4]);
    expect(array2d(2, 3).data).toEqual(new Float64Array(6));
  });
  it('rejects ragged rows and wrong sizes', () => {
    expect(() => fromRows([[1, 2], [3]])).toThrow(/"rows\[1\]\.length": 1 \(allowed: 2/);
    expect(() => fromRows([])).toThrow(InvalidParameterError);
    expect(() => array2d(2, 2, [1, 2, 3])).toThrow(/data\.length/);
    expect(() => array2d(0, 2)).toThrow(/"rows": 0/);
  });
});
