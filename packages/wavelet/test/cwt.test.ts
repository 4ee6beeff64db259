import { describe, it, expect } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { cwt, centralFrequency, scale2frequency, wavefun } from '../src/index';
import { fixture, expectClose, randomSignal } from './helpers';

const F = fixture('cwt.json');

describe('cwt against pywt.cwt 1.1.1 (method="conv")', () => {
  it('covers every continuous family pywt lists', () => {
    const fams = new Set(F.cases.map((c: any) => c.wavelet.replace(/[\d.-]+$/, '')));
    expect([...fams].sort()).toEqual(['cgau', 'cmor', 'fbsp', 'gaus', 'mexh', 'morl', 'shan']);
  });
  for (const method of ['conv', 'fft'] as const) {
    it(`method '${method}' reproduces pywt's conv coefficients and frequencies`, () => {
      let worst = 0;
      for (const c of F.cases) {
        const r = cwt(F.x, F.scales, c.wavelet, { method, samplingPeriod: F.samplingPeriod });
        expect([r.re.rows, r.re.cols]).toEqual([F.scales.length, F.x.length]);
        // Each scale (row) against its own magnitude: rows differ by orders of magnitude. The
        // floor 1e-6 covers rows that are rounding residue in pywt too (even gaus/cgau at scale
        // 0.2 sample only the tails of ∫ψ, whose total is ~1e-8 instead of 0).
        c.re.forEach((row: number[], i: number) => {
          worst = Math.max(worst, expectClose(r.re.data.subarray(i * F.x.length, (i + 1) * F.x.length), row, 1e-9, `${c.wavelet} re scale ${F.scales[i]}`, 1e-6));
        });
        if (c.complex) {
          expect(r.im).not.toBeNull();
          c.im.forEach((row: number[], i: number) => {
            worst = Math.max(worst, expectClose(r.im!.data.subarray(i * F.x.length, (i + 1) * F.x.length), row, 1e-9, `${c.wavelet} im scale ${F.scales[i]}`, 1e-6));
          });
        } else expect(r.im).toBeNull();
        expectClose(r.frequencies, c.frequencies, 1e-11, `${c.wavelet} frequencies`);
      }
      expect(worst).toBeLessThan(1e-9);
    });
  }
  it('conv and fft agree on a long signal with large scales', () => {
    const x = randomSignal(700, 5);
    const scales = [1, 3.3, 17, 60];
    for (const w of ['mexh', 'cmor1.5-1.0']) {
      const a = cwt(x, scales, w);
      const b = cwt(x, scales, w, { method: 'fft' });
      expectClose(b.re.data, a.re.data, 1e-10, `${w} re`);
      if (a.im) expectClose(b.im!.data, a.im.data, 1e-10, `${w} im`);
    }
  });
});

describe('wavefun, centralFrequency, scale2frequency', () => {
  it('wavefun(4) samples ψ exactly where pywt does', () => {
    for (const c of F.cases) {
      const { x, psi, psiImag } = wavefun(c.wavelet, 4);
      expect([x[0], x[x.length - 1]]).toEqual(c.bounds);
      expectClose(x, c.wavefun4.x, 1e-11, `${c.wavelet} x`); // 12 stored digits of values up to 20
      // Floor 0.1 (ψ peaks at 0.1–1.3): on this 16-point grid shan1.5-1.0 is sampled at the zeros
      // of its sinc, where pywt's values and ours are both ~1e-16 residue.
      expectClose(psi, c.wavefun4.re, 1e-11, `${c.wavelet} ψ re`, 0.1);
      if (c.wavefun4.im) expectClose(psiImag!, c.wavefun4.im, 1e-11, `${c.wavelet} ψ im`, 0.1);
      else expect(psiImag).toBeNull();
    }
  });
  it('central frequencies at precision 8 and 10 match pywt', () => {
    for (const c of F.cases) {
      expect(centralFrequency(c.wavelet), c.wavelet).toBeCloseTo(c.central8, 11);
      expect(centralFrequency(c.wavelet, 10), c.wavelet).toBeCloseTo(c.central10, 11);
    }
    expect(scale2frequency('mexh', 4)).toBeCloseTo(centralFrequency('mexh') / 4, 15);
    expect(Array.from(scale2frequency('morl', [1, 2]))).toEqual([centralFrequency('morl'), centralFrequency('morl') / 2]);
  });
});

describe('cwt input errors', () => {
  it('names the parameter, the value and what is allowed', () => {
    expect(() => cwt([1, 2, 3], [1], 'db2')).toThrow(/"wavelet": "db2" \(allowed: gaus1–gaus8, mexh/);
    expect(() => cwt([1, 2, 3], [1], 'cmor1.5')).toThrow(InvalidParameterError);
    expect(() => cwt([1, 2, 3], [1], 'gaus9')).toThrow(InvalidParameterError);
    expect(() => cwt([1, 2, 3], [0], 'mexh')).toThrow(/"scales\[0\]": 0/);
    expect(() => cwt([1, 2, 3], [-2], 'mexh')).toThrow(InvalidParameterError);
    expect(() => cwt([1, 2, 3], [0.05], 'mexh')).toThrow(/scales\[0\].*≥ 2 points/); // pywt: "scale too small"
    expect(() => cwt([1, NaN], [1], 'mexh')).toThrow(/"data\[1\]": NaN/);
    expect(() => cwt([1, 2], [1], 'mexh', { method: 'auto' as never })).toThrow(/"method"/);
    expect(() => cwt([1, 2], [1], 'mexh', { samplingPeriod: 0 })).toThrow(/samplingPeriod/);
    expect(() => wavefun('morl', 0)).toThrow(/precision/);
  });
});
