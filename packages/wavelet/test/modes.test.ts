import { describe, it, expect } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { dwt, idwt, MODES, type Mode } from '../src/index';
import { fixture, expectClose } from './helpers';

// Inputs are standard normal, so bands are compared relative to max(max|ref|, 1).
const F = fixture('dwt-modes.json');

describe('boundary modes (pywt 1.1.1, every mode on a subset of wavelets)', () => {
  it('lists pywt.Modes.modes', () => {
    expect([...MODES]).toEqual(['zero', 'constant', 'symmetric', 'periodic', 'smooth', 'periodization', 'reflect', 'antisymmetric', 'antireflect']);
  });

  it('dwt matches pywt for every mode, including signals shorter than the filter', () => {
    let n = 0;
    let worst = 0;
    for (const c of F.cases.filter((c: any) => c.n !== undefined)) {
      const [cA, cD] = dwt(F.x.slice(0, c.n), c.wavelet, { mode: c.mode });
      const what = `${c.wavelet} ${c.mode} n=${c.n}`;
      worst = Math.max(worst, expectClose(cA, c.cA, 1e-10, `${what} cA`, 1), expectClose(cD, c.cD, 1e-10, `${what} cD`, 1));
      n++;
    }
    expect(n).toBeGreaterThan(300);
    expect(worst).toBeLessThan(1e-10);
  });

  it('idwt matches pywt in every mode (with and without cA)', () => {
    let n = 0;
    for (const c of F.cases.filter((c: any) => c.idwt !== undefined)) {
      const m = c.idwt;
      const a = c.nullA ? null : F.src.slice(0, m);
      const rec = idwt(a, F.src.slice(32, 32 + m), c.wavelet, { mode: c.mode });
      expectClose(rec, c.rec, 1e-10, `${c.wavelet} ${c.mode} idwt${c.nullA ? ' (cA null)' : ''}`);
      n++;
    }
    expect(n).toBe(8 * 9 * 2);
  });

  it('reflect and antireflect on one sample extend it as a constant (pywt 1.1.1 never returns there)', () => {
    for (const mode of ['reflect', 'antireflect'] as Mode[]) {
      expect(dwt([3], 'db2', { mode })).toEqual(dwt([3], 'db2', { mode: 'constant' }));
    }
  });

  it('unknown modes and pywt\'s deprecated aliases are rejected, naming the allowed modes', () => {
    for (const mode of ['sym', 'per', 'Symmetric', '', 3]) {
      expect(() => dwt([1, 2, 3, 4], 'haar', { mode: mode as Mode })).toThrow(InvalidParameterError);
    }
    expect(() => dwt([1, 2], 'haar', { mode: 'sym' as Mode })).toThrow(/"mode": "sym" \(allowed: zero, constant, symmetric/);
  });
});
