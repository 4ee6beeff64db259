import { describe, it, expect } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { dwt2, idwt2, wavedec2, waverec2, dwt, dwtMaxLevel, wavelet, array2d, MODES, type Array2D, type Coeffs2D } from '../src/index';
import { fixture, expect2D, randomSignal } from './helpers';

const F = fixture('dwt2.json');
const take = (at: number, rows: number, cols: number): Array2D => array2d(rows, cols, F.pool.slice(at, at + rows * cols));
const shapeOf = (m: number[][]): [number, number] => [m.length, m[0].length];

describe('dwt2 / idwt2 against pywt (odd × even shapes, six modes)', () => {
  it('dwt2 bands [cA, [cH, cV, cD]] match pywt.dwt2', () => {
    for (const c of F.cases) {
      const [cA, [cH, cV, cD]] = dwt2(take(c.xAt, c.shape[0], c.shape[1]), c.wavelet, { mode: c.mode });
      const what = `${c.wavelet} ${c.mode} ${c.shape}`;
      [cA, cH, cV, cD].forEach((b, i) => expect2D(b, c.bands[i], 1e-10, `${what} band ${i}`, 1));
    }
    expect(F.cases.length).toBeGreaterThan(80);
  });

  it('idwt2 of arbitrary bands matches pywt.idwt2', () => {
    let n = 0;
    for (const c of F.cases.filter((c: any) => c.rec)) {
      const [r, k] = shapeOf(c.bands[0]);
      const [a, h, v, d] = c.randomAt.map((at: number) => take(at, r, k));
      expect2D(idwt2([a, [h, v, d]], c.wavelet, { mode: c.mode }), c.rec, 1e-10, `${c.wavelet} ${c.mode} ${c.shape}`);
      n++;
    }
    expect(n).toBeGreaterThan(40);
  });

  it('is the 1-D DWT down every column, then along every row (cH = da, cV = ad, cD = dd), in every mode', () => {
    // The 2-D path has its own kernels for the modes that only repeat samples; the 1-D DWT is
    // checked against pywt in every mode, so this pins both 2-D paths to it, including filters
    // longer than the array (the extension wraps more than once).
    for (const [R, C, w] of [[7, 6, 'db3'], [9, 12, 'haar'], [5, 3, 'sym8'], [4, 11, 'coif1']] as const) {
      const x = array2d(R, C, randomSignal(R * C, 3));
      for (const mode of MODES) {
        const cols = Array.from({ length: C }, (_, k) => dwt(Array.from({ length: R }, (_, r) => x.data[r * C + k]), w, { mode }));
        const M0 = cols[0][0].length;
        const rowsOf = (band: 0 | 1) => Array.from({ length: M0 }, (_, r) => dwt(cols.map((cc) => cc[band][r]), w, { mode }));
        const [A, D] = [rowsOf(0), rowsOf(1)];
        const [cA, [cH, cV, cD]] = dwt2(x, w, { mode });
        const want = [A.map((r) => r[0]), D.map((r) => r[0]), A.map((r) => r[1]), D.map((r) => r[1])];
        [cA, cH, cV, cD].forEach((b, i) => expect2D(b, want[i].map((r) => Array.from(r)), 1e-13, `${w} ${mode} ${R}×${C} band ${i}`, 1));
      }
    }
  });
});

describe('wavedec2 / waverec2 against pywt', () => {
  const coeffsOf = (c: any): Coeffs2D => {
    const [a, ...det] = c.coeffs;
    const [r, k] = shapeOf(a);
    return [
      take(c.randomAt[0], r, k),
      ...det.map((bands: number[][][], i: number) => bands.map((b, j) => take(c.randomAt[i + 1][j], b.length, b[0].length)) as [Array2D, Array2D, Array2D]),
    ];
  };
  it('multilevel coefficients match (including the book\'s 20×20 haar level 2)', () => {
    for (const c of F.multilevel) {
      const x = take(c.xAt, c.shape[0], c.shape[1]);
      const got = wavedec2(x, c.wavelet, { mode: c.mode, ...(c.level === null ? {} : { level: c.level }) });
      const what = `${c.wavelet} ${c.mode} ${c.shape} level ${c.level}`;
      expect(got.length, what).toBe(c.coeffs.length);
      expect2D(got[0] as Array2D, c.coeffs[0], 1e-10, `${what} cA`);
      for (let i = 1; i < got.length; i++) (got[i] as Array2D[]).forEach((b, j) => expect2D(b, c.coeffs[i][j], 1e-10, `${what} [${i}][${j}]`, 1));
    }
  });
  it('waverec2 of arbitrary coefficients matches pywt (trimming of odd sizes included)', () => {
    for (const c of F.multilevel) expect2D(waverec2(coeffsOf(c), c.wavelet, { mode: c.mode }), c.rec, 1e-10, `${c.wavelet} ${c.mode} ${c.shape}`);
  });
  it('perfect reconstruction for every mode on an odd × even grid', () => {
    for (const mode of MODES) {
      for (const w of ['haar', 'db3', 'sym5', 'bior3.7', 'coif2']) {
        const x = array2d(37, 50, randomSignal(37 * 50, 11));
        const rec = waverec2(wavedec2(x, w, { mode, level: Math.min(2, dwtMaxLevel(37, wavelet(w))) }), w, { mode });
        let err = 0;
        for (let r = 0; r < 37; r++) for (let k = 0; k < 50; k++) err = Math.max(err, Math.abs(rec.data[r * rec.cols + k] - x.data[r * 50 + k]));
        expect(err, `${w} ${mode}`).toBeLessThan(1e-10);
      }
    }
  });
});

describe('2-D input errors', () => {
  it('shape, finiteness, band mismatch, level', () => {
    expect(() => dwt2({ data: new Float64Array(5), rows: 2, cols: 3 }, 'haar')).toThrow(/data\.data\.length/);
    expect(() => dwt2({ data: new Float64Array([1, NaN, 3, 4]), rows: 2, cols: 2 }, 'haar')).toThrow(/"data\.data\[1\]": NaN/);
    expect(() => dwt2([[1, 2]] as never, 'haar')).toThrow(InvalidParameterError);
    const [a, [h, v, d]] = dwt2(array2d(8, 8, randomSignal(64)), 'db2');
    const small = array2d(a.rows - 1, a.cols);
    expect(() => idwt2([a, [h, small, d]], 'db2')).toThrow(/coeffs\[1\]\[1\] shape/);
    expect(() => idwt2([null, [null, null, null]], 'db2')).toThrow(/at least one/);
    expect(() => wavedec2(array2d(20, 7), 'db2', { level: 2 })).toThrow(/"level": 2 \(allowed: an integer 0 … 1/);
  });
  it('null bands count as zeros', () => {
    const [a, [h, v, d]] = dwt2(array2d(9, 6, randomSignal(54)), 'sym3');
    const z = array2d(a.rows, a.cols);
    expect(idwt2([a, [null, v, null]], 'sym3')).toEqual(idwt2([a, [z, v, z]], 'sym3'));
    expect(h.rows).toBe(a.rows);
    expect(d.cols).toBe(a.cols);
  });
});
