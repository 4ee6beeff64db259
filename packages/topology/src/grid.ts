import { InvalidParameterError } from '@descent/tensor/errors';

/** A dense grid in row-major (C, numpy) order: `data[(i0 * shape[1] + i1) * shape[2] + i2]`. */
export interface Grid {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
}

/** What the grid functions accept: a flat grid with its shape, or nested arrays of depth 1, 2 or 3. */
export type GridInput =
  | Grid
  | readonly number[]
  | readonly (readonly number[])[]
  | readonly (readonly (readonly number[])[])[];

/** A validated copy of a grid: float64 values, 1 to 3 axes, no NaN. */
export interface CheckedGrid {
  readonly data: Float64Array;
  readonly shape: number[];
}

const NUMBER = 'a number or ±Infinity (NaN has no place in a filtration)';

/** True for `{ data, shape }` objects, as opposed to nested arrays. */
export function isGrid(input: unknown): input is Grid {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && 'data' in input && 'shape' in input;
}

/** Validates and copies a grid; every error names the offending entry, its value and what is allowed. */
export function checkGrid(input: GridInput, name = 'grid'): CheckedGrid {
  if (isGrid(input)) return checkFlat(input, name);
  if (!Array.isArray(input)) throw new InvalidParameterError(name, input, 'nested arrays of numbers or { data, shape }');
  const shape: number[] = [];
  // The shape is read along the first entries; every other entry is then checked against it.
  let probe: unknown = input;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) throw new InvalidParameterError(`${name}${'[0]'.repeat(shape.length - 1)}.length`, 0, 'at least 1 entry per axis');
    probe = probe[0];
  }
  if (shape.length > 3) throw new InvalidParameterError(`${name} depth`, shape.length, 'nested arrays of depth 1, 2 or 3');
  const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
  let k = 0;
  const walk = (node: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number' || Number.isNaN(node)) throw new InvalidParameterError(path, node, NUMBER);
      data[k++] = node;
      return;
    }
    if (!Array.isArray(node)) throw new InvalidParameterError(path, node, `an array of length ${shape[depth]}`);
    if (node.length !== shape[depth]) {
      throw new InvalidParameterError(`${path}.length`, node.length, `${shape[depth]}, the length of the first entry on this axis (grids must not be ragged)`);
    }
    for (let i = 0; i < node.length; i++) walk(node[i], depth + 1, `${path}[${i}]`);
  };
  walk(input, 0, name);
  return { data, shape };
}

function checkFlat(input: Grid, name: string): CheckedGrid {
  const { data, shape } = input;
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > 3) {
    throw new InvalidParameterError(`${name}.shape`, shape, 'an array of 1, 2 or 3 positive integers');
  }
  shape.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 1) throw new InvalidParameterError(`${name}.shape[${i}]`, s, 'a positive integer');
  });
  const size = shape.reduce((a, b) => a * b, 1);
  if (data == null || typeof data.length !== 'number') throw new InvalidParameterError(`${name}.data`, data, 'an array or typed array of numbers');
  if (data.length !== size) throw new InvalidParameterError(`${name}.data.length`, data.length, `${size}, the product of shape [${shape.join(', ')}]`);
  const out = Float64Array.from(data as ArrayLike<number>);
  for (let i = 0; i < size; i++) {
    // Float64Array.from turns non-numbers into NaN, so one check catches both.
    if (Number.isNaN(out[i]) || typeof data[i] !== 'number') throw new InvalidParameterError(`${name}.data[${i}]`, data[i], NUMBER);
  }
  return { data: out, shape: [...shape] };
}
