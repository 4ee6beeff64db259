import { InvalidParameterError } from '@descent/tensor/errors';

/**
 * A 2-D array in row-major order: element (r, c) is `data[r * cols + c]`, as in a C-ordered
 * numpy array of shape (rows, cols). Every 2-D input and output of this package uses it.
 */
export interface Array2D {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** An Array2D of the given shape; copies `data` when given (length rows·cols), zeros otherwise. */
export function array2d(rows: number, cols: number, data?: ArrayLike<number>): Array2D {
  checkDim('rows', rows);
  checkDim('cols', cols);
  if (data === undefined) return { data: new Float64Array(rows * cols), rows, cols };
  if (data.length !== rows * cols) throw new InvalidParameterError('data.length', data.length, `rows·cols = ${rows * cols}`);
  return { data: Float64Array.from(data), rows, cols };
}

/** Packs nested rows (all of one length) into an Array2D. */
export function fromRows(rows: readonly ArrayLike<number>[]): Array2D {
  if (!Array.isArray(rows) || rows.length === 0) throw new InvalidParameterError('rows', rows, 'a non-empty array of equal-length rows');
  const cols = rows[0].length;
  if (!(cols > 0)) throw new InvalidParameterError('rows[0].length', cols, '≥ 1');
  const out = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => {
    if (row.length !== cols) throw new InvalidParameterError(`rows[${r}].length`, row.length, `${cols} (the length of rows[0])`);
    for (let c = 0; c < cols; c++) out[r * cols + c] = row[c];
  });
  return { data: out, rows: rows.length, cols };
}

/** Unpacks an Array2D into nested rows (for printing or JSON). */
export function toRows(a: Array2D): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < a.rows; r++) out.push(Array.from(a.data.subarray(r * a.cols, (r + 1) * a.cols)));
  return out;
}

function checkDim(parameter: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new InvalidParameterError(parameter, n, 'an integer ≥ 1');
}
