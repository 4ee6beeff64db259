import { describe, it, expect } from 'vitest';
import { fitInvertedGaussian, invertedGaussian, type GaussianParams } from '@descent/landscape';
import { fixture } from './helpers';

type Fit = { params: number[]; rss: number };
const ref = fixture<{ truth: Record<string, GaussianParams>; cases: Array<{ name: string; x: number[]; y: number[]; z: number[]; fixed: Fit; free: Fit }> }>('gaussian.json');
const KEYS = ['A', 'x0', 'y0', 'sigma1', 'sigma2', 'offset'] as const;
const asArray = (p: GaussianParams) => KEYS.map((k) => p[k]);
const normalised = (p: number[]) => p.map((v, i) => (i === 3 || i === 4 ? Math.abs(v) : v));

describe('Gaussian well fit (Levenberg-Marquardt)', () => {
  it('recovers known parameters from a noise-free grid', () => {
    const truth: GaussianParams = { A: 3, x0: 0.2, y0: -0.1, sigma1: 0.3, sigma2: 0.5, offset: 3 };
    const x = Array.from({ length: 25 }, (_, i) => -1 + (2 * i) / 24);
    const f = invertedGaussian(truth);
    const z = x.flatMap((yv) => x.map((xv) => f(xv, yv)));
    const fit = fitInvertedGaussian(x, x, z, { offset: 'free' });
    asArray(fit.params).forEach((v, i) => expect(v).toBeCloseTo(asArray(truth)[i], 4));
    expect(fit.r2).toBeGreaterThan(0.999999);
  });
  for (const c of ref.cases) {
    it(`${c.name}: the book's fit (offset = max z, from all-ones) equals scipy's curve_fit`, () => {
      const fit = fitInvertedGaussian(c.x, c.y, c.z);
      expect(fit.offset).toBe('max');
      const ours = asArray(fit.params);
      normalised(c.fixed.params).forEach((v, i) => expect(Math.abs(ours[i] - v)).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
      expect(fit.rss).toBeLessThanOrEqual(c.fixed.rss * (1 + 1e-6));
    });
    it(`${c.name}: the free-offset fit equals scipy's from the same start`, () => {
      const fit = fitInvertedGaussian(c.x, c.y, c.z, { offset: 'free' });
      const ours = asArray(fit.params);
      normalised(c.free.params).forEach((v, i) => expect(Math.abs(ours[i] - v)).toBeLessThan(1e-3 * Math.max(1, Math.abs(v))));
      expect(fit.rss).toBeLessThanOrEqual(c.free.rss * (1 + 1e-6));
    });
  }
  it('on the synthetic grids with known parameters, the fits land near the truth', () => {
    const plateau = ref.cases.find((c) => c.name === 'plateau')!;
    const fixed = fitInvertedGaussian(plateau.x, plateau.y, plateau.z).params;
    const t = ref.truth.plateau;
    expect(fixed.A).toBeCloseTo(t.A, 0);
    expect(fixed.sigma1).toBeCloseTo(t.sigma1, 2);
    const book = ref.cases.find((c) => c.name === 'gaussian')!;
    const free = fitInvertedGaussian(book.x, book.y, book.z, { offset: 'free' }).params;
    const g = ref.truth.gaussian;
    expect(Math.abs(free.A - g.A) / g.A).toBeLessThan(0.01);
    expect(Math.abs(free.sigma1 - g.sigma1)).toBeLessThan(0.01);
    expect(Math.abs(free.sigma2 - g.sigma2)).toBeLessThan(0.01);
  });
  it('validates the grid and options', () => {
    expect(() => fitInvertedGaussian([0, 1], [0, 1], [1, 2, 3])).toThrow(/z\.length/);
    expect(() => fitInvertedGaussian([0, 1], [0, 1], [1, 2, 3, NaN])).toThrow(/z\[3\]/);
    expect(() => fitInvertedGaussian([0, 1], [0, 1], [1, 2, 3, 4], { offset: 'min' as never })).toThrow(/offset/);
  });
});
