import { checkNumber, InvalidParameterError } from '@descent/tensor';

/** Checks an input shape (without the batch axis) and returns a copy with its number of features. */
export function checkInputShape(shape: unknown, parameter = 'inputShape'): { shape: number[]; size: number } {
  if (!Array.isArray(shape) || shape.length === 0) throw new InvalidParameterError(parameter, shape, 'a non-empty list of positive integers');
  shape.forEach((d, i) => checkNumber(`${parameter}[${i}]`, d, { min: 1, integer: true }));
  return { shape: [...shape], size: shape.reduce((a: number, b: number) => a * b, 1) };
}
