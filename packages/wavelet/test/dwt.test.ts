import { describe, it, expect } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { dwt, idwt, wavedec, waverec, dwtCoeffLen, dwtMaxLevel, discreteWavelets, MODES, wavelet } from '../src/index';
import { fixture, expectClose, randomSignal } from './helpers';

const FAM = fixture('dwt-families.json');
const ML = fixture('multilevel.json');

describe('dwt / idwt against pywt, every discrete wavelet', () => {
  it('covers every family in symmetric and periodization, odd and even lengths', () => {
    const names = new Set(FAM.cases.map((c: any) => c.wavelet));
    expect([...names]).toEqual(discreteWavelets());
    let worst = 0;
    for (const c of FAM.cases) {
      const what = `${c.wavelet} ${c.mode}`;
      if (c.n !== undefined) {
        const [cA, cD] = dwt(FAM.x.slice(0, c.n), c.wavelet, { mode: c.mode });
        worst = Math.max(worst, expectClose(cA, c.cA, 1e-10, `${what} n=${c.n} cA`), expectClose(cD, c.cD, 1e-10, `${what} n=${c.n} cD`));
      } else {
        const rec = idwt(FAM.src.slice(0, c.idwt), FAM.src.slice(64, 64 + c.idwt), c.wavelet, { mode: c.mode });
        worst = Math.max(worst, expectClose(rec, c.rec, 1e-10, `${what} idwt`));
      }
    }
    expect(worst).toBeLessThan(1e-10);
  });

  it('coefficient lengths follow pywt: ⌊(n+F−1)/2⌋, ⌈n/2⌉ with periodization', () => {
    const [a] = dwt(new Float64Array(13), 'db4');
    expect(a.length).toBe(10);
    expect(dwt(new Float64Array(13), 'db4', { mode: 'periodization' })[0].length).toBe(7);
    expect(idwt(new Float64Array(10), new Float64Array(10), 'db4').length).toBe(14);
    expect(idwt(new Float64Array(7), null, 'db4', { mode: 'periodization' }).length).toBe(14);
  });
});

describe('dwtMaxLevel / dwtCoeffLen', () => {
  it('equal pywt.dwt_max_level and pywt.dwt_coeff_len for every filter length', () => {
    for (const [F, r] of Object.entries(ML.sizes) as [string, any][]) {
      expect(ML.lens.map((n: number) => dwtMaxLevel(n, Number(F))), `F=${F}`).toEqual(r.maxLevel);
      for (const mode of ['symmetric', 'periodization'] as const) {
        expect(ML.lens.map((n: number) => dwtCoeffLen(n, Number(F), mode)), `F=${F} ${mode}`).toEqual(r.coeffLen[mode]);
      }
    }
    expect(dwtMaxLevel(1000, 'db4')).toBe(dwtMaxLevel(1000, 8));
    expect(dwtCoeffLen(1000, wavelet('sym8'), 'zero')).toBe(507);
  });
  it('reject bad lengths', () => {
    expect(() => dwtMaxLevel(0, 2)).toThrow(InvalidParameterError);
    expect(() => dwtMaxLevel(10, 1)).toThrow(/filterLen/);
    expect(() => dwtCoeffLen(10, 4, 'nope' as never)).toThrow(/mode/);
  });
});

