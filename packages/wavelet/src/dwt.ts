import { InvalidParameterError } from '@descent/tensor/errors';
import { toWavelet, type WaveletLike } from './filters';
import { checkMode, type Mode } from './modes';
import { analyze, coeffLen, prepare, reconLen, synthesize } from './kernels';
import { toSignal } from './validate';

/** Options of the 1-D and 2-D transforms. */
export interface DwtOptions {
  /** Signal extension mode (default 'symmetric', as pywt). */
  mode?: Mode;
}

/** Options of the multilevel decompositions. */
export interface WavedecOptions extends DwtOptions {
  /** Number of levels, 0 … dwtMaxLevel (default: dwtMaxLevel). */
  level?: number;
}

/**
 * Single-level 1-D DWT, pywt.dwt: returns [cA, cD], each of length
 * dwtCoeffLen(data.length, wavelet, mode) — ⌊(n + F − 1)/2⌋, or ⌈n/2⌉ with periodization.
 */
export function dwt(data: ArrayLike<number>, wavelet: WaveletLike, options: DwtOptions = {}): [Float64Array, Float64Array] {
  const x = toSignal(data, 'data');
  const p = prepare(toWavelet(wavelet));
  const mode = checkMode(options.mode ?? 'symmetric');
  const M = coeffLen(x.length, p.F, mode);
  const cA = new Float64Array(M);
  const cD = new Float64Array(M);
  analyze(p, mode, x, 0, x.length, 1, cA, cD, 0, new Float64Array(2 * M + p.F - 2));
  return [cA, cD];
}

/**
 * Single-level 1-D inverse DWT, pywt.idwt. cA and cD have one length n (either may be null:
 * zeros); the output has 2n − F + 2 samples (2n with periodization), so n ≥ F/2.
 */
export function idwt(
  cA: ArrayLike<number> | null,
  cD: ArrayLike<number> | null,
  wavelet: WaveletLike,
  options: DwtOptions = {},
): Float64Array {
  const p = prepare(toWavelet(wavelet));
  const mode = checkMode(options.mode ?? 'symmetric');
  if (cA == null && cD == null) throw new InvalidParameterError('cA, cD', null, 'at least one coefficient array');
  const a = cA == null ? null : toSignal(cA, 'cA');
  const d = cD == null ? null : toSignal(cD, 'cD');
  if (a && d && a.length !== d.length) throw new InvalidParameterError('cD.length', d.length, `${a.length} (the length of cA)`);
  const n = (a ?? d)!.length;
  return idwtChecked(p, mode, a, d, n, 'cA');
}

function idwtChecked(p: ReturnType<typeof prepare>, mode: Mode, a: Float64Array | null, d: Float64Array | null, n: number, parameter: string): Float64Array {
  const L = reconLen(n, p.F, mode);
  if (L < 2) throw new InvalidParameterError(`${parameter}.length`, n, `≥ ${p.F / 2} (half the filter length) outside periodization mode`);
  const out = new Float64Array(L);
  const scratch = mode === 'periodization' ? n + p.F : 0;
  synthesize(p, mode, a, d, 0, n, 1, out, 0, new Float64Array(scratch), new Float64Array(scratch));
  return out;
}

/** pywt.dwt_coeff_len: coefficients per band of a one-level DWT of `dataLen` samples. */
export function dwtCoeffLen(dataLen: number, filter: number | WaveletLike, mode: Mode): number {
  if (!Number.isInteger(dataLen) || dataLen < 1) throw new InvalidParameterError('dataLen', dataLen, 'an integer ≥ 1');
  return coeffLen(dataLen, filterLen(filter, 1), checkMode(mode));
}

/**
 * pywt.dwt_max_level: the deepest level at which the coefficients are still at least as long
 * as the filter would need without boundary effects, ⌊log2(⌊dataLen / (F − 1)⌋)⌋ (0 when
 * dataLen < F − 1).
 */
