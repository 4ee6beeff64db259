import { describe, expect, it } from 'vitest';
import { checkGrid } from '../src/grid';
import { isolines } from '../src/isolines';


/** f(x, y) = (x − 0.3)² + (y + 0.2)² on a non-uniform grid. */
function bowl() {
  const x = Array.from({ length: 41 }, (_, i) => -1 + 2 * (i / 40) ** 1.3);
  const y = Array.from({ length: 31 }, (_, i) => -1 + (2 * i) / 30);
  const values = y.map((b) => x.map((a) => (a - 0.3) ** 2 + (b + 0.2) ** 2));
  return checkGrid(values, x, y);
}

describe('isolines', () => {
  it('traces level sets in data coordinates, non-uniform axes included', () => {
    const lines = isolines(bowl(), [0.09, 0.25]);
    expect(lines.map((l) => l.level).sort()).toEqual([0.09, 0.25]);
    for (const { level, points } of lines) {
      expect(points.length).toBeGreaterThan(20);
      for (const [x, y] of points) expect(Math.hypot(x - 0.3, y + 0.2)).toBeCloseTo(Math.sqrt(level), 1);
      // A circle inside the grid closes on itself.
      expect(points[0][0]).toBeCloseTo(points[points.length - 1][0], 9);
      expect(points[0][1]).toBeCloseTo(points[points.length - 1][1], 9);
    }
  });

  it('stops lines at the edge of the grid instead of running around it', () => {
    const grid = bowl();
    // Radius 1.2 leaves the grid: the line must stay within the cell centres' bounding box.
    const lines = isolines(grid, [1.44]);
    expect(lines.length).toBeGreaterThan(0);
    for (const { points } of lines) {
      for (const [x, y] of points) {
        expect(x).toBeGreaterThanOrEqual(-1 - 1e-9);
        expect(x).toBeLessThanOrEqual(1 + 1e-9);
        expect(y).toBeGreaterThanOrEqual(-1 - 1e-9);
        expect(y).toBeLessThanOrEqual(1 + 1e-9);
        expect(Math.hypot(x - 0.3, y + 0.2)).toBeCloseTo(1.2, 1);
      }
    }
  });

  it('picks nice levels by count, and spaces them in log space on a log scale', () => {
    const grid = bowl();
    const linear = [...new Set(isolines(grid, 5).map((l) => l.level))];
    expect(linear.length).toBeGreaterThanOrEqual(3);
    for (const level of linear) expect(level * 10).toBeCloseTo(Math.round(level * 10), 9);
    const shifted = checkGrid(
      Array.from({ length: 31 }, (_, r) => grid.x.map((_, c) => grid.values[r * 41 + c] + 0.001)),
      grid.x,
      grid.y
    );
    const log = [...new Set(isolines(shifted, [0.01, 0.1, 1], true).map((l) => l.level))].sort((a, b) => a - b);
    expect(log.map((l) => +l.toPrecision(6))).toEqual([0.01, 0.1, 1]);
  });
});
