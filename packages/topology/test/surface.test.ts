import { describe, it, expect } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { countBasins, cubicalPersistence, minimaBarrier, normalizeMinMax, surfaceDiagram } from '../src/index';
import { canonical, decode, fixture, generate, type GenSpec } from './golden';

interface SurfaceCase {
  gen: GenSpec;
  pairs: Array<[number, number, number | null]>;
  basins: Record<string, number>;
  barrier: { lowest: number; second: number; saddle: number; depth: number } | null;
}
const golden = fixture<{ gudhi: string; cases: SurfaceCase[] }>('surface.json');

describe(`loss-surface pipeline matches the book's GUDHI ${golden.gudhi} code`, () => {
  golden.cases.forEach((c, k) => {
    const grid = generate(c.gen);
    it(`surface ${k} (${c.gen.shape.join('x')}): normalise to [0, 1], diagram with top-dimensional cells`, () => {
      const d = surfaceDiagram(grid);
      // numpy and JS normalise with the same two IEEE operations, so the values agree exactly
      expect(canonical(d.map((p) => [p.dimension, p.birth, p.death]))).toEqual(canonical(c.pairs.map(([dim, b, e]) => [dim, b, decode(e)])));
    });
    it(`surface ${k}: basin counts and the barrier between the two lowest minima`, () => {
      for (const [t, n] of Object.entries(c.basins)) expect(countBasins(grid, { threshold: Number(t) })).toBe(n);
      const barrier = minimaBarrier(grid, { normalize: true })!;
      expect(barrier).toMatchObject(c.barrier!);
      const z = normalizeMinMax(grid).data;
      expect([z[barrier.lowestIndex], z[barrier.secondIndex], z[barrier.saddleIndex]]).toEqual([barrier.lowest, barrier.second, barrier.saddle]);
    });
  });
});

describe('loss-surface helpers', () => {
  const wells = (x: number, y: number) => -2 * Math.exp(-((x + 1) ** 2 + y * y) * 4) - Math.exp(-((x - 1) ** 2 + y * y) * 4);
  const n = 41;
  const grid = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => wells(-2 + (4 * j) / (n - 1), -2 + (4 * i) / (n - 1))));

  it('finds the two wells of a double-well surface and the saddle between them', () => {
    const b = minimaBarrier(grid)!;
    expect(b.lowest).toBeCloseTo(-2, 2);
    expect(b.second).toBeCloseTo(-1, 2);
    expect(b.saddle).toBeGreaterThan(b.second);
    // the saddle is the lowest level at which the two wells connect (pixels touching at corners
    // connect, as in the top-cell filtration): checked by flood fill
    const flat = grid.flat();
    const connected = (level: number): boolean => {
      const seen = new Uint8Array(n * n);
      const stack = [b.lowestIndex];
      seen[b.lowestIndex] = 1;
      while (stack.length > 0) {
        const p = stack.pop()!;
        if (p === b.secondIndex) return true;
        const [i, j] = [Math.floor(p / n), p % n];
        for (let di = -1; di <= 1; di++) {
          for (let dj = -1; dj <= 1; dj++) {
            const [a, c] = [i + di, j + dj];
            const q = a * n + c;
            if (a >= 0 && a < n && c >= 0 && c < n && !seen[q] && flat[q] <= level) {
              seen[q] = 1;
              stack.push(q);
            }
          }
        }
      }
      return false;
    };
    expect(connected(b.saddle)).toBe(true);
    expect(connected(b.saddle - 1e-12)).toBe(false);
    // the minima sit at x = -1 and x = +1 on the middle row; the saddle lies between them
    expect([b.lowestIndex, b.secondIndex]).toEqual([20 * n + 10, 20 * n + 30]);
    expect(b.saddleIndex % n).toBeGreaterThan(10);
    expect(b.saddleIndex % n).toBeLessThan(30);
    expect(countBasins(grid, { threshold: 0.1 })).toBe(2);
    expect(countBasins(grid, { threshold: 0.9 })).toBe(1);
    expect(countBasins(cubicalPersistence(grid), { threshold: b.depth - 1e-12 })).toBe(2);
  });

  it('returns null for a single basin and zeros for a constant grid', () => {
    expect(minimaBarrier([[3, 2, 1, 0]])).toBeNull();
    expect(Array.from(normalizeMinMax([[2, 2], [2, 2]]).data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(normalizeMinMax([[1, 3], [2, 5]]).data)).toEqual([0, 0.5, 0.25, 1]);
  });

  it('rejects non-finite values for normalisation and negative thresholds', () => {
    expect(() => normalizeMinMax([[1, Infinity]])).toThrow(InvalidParameterError);
    expect(() => normalizeMinMax([[1, Infinity]])).toThrow(/grid value 1.*Infinity/);
    expect(() => countBasins(grid, { threshold: -1 })).toThrow(/threshold/);
  });
});
