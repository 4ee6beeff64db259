import { InvalidParameterError } from '@descent/tensor/errors';
import type { PersistencePair } from './persistence';

/** A (birth, death) point; death = Infinity for an essential class. */
export type Interval = readonly [number, number];

/** What the distance and summary functions accept: intervals of one dimension, or a cubicalPersistence result. */
export type DiagramInput = ReadonlyArray<Interval> | ReadonlyArray<PersistencePair>;

/** A validated diagram split as GUDHI does: finite points and the essential parts by type. */
export interface SplitDiagram {
  births: Float64Array;
  deaths: Float64Array;
  /** Finite births of points (b, +Infinity). */
  essentialBirths: Float64Array;
  /** Finite deaths of points (-Infinity, d). */
  essentialDeaths: Float64Array;
  /** Number of points (-Infinity, +Infinity). */
  bothInfinite: number;
}

/**
 * Validates a diagram and keeps one dimension: `dimension` is required when `PersistencePair`s of
 * several dimensions are given (distances between mixed dimensions mean nothing).
 * Points (+Infinity, +Infinity) and (-Infinity, -Infinity) lie on the diagonal and are dropped.
 */
export function splitDiagram(diagram: DiagramInput, name: string, dimension?: number): SplitDiagram {
  if (!Array.isArray(diagram)) throw new InvalidParameterError(name, diagram, 'an array of [birth, death] pairs or of { dimension, birth, death }');
  if (dimension !== undefined && (!Number.isInteger(dimension) || dimension < 0)) {
    throw new InvalidParameterError('dimension', dimension, 'an integer >= 0');
  }
  const births: number[] = [];
  const deaths: number[] = [];
  const essentialBirths: number[] = [];
  const essentialDeaths: number[] = [];
  let bothInfinite = 0;
  let seen: number | undefined;
  diagram.forEach((point: Interval | PersistencePair, i: number) => {
    let b: unknown;
    let d: unknown;
    if (Array.isArray(point)) {
      if (point.length !== 2) throw new InvalidParameterError(`${name}[${i}]`, point, 'a [birth, death] pair');
      [b, d] = point;
    } else if (typeof point === 'object' && point !== null && 'birth' in point) {
      const dim = (point as PersistencePair).dimension;
      if (dimension !== undefined && dim !== dimension) return;
      if (dimension === undefined) {
        if (seen !== undefined && dim !== seen) {
          throw new InvalidParameterError('dimension', dimension, `a dimension to select: ${name} mixes dimensions ${seen} and ${dim}`);
        }
        seen = dim;
      }
      b = (point as PersistencePair).birth;
      d = (point as PersistencePair).death;
    } else throw new InvalidParameterError(`${name}[${i}]`, point, 'a [birth, death] pair or { dimension, birth, death }');
    if (typeof b !== 'number' || Number.isNaN(b)) throw new InvalidParameterError(`${name}[${i}] birth`, b, 'a number or ±Infinity');
    if (typeof d !== 'number' || Number.isNaN(d)) throw new InvalidParameterError(`${name}[${i}] death`, d, 'a number or ±Infinity');
    if (d < b) throw new InvalidParameterError(`${name}[${i}]`, [b, d], 'death >= birth');
    if (Number.isFinite(b) && Number.isFinite(d)) {
      births.push(b);
      deaths.push(d);
    } else if (Number.isFinite(b)) essentialBirths.push(b);
    else if (Number.isFinite(d)) essentialDeaths.push(d);
    else if (b === -Infinity && d === Infinity) bothInfinite++;
  });
  return {
    births: Float64Array.from(births),
    deaths: Float64Array.from(deaths),
    essentialBirths: Float64Array.from(essentialBirths).sort(),
    essentialDeaths: Float64Array.from(essentialDeaths).sort(),
    bothInfinite,
  };
}

/** True when the essential parts can be matched at all (same number of points of each type). */
export function essentialCountsMatch(a: SplitDiagram, b: SplitDiagram): boolean {
  return a.essentialBirths.length === b.essentialBirths.length && a.essentialDeaths.length === b.essentialDeaths.length && a.bothInfinite === b.bothInfinite;
}
