import { describe, it, expect } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { multiscaleAnalysis, fromRows, array2d, wavedec2 } from '../src/index';
import { fixture, expect2D, randomSignal } from './helpers';

const F = fixture('multiscale.json');

describe('multiscaleAnalysis', () => {
  it("reproduces the book's pywt.wavedec2(Z, 'haar', level=2) maps, energies and roughness (and db2 on 15×21)", () => {
    for (const c of F.cases) {
      const r = multiscaleAnalysis(c.grid, { wavelet: c.wavelet, level: c.level });
      expect2D(r.approximation, c.approximation, 1e-10, `${c.wavelet} approximation`);
      expect(r.details.map((d) => d.level)).toEqual(c.levels.map((l: any) => l.level));
      r.details.forEach((d, i) => {
        expect2D(d.magnitude, c.levels[i].magnitude, 1e-10, `${c.wavelet} magnitude ${d.level}`);
        expect(d.energy / c.levels[i].energy - 1).toBeLessThan(1e-10);
        expect(Math.abs(d.share - c.levels[i].share)).toBeLessThan(1e-11);
      });
      expect(Math.abs(r.totalEnergy / c.totalEnergy - 1)).toBeLessThan(1e-10);
      expect(Math.abs(r.approximationEnergy / c.approximationEnergy - 1)).toBeLessThan(1e-10);
      expect(Math.abs(r.roughness - c.roughness)).toBeLessThan(1e-11);
      expect(r.approximationShare + r.details.reduce((s, d) => s + d.share, 0)).toBeCloseTo(1, 12);
    }
  });

  it('haar on an even grid conserves energy (orthonormal, no boundary terms)', () => {
    const Z = array2d(20, 20, randomSignal(400, 9));
    const r = multiscaleAnalysis(Z);
    expect(r.totalEnergy / Z.data.reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 12);
  });

  it('roughness: 0 for a constant grid, invariant to offset and scale, larger for rougher surfaces', () => {
    expect(multiscaleAnalysis(array2d(16, 16, new Float64Array(256).fill(2.3))).roughness).toBe(0);
    const smooth = Array.from({ length: 32 }, (_, i) => Array.from({ length: 32 }, (_, j) => ((i - 16) ** 2 + (j - 14) ** 2) / 100));
    const noise = randomSignal(32 * 32, 4);
    const withNoise = (amp: number) => smooth.map((row, i) => row.map((v, j) => v + amp * noise[i * 32 + j]));
    const rough = withNoise(0.5);
    // A paraboloid still has haar details (haar annihilates constants only): 0.069 here.
    const [rs, rr, r2] = [0, 0.5, 2].map((amp) => multiscaleAnalysis(withNoise(amp)).roughness);
    expect(rs).toBeLessThan(0.1);
    expect(rr).toBeGreaterThan(rs);
    expect(r2).toBeGreaterThan(rr);
    const shifted = multiscaleAnalysis(rough.map((row) => row.map((v) => 3 * v + 100))).roughness;
    expect(shifted).toBeCloseTo(rr, 10);
    // White noise puts ~3/4 of its variation into level-1 details alone (haar, 2 levels: 15/16 overall).
    expect(multiscaleAnalysis(array2d(64, 64, randomSignal(4096, 8))).roughness).toBeGreaterThan(0.85);
  });

  it('accepts Array2D or nested rows, any size, and agrees with wavedec2', () => {
    const rows = Array.from({ length: 9 }, (_, i) => Array.from({ length: 14 }, (_, j) => Math.sin(i) * Math.cos(j / 3)));
    const a = multiscaleAnalysis(rows, { wavelet: 'db2', level: 1, mode: 'periodization' });
    const b = multiscaleAnalysis(fromRows(rows), { wavelet: 'db2', level: 1, mode: 'periodization' });
    expect(a).toEqual(b);
    const [cA, [H]] = wavedec2(fromRows(rows), 'db2', { level: 1, mode: 'periodization' });
    expect(a.approximation).toEqual(cA);
    expect(a.details[0].horizontal).toEqual(H);
  });

  it('rejects bad grids and levels', () => {
    expect(() => multiscaleAnalysis([[1, 2], [3]])).toThrow(/rows\[1\]\.length/);
    expect(() => multiscaleAnalysis([[1, NaN], [3, 4]])).toThrow(/NaN/);
    expect(() => multiscaleAnalysis(array2d(20, 20), { level: 0 })).toThrow(InvalidParameterError);
    expect(() => multiscaleAnalysis(array2d(20, 20), { wavelet: 'db4', level: 2 })).toThrow(/"level": 2 \(allowed: an integer 0 … 1/);
  });
});
