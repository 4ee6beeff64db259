import { InvalidParameterError } from '@descent/tensor/errors';

/**
 * How a table cell shows its value:
 * - `'auto'` (default): integers in full with thousands separators, other numbers with 4
 *   significant digits, very small or large ones in exponent notation;
 * - `'integer'`: rounded, with thousands separators;
 * - `'percent'`: a fraction as a percentage with one decimal (0.347 → "34.7%");
 * - `'bytes'`: binary units ("1.50 MiB");
 * - `'exponent'`: 3 significant digits in exponent notation ("1.23e-4");
 * - `{ digits }`: fixed number of decimals;
 * - a function of the value (and its row) for anything else.
 * `null`/`undefined` show as "—", NaN as "NaN", infinities as "∞"/"−∞".
 */
export type CellFormat =
  | 'auto'
  | 'integer'
  | 'percent'
  | 'bytes'
  | 'exponent'
  | { digits: number }
  | ((value: unknown, row: unknown) => string);

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const SIGNIFICANT = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

/** Formats one value; see {@link CellFormat}. */
export function formatValue(value: unknown, format: CellFormat = 'auto', row?: unknown): string {
  if (typeof format === 'function') return String(format(value, row));
  if (value === null || value === undefined) return '—';
  if (typeof value === 'bigint') return GROUPED.format(value);
  if (typeof value !== 'number') {
    if (typeof value === 'string') return value;
    if (typeof value === 'boolean') return value ? 'yes' : 'no';
    if (value instanceof Date) return value.toISOString();
    try {
      return JSON.stringify(value) ?? String(value);
    } catch {
      return String(value);
    }
  }
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const v = Object.is(value, -0) ? 0 : value;
  if (typeof format === 'object') return v.toFixed(format.digits);
  switch (format) {
    case 'integer':
      return GROUPED.format(Math.round(v));
    case 'percent':
      return `${(v * 100).toFixed(1)}%`;
    case 'bytes':
      return formatBytes(v);
    case 'exponent':
      return v.toExponential(2);
    default:
      return formatAuto(v);
  }
}

function formatAuto(v: number): string {
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1e15) return GROUPED.format(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e9)) return v.toExponential(2);
  return SIGNIFICANT.format(v);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

function formatBytes(v: number): string {
  let x = Math.abs(v);
  let u = 0;
  while (x >= 1024 && u < UNITS.length - 1) {
    x /= 1024;
    u++;
  }
  const sign = v < 0 ? '-' : '';
  return u === 0 ? `${sign}${Math.round(x)} B` : `${sign}${x.toFixed(x >= 100 ? 0 : x >= 10 ? 1 : 2)} ${UNITS[u]}`;
}

/** Checks a format given by a caller; returns it. */
export function checkFormat(parameter: string, format: unknown): CellFormat {
  if (format === undefined) return 'auto';
  if (typeof format === 'function') return format as CellFormat;
  if (format === 'auto' || format === 'integer' || format === 'percent' || format === 'bytes' || format === 'exponent') return format;
  if (format !== null && typeof format === 'object') {
    const digits = (format as { digits?: unknown }).digits;
    if (typeof digits === 'number' && Number.isInteger(digits) && digits >= 0 && digits <= 20) return { digits };
  }
  throw new InvalidParameterError(parameter, format, "'auto', 'integer', 'percent', 'bytes', 'exponent', { digits: 0–20 } or a function");
}
