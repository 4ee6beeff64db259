import { InvalidParameterError } from '@descent/tensor/errors';

/**
 * A row-major matrix: element (r, c) at `data[r * cols + c]` — the shape of @descent/wavelet's
 * Array2D (wavedec2 bands, cwt coefficients), accepted without depending on that package.
 */
export interface MatrixLike {
  readonly data: ArrayLike<number>;
  readonly rows: number;
  readonly cols: number;
}

/** A checked matrix (finite values), copied to Float64Array. */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

export function checkMatrix(parameter: string, m: unknown): Matrix {
  const x = m as MatrixLike;
  if (x === null || typeof x !== 'object' || !(Array.isArray(x.data) || ArrayBuffer.isView(x.data))) {
    throw new InvalidParameterError(parameter, m, '{ data, rows, cols } (row-major, e.g. a wavelet Array2D)');
  }
  if (!Number.isInteger(x.rows) || x.rows < 1 || !Number.isInteger(x.cols) || x.cols < 1) {
    throw new InvalidParameterError(`${parameter} shape`, [x.rows, x.cols], 'integer rows and cols ≥ 1');
  }
  if (x.data.length !== x.rows * x.cols) throw new InvalidParameterError(`${parameter}.data.length`, x.data.length, `rows·cols = ${x.rows * x.cols}`);
  const data = Float64Array.from(x.data);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new InvalidParameterError(`${parameter}.data[${i}]`, x.data[i], 'a finite number');
  }
  return { data, rows: x.rows, cols: x.cols };
}

/** A matrix reduced to at most maxRows × maxCols by blocks, with the block sizes used. */
export interface Pooled extends Matrix {
  rowBlock: number;
  colBlock: number;
}

/**
 * Shrinks a matrix for drawing (one SVG rect per cell): blocks of ⌈rows/maxRows⌉ × ⌈cols/maxCols⌉
 * cells become one, by their largest value ('max', keeps narrow peaks such as edges visible) or
 * their mean. Returned as is when it already fits.
 */
export function poolMatrix(m: Matrix, maxRows: number, maxCols: number, reduce: 'max' | 'mean'): Pooled {
  const rowBlock = Math.ceil(m.rows / maxRows);
  const colBlock = Math.ceil(m.cols / maxCols);
  if (rowBlock === 1 && colBlock === 1) return { ...m, rowBlock, colBlock };
  const rows = Math.ceil(m.rows / rowBlock);
  const cols = Math.ceil(m.cols / colBlock);
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let acc = reduce === 'max' ? -Infinity : 0;
      let n = 0;
      for (let i = r * rowBlock; i < Math.min(m.rows, (r + 1) * rowBlock); i++) {
        for (let j = c * colBlock; j < Math.min(m.cols, (c + 1) * colBlock); j++) {
          const v = m.data[i * m.cols + j];
          acc = reduce === 'max' ? Math.max(acc, v) : acc + v;
          n++;
        }
      }
      data[r * cols + c] = reduce === 'max' ? acc : acc / n;
    }
  }
  return { data, rows, cols, rowBlock, colBlock };
}
