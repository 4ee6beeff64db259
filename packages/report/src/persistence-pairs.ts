import { InvalidParameterError } from '@descent/tensor/errors';
import { checkNonEmptyArray } from './validate';

/**
 * One point of a persistence diagram, as @descent/topology's cubicalPersistence returns it (and
 * as GUDHI prints it): the homology dimension, the filtration value at which the class is born and
 * the one at which it dies. An essential class never dies: death `Infinity` (or `null`, as JSON
 * stores it).
 */
export interface PersistencePoint {
  dimension: number;
  birth: number;
  death: number | null;
}

/** A checked pair: death null for an essential class. */
export interface CheckedPair {
  dimension: number;
  birth: number;
  death: number | null;
}

/** Checked pairs with the extent of their finite values and the dimensions present (ascending). */
export interface CheckedPairs {
  pairs: CheckedPair[];
  dimensions: number[];
  /** Smallest and largest finite value (births and finite deaths). */
  lo: number;
  hi: number;
  essential: number;
}

/** Validates persistence pairs: integer dimension ≥ 0, finite birth, death ≥ birth or ±∞/null → essential. */
export function checkPairs(parameter: string, input: unknown): CheckedPairs {
  const raw = checkNonEmptyArray<PersistencePoint>(parameter, input);
  let lo = Infinity;
  let hi = -Infinity;
  let essential = 0;
  const dims = new Set<number>();
  const pairs = raw.map((p, i) => {
    if (p === null || typeof p !== 'object') throw new InvalidParameterError(`${parameter}[${i}]`, p, 'an object { dimension, birth, death }');
    const { dimension, birth, death } = p;
    if (!Number.isInteger(dimension) || dimension < 0) throw new InvalidParameterError(`${parameter}[${i}].dimension`, dimension, 'an integer ≥ 0');
    if (typeof birth !== 'number' || !Number.isFinite(birth)) throw new InvalidParameterError(`${parameter}[${i}].birth`, birth, 'a finite number');
    let d: number | null;
    if (death === null || death === Infinity) d = null;
    else if (typeof death !== 'number' || !Number.isFinite(death) || death < birth) {
      throw new InvalidParameterError(`${parameter}[${i}].death`, death, `a finite number ≥ the birth (${birth}), or Infinity/null for an essential class`);
    } else d = death;
    dims.add(dimension);
    lo = Math.min(lo, birth);
    hi = Math.max(hi, birth, d ?? birth);
    if (d === null) essential++;
    return { dimension, birth, death: d };
  });
  return { pairs, dimensions: [...dims].sort((a, b) => a - b), lo, hi, essential };
}

/** The legend label of a homology dimension. */
export const dimensionLabel = (d: number): string => `H${d}`;

/** About `count` round tick values covering [lo, hi] (1, 2 or 5 × 10^k steps), all within it. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) out.push(+t.toPrecision(12));
  return out;
}
