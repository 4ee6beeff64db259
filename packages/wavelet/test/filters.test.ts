import { describe, it, expect } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { wavelet, discreteWavelets, dwt } from '../src/index';
import { fixture, expectClose } from './helpers';

const ref = fixture('filters.json').wavelets as Record<string, { family: string; decLen: number; first: number[]; last: number[]; sum: number[]; sumsq: number[] }>;

describe('wavelet filters', () => {
  it('lists exactly pywt.wavelist(kind="discrete"), in its order', () => {
    expect(discreteWavelets()).toEqual(Object.keys(ref));
    expect(discreteWavelets().length).toBe(106);
    expect(discreteWavelets('coif')).toHaveLength(17);
    expect(discreteWavelets('db')).toHaveLength(38);
  });

  it('every filter bank matches pywt (family, length, end taps, sums, energies)', () => {
    for (const [name, r] of Object.entries(ref)) {
      const w = wavelet(name);
      const fb = [w.decLo, w.decHi, w.recLo, w.recHi];
      expect(w.family, name).toBe(r.family);
      for (const f of fb) expect(f.length, name).toBe(r.decLen);
      expectClose(fb.map((f) => f[0]), r.first, 1e-11, `${name} first`);
      expectClose(fb.map((f) => f[f.length - 1]), r.last, 1e-11, `${name} last`);
      // Sums are ~√2 or ~0: compare absolutely against the filter scale.
      fb.forEach((f, i) => {
        expect(Math.abs(f.reduce((s, v) => s + v, 0) - r.sum[i]), `${name} sum ${i}`).toBeLessThan(1e-11);
        expect(Math.abs(f.reduce((s, v) => s + v * v, 0) - r.sumsq[i]), `${name} sumsq ${i}`).toBeLessThan(1e-11);
      });
    }
  });

  it('orthogonal filters are orthonormal under even shifts (Daubechies, symlets, coiflets)', () => {
    for (const name of ['db4', 'sym8', 'coif5', 'db38']) {
      const h = wavelet(name).decLo;
      for (let k = 0; k < h.length; k += 2) {
        let s = 0;
        for (let i = 0; i + k < h.length; i++) s += h[i] * h[i + k];
        expect(Math.abs(s - (k === 0 ? 1 : 0)), `${name} shift ${k}`).toBeLessThan(1e-12);
      }
    }
  });

  it('unknown names and malformed custom wavelets are rejected with the allowed set', () => {
    expect(() => wavelet('db0')).toThrow(InvalidParameterError);
    expect(() => wavelet('db39')).toThrow(/db1–db38/);
    expect(() => dwt([1, 2, 3], 'mexh')).toThrow(/"wavelet": "mexh"/);
    const bad = { ...wavelet('db2'), name: 'mine', recHi: new Float64Array(3) };
    expect(() => dwt([1, 2, 3], bad)).toThrow(/wavelet\.recHi/);
  });

  it('a custom Wavelet object with pywt-identical filters gives identical coefficients', () => {
    const w = wavelet('sym3');
    const custom = { name: 'custom', family: 'custom', decLo: w.decLo.slice(), decHi: w.decHi.slice(), recLo: w.recLo.slice(), recHi: w.recHi.slice() };
    const x = [3, 1, 4, 1, 5, 9, 2, 6];
    expect(dwt(x, custom)).toEqual(dwt(x, 'sym3'));
  });
});
