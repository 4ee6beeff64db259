import { InvalidParameterError } from '@descent/tensor/errors';
import type { Array2D } from './array2d';
import { toWavelet, type WaveletLike } from './filters';
import { checkMode, extensionIndex, type Mode } from './modes';
import { analysisLeft, analyze, analyzeRow, analyzeRows, coeffLen, prepare, reconLen, synthesize, type Prepared } from './kernels';
import { checkLevel, dwtMaxLevel, type DwtOptions, type WavedecOptions } from './dwt';
import { checkArray2D } from './validate';

/**
 * The three detail bands of one level, pywt's order (cH, cV, cD): cH is the detail along the
 * rows axis (horizontal edges), cV along the columns axis (vertical edges), cD both.
 */
export type Details2D = [cH: Array2D, cV: Array2D, cD: Array2D];

/** pywt.wavedec2's list: [cA_n, (cH_n, cV_n, cD_n), …, (cH_1, cV_1, cD_1)], coarsest first. */
export type Coeffs2D = [Array2D, ...Details2D[]];

/**
 * Single-level 2-D DWT, pywt.dwt2: the 1-D DWT along axis 0 (down the columns), then along
 * axis 1 (each row). Returns [cA, [cH, cV, cD]], each dwtCoeffLen(rows) × dwtCoeffLen(cols).
 */
export function dwt2(data: Array2D, wavelet: WaveletLike, options: DwtOptions = {}): [Array2D, Details2D] {
  const x = checkArray2D(data, 'data');
  const p = prepare(toWavelet(wavelet));
  const mode = checkMode(options.mode ?? 'symmetric');
  return forward(p, mode, x);
}

function forward(p: Prepared, mode: Mode, x: Array2D): [Array2D, Details2D] {
  const { rows, cols } = x;
  const { F } = p;
  const M0 = coeffLen(rows, F, mode);
  const M1 = coeffLen(cols, F, mode);
  const left = analysisLeft(F, mode);
  const slots0 = 2 * M0 + F - 2;
  const slots1 = 2 * M1 + F - 2;
  const idx0 = extensionIndex(rows, mode, left, slots0 - left - rows);
  const idx1 = extensionIndex(cols, mode, left, slots1 - left - cols);
  const bands = [new Float64Array(M0 * M1), new Float64Array(M0 * M1), new Float64Array(M0 * M1), new Float64Array(M0 * M1)];
  const [aa, ad, da, dd] = bands;
  const m = (data: Float64Array): Array2D => ({ data, rows: M0, cols: M1 });
  if (idx0 && idx1) {
    // Modes that only repeat samples: nothing is copied to extend. Axis 0 reads the boundary
    // rows straight from the matrix (a table of row offsets) and writes each output row into a
    // row of slots1 floats, leaving room for the axis-1 extension, which then only fills its
    // F − 2 edge slots per row before the row kernel runs on it in place.
    const rowOff = new Int32Array(slots0);
    for (let e = 0; e < slots0; e++) {
      const r = e - left;
      rowOff[e] = (r >= 0 && r < rows ? r : idx0[r < 0 ? e : e - rows]) * cols;
    }
    const a0 = new Float64Array(M0 * slots1);
    const d0 = new Float64Array(M0 * slots1);
    analyzeRows(p, x.data, rowOff, M0, cols, a0, d0, left, slots1);
    const right = slots1 - left - cols;
    for (const [src, lo, hi] of [
      [a0, aa, ad],
      [d0, da, dd],
    ] as const) {
      for (let r = 0; r < M0; r++) {
        const b = r * slots1;
        for (let s = 0; s < left; s++) src[b + s] = src[b + left + idx1[s]];
        for (let s = 0; s < right; s++) src[b + left + cols + s] = src[b + left + idx1[left + s]];
        analyzeRow(p, src, b, M1, lo, hi, r * M1);
      }
    }
    return [m(aa), [m(da), m(ad), m(dd)]];
  }
  // Other modes (zero, smooth, antisymmetric, antireflect): extend into scratch buffers.
  // Axis 0: rows are the elements, so the inner loops run along contiguous rows.
  const a0 = new Float64Array(M0 * cols);
  const d0 = new Float64Array(M0 * cols);
  analyze(p, mode, x.data, 0, rows, cols, a0, d0, 0, new Float64Array(slots0 * cols));
  // Axis 1: one row at a time.
  const buf = new Float64Array(slots1);
  for (let r = 0; r < M0; r++) {
    analyze(p, mode, a0, r * cols, cols, 1, aa, ad, r * M1, buf);
    analyze(p, mode, d0, r * cols, cols, 1, da, dd, r * M1, buf);
  }
  return [m(aa), [m(da), m(ad), m(dd)]];
}

