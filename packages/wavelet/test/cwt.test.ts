import { describe, it, expect } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { cwt, centralFrequency, scale2frequency, wavefun } from '../src/index';
import { convPlan } from '../src/cwt';
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
  it('both methods match a direct numpy-style reference on long signals (overlap-add plans, pairs, leftovers)', () => {
    // 5 scales (an odd number of real FFT scales leaves one unpaired), scales whose filters pair
    // with different centres, and lengths that are not multiples of any block size.
    for (const [n, scales] of [[700, [1, 3.3, 17, 60, 200]], [1500, [2, 2.5, 9, 31, 64]]] as const) {
      const x = randomSignal(n, n);
      for (const w of ['mexh', 'morl', 'gaus3', 'cmor1.5-1.0', 'cgau2']) {
        const want = referenceCwt(x, scales, w);
        for (const method of ['conv', 'fft'] as const) {
          const r = cwt(x, scales, w, { method });
          expectClose(r.re.data, want.re, 1e-10, `${w} ${method} n=${n} re`);
          if (want.im) expectClose(r.im!.data, want.im, 1e-10, `${w} ${method} n=${n} im`);
        }
      }
    }
  });
  it('chooses direct summation for short signals and filters, overlap-add FFT plans that fit otherwise', () => {
    expect(convPlan(32, 17, false)).toBe(0);
    expect(convPlan(4096, 1025, false)).toBeGreaterThan(0);
    for (const n of [5, 32, 700, 4096, 16384]) {
      for (const L of [2, 3, 17, 100, 513, 1025, 5000]) {
        const plan = convPlan(n, L, true);
        const M = Math.floor(plan / 16);
        const B = (M / 16) * (plan % 16);
        expect(Number.isInteger(Math.log2(M)), `n=${n} L=${L}`).toBe(true);
        expect(B + L, `n=${n} L=${L}: block ${B} + filter ${L} + 1 taps fit in ${M}`).toBeLessThanOrEqual(M);
      }
    }
  });
});

/**
 * pywt.cwt 1.1.1 (method='conv') written out: int_psi = cumsum(ψ)·step (conjugated), sampled at
 * ⌊k/(s·step)⌋ and reversed, np.convolve, −√s·np.diff, centred crop. O(n·L), no FFT.
 */
function referenceCwt(x: Float64Array, scales: readonly number[], w: string): { re: Float64Array; im: Float64Array | null } {
  const { x: grid, psi, psiImag } = wavefun(w, 10);
  const step = grid[1] - grid[0];
  const integrate = (f: Float64Array, sign: number) => {
    let s = 0;
    return f.map((v) => ((s += v), sign * (s * step)));
  };
  const parts = [integrate(psi, 1), psiImag ? integrate(psiImag, -1) : null];
  const n = x.length;
  const out = parts.map((p) => (p ? new Float64Array(scales.length * n) : null));
  scales.forEach((s, si) => {
    const idx: number[] = [];
    const count = Math.ceil(s * (grid[grid.length - 1] - grid[0]) + 1);
    for (let k = 0; k < count && Math.trunc(k / (s * step)) < grid.length; k++) idx.push(Math.trunc(k / (s * step)));
    parts.forEach((p, pi) => {
      if (!p) return;
      const h = idx.map((j) => p[j]).reverse();
      const conv = new Float64Array(n + h.length - 1);
      for (let i = 0; i < n; i++) for (let k = 0; k < h.length; k++) conv[i + k] += x[i] * h[k];
      const coef = Array.from({ length: conv.length - 1 }, (_, i) => -Math.sqrt(s) * (conv[i + 1] - conv[i]));
      const d = (coef.length - n) / 2;
      out[pi]!.set(coef.slice(Math.floor(d), Math.floor(d) + n), si * n);
    });
  });
  return { re: out[0]!, im: out[1] };
}

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
