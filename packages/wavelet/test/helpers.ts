import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { Array2D } from '../src/array2d';

const FIXTURES = resolve(import.meta.dirname, '../../../tools/golden/fixtures/wavelet');

/** A fixture written by tools/golden/wavelet.py (PyWavelets 1.1.1). */
export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8')) as T;
}

/**
 * Worst |a − e| / max(max|e|, floor). `floor` is the input's scale where a band can be pure
 * rounding noise (e.g. the details of a constant signal, ~1e-16 in pywt and here).
 */
export function relErr(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 0): number {
  expect(actual.length).toBe(expected.length);
  let scale = floor;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(actual[i] - expected[i]);
    if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : e;
  }
  return scale > 0 ? worst / scale : worst;
}

/**
 * Asserts agreement to `tol` relative to the array's largest reference magnitude; the fixtures
 * hold 12 significant digits, so 1e-10 leaves two digits for float64 summation-order noise.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-10, what = '', floor = 0): number {
  const r = relErr(actual, expected, floor);
  expect(r, `${what}: relative error ${r}`).toBeLessThanOrEqual(tol);
  return r;
}

export const flat = (rows: number[][]): number[] => rows.flat();

export function expect2D(actual: Array2D, expected: number[][], tol = 1e-10, what = '', floor = 0): number {
  expect([actual.rows, actual.cols], what).toEqual([expected.length, expected[0].length]);
  return expectClose(actual.data, flat(expected), tol, what, floor);
}

/** Deterministic pseudo-random signal (mulberry32), uniform in [−1, 1). */
export function randomSignal(n: number, seed = 1): Float64Array {
  let a = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}