/**
 * Single-level 2-D inverse, pywt.idwt2: inverse along axis 1, then axis 0. All given bands
 * share one shape; null bands count as zeros (at least one must be given).
 */
export function idwt2(
  coeffs: [Array2D | null, [Array2D | null, Array2D | null, Array2D | null]],
  wavelet: WaveletLike,
  options: DwtOptions = {},
): Array2D {
  if (!Array.isArray(coeffs) || coeffs.length !== 2 || !Array.isArray(coeffs[1]) || coeffs[1].length !== 3) {
    throw new InvalidParameterError('coeffs', coeffs, '[cA, [cH, cV, cD]] (entries may be null)');
  }
  const p = prepare(toWavelet(wavelet));
  const mode = checkMode(options.mode ?? 'symmetric');
  const [cA, [cH, cV, cD]] = coeffs;
  const names = ['coeffs[0]', 'coeffs[1][0]', 'coeffs[1][1]', 'coeffs[1][2]'];
  const bands = [cA, cH, cV, cD].map((b, i) => (b == null ? null : checkArray2D(b, names[i])));
  return inverse(p, mode, bands, names);
}

function inverse(p: Prepared, mode: Mode, bands: (Array2D | null)[], names: string[]): Array2D {
  const first = bands.findIndex((b) => b != null);
  if (first < 0) throw new InvalidParameterError('coeffs', null, 'at least one non-null band');
  const { rows: n0, cols: n1 } = bands[first]!;
  bands.forEach((b, i) => {
    if (b && (b.rows !== n0 || b.cols !== n1)) {
      throw new InvalidParameterError(`${names[i]} shape`, [b.rows, b.cols], `${n0}×${n1} (all bands share one shape)`);
    }
  });
  const L0 = reconLen(n0, p.F, mode);
  const L1 = reconLen(n1, p.F, mode);
  if (L0 < 2 || L1 < 2) {
    throw new InvalidParameterError(`${names[first]} shape`, [n0, n1], `both sides ≥ ${p.F / 2} (half the filter length) outside periodization mode`);
  }
  const [aa, da, ad, dd] = bands.map((b) => (b ? b.data : null));
  // Axis 1 (rows): (aa, ad) → a, (da, dd) → d, each n0 × L1.
  const a = aa || ad ? new Float64Array(n0 * L1) : null;
  const d = da || dd ? new Float64Array(n0 * L1) : null;
  const sA = new Float64Array(n1 + p.F);
  const sD = new Float64Array(n1 + p.F);
  for (let r = 0; r < n0; r++) {
    if (a) synthesize(p, mode, aa, ad, r * n1, n1, 1, a, r * L1, sA, sD);
    if (d) synthesize(p, mode, da, dd, r * n1, n1, 1, d, r * L1, sA, sD);
  }
  // Axis 0: rows of a and d are the elements.
  const out = new Float64Array(L0 * L1);
  const scratch = mode === 'periodization' ? (n0 + p.F) * L1 : 0;
  synthesize(p, mode, a, d, 0, n0, L1, out, 0, new Float64Array(scratch), new Float64Array(scratch));
  return { data: out, rows: L0, cols: L1 };
}

