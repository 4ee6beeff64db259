import { describe, it, expect } from 'vitest';
import { sparseAssignment } from '../src/assignment';
import { lcg } from './golden';

/** Exhaustive minimum over all injective row -> column maps using the allowed edges. */
function bruteForce(rows: number, columns: number, cost: (number | null)[][]): number {
  let best = Infinity;
  const used = new Uint8Array(columns);
  const rec = (r: number, acc: number): void => {
    if (r === rows) {
      best = Math.min(best, acc);
      return;
    }
    for (let j = 0; j < columns; j++) {
      const c = cost[r][j];
      if (c === null || used[j]) continue;
      used[j] = 1;
      rec(r + 1, acc + c);
      used[j] = 0;
    }
  };
  rec(0, 0);
  return best;
}

describe('sparseAssignment (Hungarian method, shortest augmenting paths)', () => {
  it('finds the optimum of random sparse problems with negative costs and ties', () => {
    const next = lcg(31);
    for (let trial = 0; trial < 300; trial++) {
      const rows = 1 + (next() % 6);
      const columns = rows + (next() % 4);
      // every row keeps a private column so an assignment exists, as in the Wasserstein use
      const cost = Array.from({ length: rows }, (_, r) =>
        Array.from({ length: columns }, (_, j) => (j === columns - rows + r || next() % 3 !== 0 ? (next() % 9) - 6 + (trial % 2 ? (next() % 1000) / 1000 : 0) : null)),
      );
      const start = new Int32Array(rows + 1);
      const cols: number[] = [];
      const costs: number[] = [];
      cost.forEach((row, r) => {
        row.forEach((c, j) => {
          if (c !== null) {
            cols.push(j);
            costs.push(c);
          }
        });
        start[r + 1] = cols.length;
      });
      const colOf = sparseAssignment(rows, columns, start, Int32Array.from(cols), Float64Array.from(costs));
      expect(new Set(colOf).size).toBe(rows);
      const total = Array.from(colOf).reduce((s, j, r) => s + (cost[r][j] as number), 0);
      expect(total).toBeCloseTo(bruteForce(rows, columns, cost), 9);
    }
  });

  it('throws when no complete assignment exists', () => {
    expect(() => sparseAssignment(2, 2, Int32Array.from([0, 1, 2]), Int32Array.from([0, 0]), Float64Array.from([1, 1]))).toThrow(/no complete assignment/);
  });
});