describe('wavedec / waverec against pywt', () => {
  it('decompositions match, default and explicit levels', () => {
    for (const c of ML.cases) {
      const got = wavedec(ML.x.slice(0, c.n), c.wavelet, { mode: c.mode, ...(c.level === null ? {} : { level: c.level }) });
      const what = `${c.wavelet} ${c.mode} n=${c.n} level=${c.level}`;
      expect(got.length, what).toBe(c.coeffs.length);
      got.forEach((g, i) => expectClose(g, c.coeffs[i], 1e-10, `${what} [${i}]`));
    }
  });
  it('waverec of arbitrary coefficients matches pywt (odd-length trimming included)', () => {
    for (const c of ML.cases) {
      const coeffs = c.coeffs.map((ci: number[], i: number) => ML.pool.slice(c.randomAt[i], c.randomAt[i] + ci.length));
      expectClose(waverec(coeffs, c.wavelet, { mode: c.mode }), c.rec, 1e-10, `${c.wavelet} ${c.mode} n=${c.n} level=${c.level}`);
    }
  });
  it('level 0 returns a copy of the data; null details count as zeros', () => {
    const x = [1, 2, 3, 4, 5];
    const c = wavedec(x, 'db2', { level: 0 });
    expect(c).toHaveLength(1);
    expect(Array.from(c[0])).toEqual(x);
    const full = wavedec(randomSignal(32), 'db2', { level: 2 });
    const zeroed = waverec([full[0], new Float64Array(full[1].length), null], 'db2');
    const viaNull = waverec([full[0], null, null], 'db2');
    expect(viaNull).toEqual(zeroed);
  });
});

describe('perfect reconstruction, every wavelet × every mode', () => {
  // pywt guarantees it for all wavelets except dmey (a FIR approximation of the Meyer wavelet).
  it('waverec(wavedec(x))[:n] = x to 1e-10 for odd and even lengths', () => {
    let worst = 0;
    let count = 0;
    for (const name of discreteWavelets()) {
      for (const mode of MODES) {
        for (const n of [1, 2, 33, 64]) {
          const x = randomSignal(n, n * 7 + 1);
          // At the default level; where that is 0 (short signals, long filters), one level.
          const level = dwtMaxLevel(n, wavelet(name));
          const rec = level === 0 ? idwt(...dwt(x, name, { mode }), name, { mode }) : waverec(wavedec(x, name, { mode }), name, { mode });
          const err = Math.max(...Array.from(x, (v, i) => Math.abs(rec[i] - v)));
          expect(rec.length - n, `${name} ${mode} n=${n}`).toBeLessThanOrEqual(1);
          if (name === 'dmey') expect(err).toBeLessThan(0.2);
          else {
            worst = Math.max(worst, err);
            expect(err, `${name} ${mode} n=${n}`).toBeLessThan(1e-10);
          }
          count++;
        }
      }
    }
    expect(count).toBe(106 * 9 * 4);
    expect(worst).toBeLessThan(1e-10);
  });
});

describe('input errors name the parameter, the value and what is allowed', () => {
  it('data', () => {
    expect(() => dwt([1, NaN, 3], 'haar')).toThrow(/"data\[1\]": NaN \(allowed: a finite number\)/);
    expect(() => dwt([1, Infinity], 'haar')).toThrow(InvalidParameterError);
    expect(() => dwt([], 'haar')).toThrow(/data\.length/);
    expect(() => dwt('abc' as never, 'haar')).toThrow(InvalidParameterError);
  });
  it('levels above dwtMaxLevel (pywt only warns) and negative levels', () => {
    expect(() => wavedec(new Float64Array(16), 'db2', { level: 3 })).toThrow(/"level": 3 \(allowed: an integer 0 … 2 \(dwtMaxLevel/);
    expect(() => wavedec(new Float64Array(16), 'db2', { level: -1 })).toThrow(InvalidParameterError);
    expect(() => wavedec(new Float64Array(16), 'db2', { level: 1.5 })).toThrow(InvalidParameterError);
  });
  it('coefficient shapes', () => {
    expect(() => idwt([1, 2], [1, 2, 3], 'haar')).toThrow(/cD\.length/);
    expect(() => idwt(null, null, 'haar')).toThrow(/at least one/);
    expect(() => idwt([1, 2, 3], [1, 2, 3], 'db4')).toThrow(/≥ 4 \(half the filter length\)/);
    const c = wavedec(new Float64Array(40), 'db2', { level: 2 });
    expect(() => waverec([c[0], c[1], c[2].subarray(0, 5)], 'db2')).toThrow(/coeffs\[2\]\.length/);
    expect(() => waverec([], 'db2')).toThrow(/coeffs/);
  });
});