/**
 * Multilevel 2-D DWT, pywt.wavedec2. `level` defaults to the smaller dwtMaxLevel of the two
 * sides; above it the call fails (pywt warns).
 */
export function wavedec2(data: Array2D, wavelet: WaveletLike, options: WavedecOptions = {}): Coeffs2D {
  let a = checkArray2D(data, 'data');
  const p = prepare(toWavelet(wavelet));
  const mode = checkMode(options.mode ?? 'symmetric');
  const max = Math.min(dwtMaxLevel(a.rows, p.F), dwtMaxLevel(a.cols, p.F));
  const level = checkLevel(options.level, max, `a ${a.rows}×${a.cols} array and filter length ${p.F}`);
  const details: Details2D[] = [];
  for (let i = 0; i < level; i++) {
    const [cA, det] = forward(p, mode, a);
    details.push(det);
    a = cA;
  }
  if (level === 0) a = { data: a.data.slice(), rows: a.rows, cols: a.cols };
  return [a, ...details.reverse()];
}

/**
 * Multilevel 2-D inverse, pywt.waverec2. From the second level on, an approximation one row or
 * column larger than the details is trimmed, as pywt does; the result can be one row/column
 * larger than the original array. Detail bands may be null (zeros).
 */
export function waverec2(
  coeffs: readonly [Array2D | null, ...(readonly [Array2D | null, Array2D | null, Array2D | null])[]],
  wavelet: WaveletLike,
  options: DwtOptions = {},
): Array2D {
  if (!Array.isArray(coeffs) || coeffs.length < 1) throw new InvalidParameterError('coeffs', coeffs, '[cA_n, [cH_n, cV_n, cD_n], …, [cH_1, cV_1, cD_1]]');
  const p = prepare(toWavelet(wavelet));
  const mode = checkMode(options.mode ?? 'symmetric');
  let a = coeffs[0] == null ? null : checkArray2D(coeffs[0], 'coeffs[0]');
  if (coeffs.length === 1) {
    if (!a) throw new InvalidParameterError('coeffs[0]', null, 'an array when it is the only entry');
    return { data: a.data.slice(), rows: a.rows, cols: a.cols };
  }
  for (let i = 1; i < coeffs.length; i++) {
    const det = coeffs[i] as readonly (Array2D | null)[];
    if (!Array.isArray(det) || det.length !== 3) throw new InvalidParameterError(`coeffs[${i}]`, det, '[cH, cV, cD] (entries may be null)');
    const names = [`coeffs[${i}][0]`, `coeffs[${i}][1]`, `coeffs[${i}][2]`];
    const ds = det.map((b, j) => (b == null ? null : checkArray2D(b, names[j])));
    const ref = ds.find((b) => b != null);
    if (a && ref && i > 1) a = trim(a, ref, i);
    a = inverse(p, mode, [a, ...ds], [i === 1 ? 'coeffs[0]' : `approximation before coeffs[${i}]`, ...names]);
  }
  return a!;
}

/** pywt's _match_coeff_dims: drop a trailing row/column of the approximation where the details are one smaller. */
function trim(a: Array2D, d: Array2D, i: number): Array2D {
  const dr = a.rows - d.rows;
  const dc = a.cols - d.cols;
  if (dr < 0 || dr > 1 || dc < 0 || dc > 1) {
    throw new InvalidParameterError(`coeffs[${i}] shape`, [d.rows, d.cols], `${a.rows}×${a.cols} or one less per side (the approximation reconstructed so far)`);
  }
  if (dr === 0 && dc === 0) return a;
  const out = new Float64Array(d.rows * d.cols);
  for (let r = 0; r < d.rows; r++) out.set(a.data.subarray(r * a.cols, r * a.cols + d.cols), r * d.cols);
  return { data: out, rows: d.rows, cols: d.cols };
}
