import { InvalidParameterError } from '@descent/tensor/errors';

/**
 * Values on a rectangular grid: rows of values (`grid[r][c]` sits at `(x[c], y[r])`), or a flat
 * row-major buffer with its shape.
 */
export type GridInput = ReadonlyArray<ArrayLike<number>> | { values: ArrayLike<number>; rows: number; cols: number };

/** A checked grid: row-major values, row r at y[r], column c at x[c]. */
export interface Grid {
  values: Float64Array;
  rows: number;
  cols: number;
  x: Float64Array;
  y: Float64Array;
}

/**
 * Checks a grid against its coordinates: at least 2 × 2, one x per column and one y per row, both
 * strictly increasing and finite, and every value finite (positive too when `positive`).
 */
export function checkGrid(input: unknown, xs: unknown, ys: unknown, positive = false): Grid {
  let values: Float64Array;
  let rows: number;
  let cols: number;
  if (Array.isArray(input)) {
    rows = input.length;
    cols = rows > 0 && isArrayLike(input[0]) ? input[0].length : 0;
    values = new Float64Array(rows * cols);
    input.forEach((row: unknown, r) => {
      if (!isArrayLike(row) || row.length !== cols) {
        throw new InvalidParameterError(`grid[${r}]`, isArrayLike(row) ? `${row.length} values` : row, `${cols} values, like row 0`);
      }
      for (let c = 0; c < cols; c++) values[r * cols + c] = row[c] as number;
    });
  } else if (input !== null && typeof input === 'object' && isArrayLike((input as { values?: unknown }).values)) {
    const g = input as { values: ArrayLike<number>; rows: unknown; cols: unknown };
    if (!Number.isInteger(g.rows) || !Number.isInteger(g.cols)) {
      throw new InvalidParameterError('grid', { rows: g.rows, cols: g.cols }, 'integer rows and cols');
    }
    rows = g.rows as number;
    cols = g.cols as number;
    if (g.values.length !== rows * cols) {
      throw new InvalidParameterError('grid.values', `${g.values.length} values`, `rows × cols = ${rows * cols} values`);
    }
    values = Float64Array.from(g.values);
  } else {
    throw new InvalidParameterError('grid', input, 'an array of rows, or { values, rows, cols }');
  }
  if (rows < 2 || cols < 2) throw new InvalidParameterError('grid', `${rows} × ${cols}`, 'at least 2 rows and 2 columns');
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || (positive && v <= 0)) {
      throw new InvalidParameterError(
        `grid[${Math.floor(i / cols)}][${i % cols}]`,
        v,
        positive ? 'a positive finite number (the colour scale is logarithmic)' : 'a finite number'
      );
    }
  }
  return { values, rows, cols, x: checkAxis('x', xs, cols, 'columns'), y: checkAxis('y', ys, rows, 'rows') };
}

function checkAxis(parameter: string, input: unknown, length: number, what: string): Float64Array {
  if (!isArrayLike(input) || input.length !== length) {
    throw new InvalidParameterError(
      parameter,
      isArrayLike(input) ? `${input.length} values` : input,
      `${length} values, one per grid ${what.slice(0, -1)}`
    );
  }
  const out = Float64Array.from(input as ArrayLike<number>);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]) || (i > 0 && out[i] <= out[i - 1])) {
      throw new InvalidParameterError(`${parameter}[${i}]`, input[i], 'finite and strictly increasing coordinates');
    }
  }
  return out;
}

/** Edges of the cells centred on the coordinates: midpoints, and half a step beyond the ends. */
export function cellEdges(centres: Float64Array): Float64Array {
  const n = centres.length;
  const edges = new Float64Array(n + 1);
  for (let i = 1; i < n; i++) edges[i] = (centres[i - 1] + centres[i]) / 2;
  edges[0] = centres[0] - (centres[1] - centres[0]) / 2;
  edges[n] = centres[n - 1] + (centres[n - 1] - centres[n - 2]) / 2;
  return edges;
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return (Array.isArray(v) || ArrayBuffer.isView(v)) && typeof (v as { length?: unknown }).length === 'number';
}
