import { InvalidParameterError } from '@descent/tensor/errors';

/** Input checks shared by the plot builders; every failure is an InvalidParameterError. */

export type AxisScale = 'linear' | 'log';

export function checkTitle(parameter: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidParameterError(parameter, value, 'a non-empty string');
  return value;
}

export function checkOptionalText(parameter: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InvalidParameterError(parameter, value, 'a string');
  return value;
}

export function checkNonEmptyArray<T>(parameter: string, value: unknown): readonly T[] {
  if (!Array.isArray(value) || value.length === 0) throw new InvalidParameterError(parameter, value, 'a non-empty array');
  return value as T[];
}

export function checkFinite(parameter: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidParameterError(parameter, value, 'a finite number');
  return value;
}

/** A value on an axis with the given scale: finite, and positive on a log scale. */
export function checkOnScale(parameter: string, value: unknown, scale: AxisScale): number {
  const v = checkFinite(parameter, value);
  if (scale === 'log' && v <= 0) throw new InvalidParameterError(parameter, value, 'a positive number (the axis has a log scale)');
  return v;
}

export function checkScale(parameter: string, value: unknown): AxisScale {
  if (value === undefined) return 'linear';
  if (value !== 'linear' && value !== 'log') throw new InvalidParameterError(parameter, value, "'linear' or 'log'");
  return value;
}

export function checkSize(parameter: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 20 || value > 4000) {
    throw new InvalidParameterError(parameter, value, 'an integer number of pixels in [20, 4000]');
  }
  return value;
}

export function checkFieldName(parameter: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new InvalidParameterError(parameter, value, 'a non-empty field name');
  return value;
}

/** A category label (series, group): a non-empty string, or a number (turned into a string). */
export function checkLabel(parameter: string, value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value === '') throw new InvalidParameterError(parameter, value, 'a non-empty string or a finite number');
  return value;
}

/** A Vega-Lite field reference for a raw name: dots and brackets would otherwise mean nested access. */
export function fieldRef(name: string): string {
  return name.replace(/[\\.[\]]/g, (c) => `\\${c}`);
}