export function dwtMaxLevel(dataLen: number, filter: number | WaveletLike): number {
  if (!Number.isInteger(dataLen) || dataLen < 1) throw new InvalidParameterError('dataLen', dataLen, 'an integer ≥ 1');
  const F = filterLen(filter, 2);
  if (dataLen < F - 1) return 0;
  return Math.floor(Math.log2(Math.floor(dataLen / (F - 1))));
}

function filterLen(filter: number | WaveletLike, min: number): number {
  if (typeof filter === 'number') {
    if (!Number.isInteger(filter) || filter < min) throw new InvalidParameterError('filterLen', filter, `an integer ≥ ${min}, or a wavelet`);
    return filter;
  }
  return toWavelet(filter).decLo.length;
}

/** Checks a requested level against dwtMaxLevel; pywt only warns above it, Descent refuses. */
export function checkLevel(level: unknown, maxLevel: number, what: string): number {
  if (level === undefined) return maxLevel;
  if (typeof level !== 'number' || !Number.isInteger(level) || level < 0 || level > maxLevel) {
    throw new InvalidParameterError('level', level, `an integer 0 … ${maxLevel} (dwtMaxLevel for ${what}; deeper levels are all boundary effect)`);
  }
  return level;
}

/**
 * Multilevel 1-D DWT, pywt.wavedec: [cA_n, cD_n, cD_(n−1), …, cD_1] (coarsest first).
 * `level` defaults to dwtMaxLevel(data.length, wavelet); above it the call fails (pywt warns).
 */
export function wavedec(data: ArrayLike<number>, wavelet: WaveletLike, options: WavedecOptions = {}): Float64Array[] {
  let a = toSignal(data, 'data');
  const w = toWavelet(wavelet);
  const p = prepare(w);
  const mode = checkMode(options.mode ?? 'symmetric');
  const level = checkLevel(options.level, dwtMaxLevel(a.length, p.F), `${a.length} samples and filter length ${p.F}`);
  const out: Float64Array[] = [];
  for (let i = 0; i < level; i++) {
    const M = coeffLen(a.length, p.F, mode);
    const cA = new Float64Array(M);
    const cD = new Float64Array(M);
    analyze(p, mode, a, 0, a.length, 1, cA, cD, 0, new Float64Array(2 * M + p.F - 2));
    out.push(cD);
    a = cA;
  }
  out.push(level === 0 ? a.slice() : a);
  return out.reverse();
}

/**
 * Multilevel 1-D inverse, pywt.waverec. Where an approximation is one longer than the next
 * detail (odd lengths), its last sample is dropped, as pywt does; the result can therefore be
 * one sample longer than the original signal (compare the first n samples). Details may be
 * null (zeros).
 */
export function waverec(coeffs: readonly (ArrayLike<number> | null)[], wavelet: WaveletLike, options: DwtOptions = {}): Float64Array {
  if (!Array.isArray(coeffs) || coeffs.length < 1) throw new InvalidParameterError('coeffs', coeffs, 'a list [cA_n, cD_n, …, cD_1] of at least one array');
  const p = prepare(toWavelet(wavelet));
  const mode = checkMode(options.mode ?? 'symmetric');
  let a = coeffs[0] == null ? null : toSignal(coeffs[0], 'coeffs[0]');
  if (coeffs.length === 1) {
    if (!a) throw new InvalidParameterError('coeffs[0]', null, 'an array when it is the only entry');
    return a.slice();
  }
  for (let i = 1; i < coeffs.length; i++) {
    const d = coeffs[i] == null ? null : toSignal(coeffs[i], `coeffs[${i}]`);
    if (a && d) {
      if (a.length === d.length + 1) a = a.subarray(0, d.length);
      else if (a.length !== d.length) {
        throw new InvalidParameterError(`coeffs[${i}].length`, d.length, `${a.length} or ${a.length - 1} (the approximation reconstructed so far has ${a.length})`);
      }
    }
    if (!a && !d) throw new InvalidParameterError(`coeffs[${i}]`, null, 'an array (the approximation and this detail cannot both be null)');
    a = idwtChecked(p, mode, a, d, (a ?? d)!.length, `coeffs[${i}]`);
  }
  return a!;
}
