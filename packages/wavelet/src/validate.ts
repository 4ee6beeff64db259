// Input checks shared by the transforms: every error names the parameter, the value and what is allowed.
import { InvalidParameterError } from '@descent/tensor/errors';
import type { Array2D } from './array2d';

/** A finite float64 view of 1-D input; copies only when the input is not already a Float64Array. */
export function toSignal(data: unknown, parameter: string, minLength = 1): Float64Array {
  if (data == null || typeof data !== 'object' || typeof (data as ArrayLike<number>).length !== 'number') {
    throw new InvalidParameterError(parameter, data, 'an array or typed array of finite numbers');
  }
  const arr = data as ArrayLike<number>;
  if (arr.length < minLength) throw new InvalidParameterError(`${parameter}.length`, arr.length, `≥ ${minLength}`);
  const x = arr instanceof Float64Array ? arr : Float64Array.from(arr);
  checkFinite(x, parameter);
  return x;
}

/** Checks shape and finiteness of a 2-D input. */
export function checkArray2D(a: unknown, parameter: string): Array2D {
  const m = a as Array2D;
  if (m == null || typeof m !== 'object' || !(m.data instanceof Float64Array)) {
    throw new InvalidParameterError(parameter, describe(a), '{ data: Float64Array, rows, cols } (row-major; see fromRows)');
  }
  if (!Number.isInteger(m.rows) || m.rows < 1) throw new InvalidParameterError(`${parameter}.rows`, m.rows, 'an integer ≥ 1');
  if (!Number.isInteger(m.cols) || m.cols < 1) throw new InvalidParameterError(`${parameter}.cols`, m.cols, 'an integer ≥ 1');
  if (m.data.length !== m.rows * m.cols) {
    throw new InvalidParameterError(`${parameter}.data.length`, m.data.length, `rows·cols = ${m.rows}·${m.cols} = ${m.rows * m.cols}`);
  }
  checkFinite(m.data, `${parameter}.data`);
  return m;
}

function checkFinite(x: Float64Array, parameter: string): void {
  for (let i = 0; i < x.length; i++) {
    // x - x is 0 for finite values and NaN for NaN and ±Inf: one comparison per element.
    if (x[i] - x[i] !== 0) throw new InvalidParameterError(`${parameter}[${i}]`, x[i], 'a finite number');
  }
}

function describe(a: unknown): unknown {
  if (a && typeof a === 'object') return Array.isArray(a) ? `array of length ${a.length}` : Object.keys(a);
  return a;
}
