import { describe, it, expect } from 'vitest';
import { argsortValues } from '../src/argsort';
import { lcg } from './golden';

/** Reference: comparison sort on (value, position), with -0 equal to +0. */
function reference(values: Float64Array, ids: Int32Array): number[] {
  return Array.from(ids.keys())
    .sort((a, b) => values[ids[a]] - values[ids[b]] || a - b)
    .map((k) => ids[k]);
}

describe('argsortValues', () => {
  it('orders by value, ties by position, across signs, zeros, infinities and subnormals', () => {
    const special = [0, -0, 5e-324, -5e-324, Infinity, -Infinity, 1, -1, 1 + 2 ** -52, -Number.MAX_VALUE, Number.MAX_VALUE, 2, 2, -3.5];
    const next = lcg(77);
    const values = Float64Array.from({ length: 3000 }, (_, i) =>
      i < special.length ? special[i] : i % 3 === 0 ? (next() % 7) - 3 : (next() / 2 ** 32 - 0.5) * 2 ** ((next() % 80) - 40),
    );
    const ids = Int32Array.from(values.keys());
    expect(Array.from(argsortValues(values, ids))).toEqual(reference(values, ids));
  });

  it('keeps the given order of ids for ties (stable), and sorts subsets', () => {
    const values = Float64Array.from([3, 1, 3, 1, 2, 3]);
    expect(Array.from(argsortValues(values, Int32Array.from([5, 0, 2, 3, 1])))).toEqual([3, 1, 5, 0, 2]);
    expect(Array.from(argsortValues(values, new Int32Array(0)))).toEqual([]);
  });

  it('handles constant input (all radix passes skipped)', () => {
    const values = new Float64Array(1000).fill(-2.25);
    const ids = Int32Array.from(values.keys()).reverse();
    expect(Array.from(argsortValues(values, ids))).toEqual(Array.from(ids));
  });
});
