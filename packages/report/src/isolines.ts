import * as vega from 'vega';
import type { Grid } from './grid';

/** One connected piece of an isoline, in data coordinates. */
export interface Isoline {
  level: number;
  points: Array<[number, number]>;
}

/**
 * Isolines (level sets) of a grid, computed by Vega's `isocontour` transform (marching squares)
 * in a tiny headless dataflow, then mapped from grid to data coordinates.
 *
 * Vega returns filled regions whose rings close around the outside of the grid; those closing
 * stretches lie outside the cell centres and are dropped, leaving the lines themselves.
 *
 * @param levels  explicit thresholds, or the approximate number of round levels (d3's ticks).
 * @param log     contour log10 of the values (levels are then spaced evenly in log space).
 */
export function isolines(grid: Grid, levels: number | readonly number[], log = false): Isoline[] {
  const { rows, cols } = grid;
  const values = log ? grid.values.map(Math.log10) : grid.values;
  const thresholds = typeof levels === 'number' ? niceLevels(values, levels) : log ? levels.map(Math.log10) : [...levels];
  if (thresholds.length === 0) return [];
  const spec = {
    data: [
      {
        name: 'grid',
        values: [{ width: cols, height: rows, values: Array.from(values) }],
        transform: [
          {
            type: 'isocontour',
            thresholds,
            smooth: true,
          },
        ],
      },
    ],
  };
  const view = new vega.View(vega.parse(spec as vega.Spec), { renderer: 'none' });
  let contours: Array<{ contour: { value: number; coordinates: number[][][][] } }>;
  try {
    view.run();
    contours = view.data('grid') as typeof contours;
  } finally {
    view.finalize();
  }

  // Grid coordinate g (value j sits at g = j + 0.5) → data coordinate, linear between centres.
  const toData = (g: number, centres: Float64Array) => {
    const t = Math.min(Math.max(g - 0.5, 0), centres.length - 1);
    const j = Math.min(Math.floor(t), centres.length - 2);
    return centres[j] + (t - j) * (centres[j + 1] - centres[j]);
  };
  const eps = 1e-9;
  const inside = ([gx, gy]: number[]) => gx >= 0.5 - eps && gx <= cols - 0.5 + eps && gy >= 0.5 - eps && gy <= rows - 0.5 + eps;

  const out: Isoline[] = [];
  for (const { contour } of contours) {
    const level = log ? 10 ** contour.value : contour.value;
    for (const polygon of contour.coordinates) {
      for (const ring of polygon) {
        let current: Array<[number, number]> = [];
        const flush = () => {
          if (current.length >= 2) out.push({ level, points: current });
          current = [];
        };
        for (const point of ring) {
          if (!inside(point)) {
            flush();
            continue;
          }
          current.push([toData(point[0], grid.x), toData(point[1], grid.y)]);
        }
        flush();
      }
    }
  }
  return out;
}

/** About `count` round values strictly between the grid's minimum and maximum. */
function niceLevels(values: Float64Array, count: number): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) return [];
  const ticks: number[] = vega.scale('linear')().domain([lo, hi]).ticks(count);
  return ticks.filter((t) => t > lo && t < hi);
}
