import { tf, InvalidParameterError } from '@descent/tensor';
import { AbstractMatrix } from 'ml-matrix';

/**
 * A weight to analyse: a TensorFlow.js tensor in tfjs layout (dense kernel [in, out], conv kernel
 * [kh, kw, in, out], 1-D weight [n]), an ml-matrix matrix, or plain rows (number[][]) / a plain
 * vector (number[]).
 */
export type WeightInput = tf.Tensor | AbstractMatrix | ArrayLike<ArrayLike<number>> | ArrayLike<number>;

/** A weight as the matrix whose singular values are analysed. */
export interface WeightMatrix {
  /** Row-major values of a matrix with the singular values of the [m, n] matrix (possibly its transpose). */
  data: Float64Array;
  rows: number;
  cols: number;
  /** The analysed matrix's shape [m, n] as reported (torch's `weight.view(out, -1)` for tensors). */
  matrixShape: [number, number];
  /** The input's shape. */
  shape: number[];
  /** Machine epsilon of the input's precision: 2⁻²³ for float32 tensors, 2⁻⁵² otherwise. */
  eps: number;
}

export const FLOAT32_EPS = 2 ** -23;

/**
 * Reads a weight into a float64 matrix with its singular values.
 *
 * Tensors: the last axis is the output axis, so a [..., out] tensor is analysed as the
 * [out, prod(rest)] matrix, which is torch's `weight.view(out, -1)` up to a permutation of the
 * columns (torch orders a conv kernel [out, in, kh, kw]; tfjs [kh, kw, in, out]) and so has the
 * same singular values. A dense kernel [in, out] gives [out, in] (torch's Linear weight), a conv
 * kernel one row per filter, and a 1-D weight [n] the column [n, 1], whose only singular value is
 * its Euclidean norm (|a| for a single PReLU slope). Matrices and number[][] are taken as given;
 * a number[] like a 1-D tensor.
 */
export function toWeightMatrix(input: WeightInput, parameter = 'weight'): WeightMatrix {
  if (input instanceof tf.Tensor) return fromTensor(input, parameter);
  if (AbstractMatrix.isMatrix(input)) {
    const m = input.rows;
    const n = input.columns;
    checkShape([m, n], parameter);
    const data = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) data[i * n + j] = input.get(i, j);
    return finish(data, m, n, [m, n], [m, n], 2 ** -52, parameter);
  }
  if (input == null || typeof (input as ArrayLike<unknown>).length !== 'number') {
    throw new InvalidParameterError(parameter, describe(input), 'a tf.Tensor, an ml-matrix Matrix, number[][] or number[]');
  }
  const list = input as ArrayLike<unknown>;
  if (list.length > 0 && typeof list[0] === 'object' && list[0] !== null) {
    const rows = list as ArrayLike<ArrayLike<number>>;
    const m = rows.length;
    const n = rows[0].length;
    checkShape([m, n], parameter);
    const data = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      const row = rows[i];
      if (row == null || row.length !== n) {
        throw new InvalidParameterError(parameter, `row ${i} has length ${row?.length}, row 0 has ${n}`, 'rows of equal length');
      }
      for (let j = 0; j < n; j++) data[i * n + j] = checkEntry(row[j], parameter);
    }
    return finish(data, m, n, [m, n], [m, n], 2 ** -52, parameter);
  }
  const values = list as ArrayLike<number>;
  const n = values.length;
  checkShape([n], parameter);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = checkEntry(values[i], parameter);
  return finish(data, 1, n, [n, 1], [n], 2 ** -52, parameter);
}

function fromTensor(t: tf.Tensor, parameter: string): WeightMatrix {
  if (t.dtype !== 'float32' && t.dtype !== 'int32') {
    throw new InvalidParameterError(`${parameter}.dtype`, t.dtype, 'float32 or int32');
  }
  const shape = t.shape.slice();
  checkShape(shape, parameter);
  const out = shape[shape.length - 1];
  const rest = t.size / out;
  // Row-major [rest, out] data is the transpose of the [out, rest] matrix reported.
  const data = Float64Array.from(t.dataSync() as Float32Array | Int32Array);
  return finish(data, rest, out, [out, rest], shape, t.dtype === 'float32' ? FLOAT32_EPS : 2 ** -52, parameter);
}

function finish(data: Float64Array, rows: number, cols: number, matrixShape: [number, number], shape: number[], eps: number, parameter: string): WeightMatrix {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new InvalidParameterError(parameter, `${data[i]} at flat index ${i} of shape [${shape.join(', ')}]`, 'finite entries');
    }
  }
  return { data, rows, cols, matrixShape, shape, eps };
}

function checkShape(shape: number[], parameter: string): void {
  if (shape.length === 0 || shape.some((d) => !(d > 0))) {
    throw new InvalidParameterError(`${parameter}.shape`, shape, 'at least one axis and no empty axis');
  }
}

function checkEntry(x: unknown, parameter: string): number {
  if (typeof x !== 'number') throw new InvalidParameterError(parameter, describe(x), 'numbers');
  return x;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  return typeof x === 'object' ? (x.constructor?.name ?? 'object') : String(x);
}
