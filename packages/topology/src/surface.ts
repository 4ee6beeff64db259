import { InvalidParameterError } from '@descent/tensor/errors';
import { checkGrid, isGrid, type Grid, type GridInput } from './grid';
import { cubicalPersistence, type PersistencePair } from './persistence';
import type { Filtration } from './cubical';

/** Min-max normalisation to [0, 1] (a constant grid becomes all zeros). Values must be finite. */
export function normalizeMinMax(grid: GridInput): Grid & { data: Float64Array } {
  const { data, shape } = checkGrid(grid);
  let lo = Infinity;
  let hi = -Infinity;
  data.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new InvalidParameterError(`grid value ${i}`, v, 'a finite number (min-max normalisation needs a finite range)');
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  });
  const span = hi - lo;
  return { data: data.map((v) => (span > 0 ? (v - lo) / span : 0)), shape };
}

/**
 * The book's loss-surface pipeline (Deep Learning DNA, ch. 5): min-max normalise the loss grid to
 * [0, 1], then take the sublevel persistence diagram with values on the grid cells
 * (GUDHI `CubicalComplex(top_dimensional_cells=...)`).
 */
export function surfaceDiagram(grid: GridInput, options: { readonly locations?: boolean } = {}): PersistencePair[] {
  return cubicalPersistence(normalizeMinMax(grid), { filtration: 'top-cells', locations: options.locations });
}

export interface BasinOptions {
  /** Count basins whose H0 persistence exceeds this (in normalised units when `normalize`); default 0. */
  readonly threshold?: number;
  /** Min-max normalise a grid first, as the book does; default true. Ignored for diagrams. */
  readonly normalize?: boolean;
  readonly filtration?: Filtration;
}

/**
 * Number of basins: H0 classes (connected sublevel components, one per significant local minimum)
 * with persistence above `threshold`; the global basin (infinite persistence) always counts.
 * Accepts a loss grid or a diagram computed already.
 */
export function countBasins(source: GridInput | readonly PersistencePair[], options: BasinOptions = {}): number {
  const { threshold = 0, normalize = true, filtration = 'top-cells' } = options;
  if (typeof threshold !== 'number' || !(threshold >= 0)) throw new InvalidParameterError('threshold', threshold, 'a number >= 0');
  const diagram = isDiagram(source)
    ? source
    : cubicalPersistence(normalize ? normalizeMinMax(source as GridInput) : (source as GridInput), { filtration, dimensions: [0] });
  return diagram.filter((p) => p.dimension === 0 && p.death - p.birth > threshold).length;
}

export interface Barrier {
  /** Value of the global minimum. */
  readonly lowest: number;
  /** Value of the second-lowest minimum (the lowest one whose basin dies). */
  readonly second: number;
  /** Saddle level where that basin merges into an older one (its H0 death). */
  readonly saddle: number;
  /** saddle - second: how far the second minimum must climb to leave its basin. */
  readonly depth: number;
  /** Row-major indices of the two minima and of the saddle cell. */
  readonly lowestIndex: number;
  readonly secondIndex: number;
  readonly saddleIndex: number;
}

/**
 * The barrier between the two lowest minima: the H0 class of the second-lowest minimum dies at the
 * saddle where its basin meets an older basin. Returns null when the surface has a single basin.
 * Values are in the grid's units unless `normalize` is set.
 */
export function minimaBarrier(grid: GridInput, options: { readonly normalize?: boolean; readonly filtration?: Filtration } = {}): Barrier | null {
  const { normalize = false, filtration = 'top-cells' } = options;
  const input = normalize ? normalizeMinMax(grid) : grid;
  const h0 = cubicalPersistence(input, { filtration, dimensions: [0], locations: true });
  const essential = h0.find((p) => p.death === Infinity)!;
  let second: PersistencePair | undefined;
  for (const p of h0) {
    if (p.death === Infinity) continue;
    // lowest birth; on ties, the deeper basin
    if (!second || p.birth < second.birth || (p.birth === second.birth && p.death > second.death)) second = p;
  }
  if (!second) return null;
  return {
    lowest: essential.birth,
    second: second.birth,
    saddle: second.death,
    depth: second.death - second.birth,
    lowestIndex: essential.birthIndex!,
    secondIndex: second.birthIndex!,
    saddleIndex: second.deathIndex!,
  };
}

function isDiagram(source: unknown): source is readonly PersistencePair[] {
  if (!Array.isArray(source) || isGrid(source)) return false;
  return source.length === 0 || (typeof source[0] === 'object' && source[0] !== null && !Array.isArray(source[0]) && 'dimension' in source[0]);
}
