import { describe, it, expect } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { bettiCurve, cubicalPersistence, persistenceEntropy, persistenceImage, totalPersistence, type Interval } from '../src/index';
import { linspace } from '../src/summaries';
import { fixture, generate } from './golden';

interface ImageCase {
  bandwidth: number;
  resolution: [number, number];
  range: [number, number, number, number];
  maxPersistence: number;
  sample: number[];
  integrate: number[];
}
interface SummaryCase {
  diagram: Interval[];
  entropy: number;
  totalPersistence: Record<string, number>;
  bettiGrid: number[];
  betti: number[];
  images: ImageCase[];
}
const golden = fixture<{ gudhi: string; cases: SummaryCase[] }>('summaries.json');

/** Largest difference relative to the largest entry: images sum many terms in another order than numpy. */
function maxRelativeError(got: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  let err = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    err = Math.max(err, Math.abs(got[i] - expected[i]));
  }
  return err / (scale || 1);
}

describe(`summaries match gudhi.representations ${golden.gudhi}`, () => {
  golden.cases.forEach((c, k) => {
    it(`case ${k} (${c.diagram.length} points): entropy, total persistence, Betti curve`, () => {
      expect(persistenceEntropy(c.diagram)).toBeCloseTo(c.entropy, 13);
      expect(totalPersistence(c.diagram)).toBeCloseTo(c.totalPersistence['1'], 12);
      expect(totalPersistence(c.diagram, { order: 2 })).toBeCloseTo(c.totalPersistence['2'], 12);
      const curve = bettiCurve(c.diagram, { grid: c.bettiGrid });
      expect(Array.from(curve.values)).toEqual(c.betti); // counts: exact
    });
    for (const img of c.images) {
      it(`case ${k}: persistence image ${img.resolution.join('x')}, bandwidth ${img.bandwidth}`, () => {
        const opts = { bandwidth: img.bandwidth, resolution: img.resolution, range: img.range, maxPersistence: img.maxPersistence } as const;
        const sample = persistenceImage(c.diagram, { ...opts, mode: 'sample' });
        expect([sample.width, sample.height]).toEqual(img.resolution);
        expect(maxRelativeError(sample.data, img.sample)).toBeLessThan(1e-13);
        // Adams et al.'s pixel integrals against scipy.special.erf
        const integ = persistenceImage(c.diagram, opts);
        expect(maxRelativeError(integ.data, img.integrate)).toBeLessThan(1e-13);
      });
    }
  });

});

describe('summary behaviour', () => {
  const d = cubicalPersistence(generate({ shape: [20, 20], kind: 'uniform', seed: 8 }));

  it('select one dimension of a cubicalPersistence result and leave essential points out of sums', () => {
    const h0 = d.filter((p) => p.dimension === 0 && p.death !== Infinity);
    expect(totalPersistence(d, { dimension: 0 })).toBeCloseTo(h0.reduce((s, p) => s + p.death - p.birth, 0), 12);
    expect(persistenceEntropy([[0, 1], [0, 1]])).toBeCloseTo(Math.log(2), 15);
    expect(persistenceEntropy([[0, 1], [2, 2], [0, Infinity]])).toBe(0);
    expect(persistenceEntropy([])).toBe(0);
  });

  it('Betti curve counts the essential class and uses numpy.linspace grids', () => {
    const curve = bettiCurve(d, { dimension: 0, range: [0, 1], resolution: 11 });
    expect(Array.from(curve.grid)).toEqual(Array.from(linspace(0, 1, 11)));
    expect(curve.values[10]).toBe(1); // above every death only the essential class is alive
    expect(Array.from(bettiCurve([[0, 2], [1, Infinity]], { grid: [-1, 0, 1, 2, 3] }).values)).toEqual([0, 1, 2, 1, 1]);
    expect(Array.from(linspace(0, 1, 3))).toEqual([0, 0.5, 1]);
  });

  it('integrated persistence images hold the weighted gaussian mass', () => {
    // one point far inside a wide range: the image sums to its weight
    const img = persistenceImage([[5, 7]], { range: [-10, 20, -10, 20], resolution: [30, 30], bandwidth: 0.5, weight: 'constant' });
    expect(img.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const lin = persistenceImage([[0, 1], [0, 4]], { range: [-10, 10, -10, 14], resolution: [10, 12], bandwidth: 0.3 });
    expect(lin.data.reduce((a, b) => a + b, 0)).toBeCloseTo(0.25 + 1, 12);
    const custom = persistenceImage([[0, 2]], { range: [-10, 10, -10, 14], resolution: [5, 5], weight: (_b, p) => p * 10 });
    expect(custom.data.reduce((a, b) => a + b, 0)).toBeCloseTo(20, 10);
  });

  it('handle diagrams of a large grid (hundreds of thousands of points)', () => {
    const big: Array<[number, number]> = Array.from({ length: 300_000 }, (_, i) => [i / 300_000, i / 300_000 + ((i * 7919) % 1000) / 1000]);
    // default ranges are found by loops: Math.min(...points) would overflow the call stack here
    const maxDeath = big.reduce((m, [, d]) => Math.max(m, d), -Infinity);
    const curve = bettiCurve(big, { resolution: 5 });
    expect([curve.grid[0], curve.grid[4]]).toEqual([0, maxDeath]);
    expect([curve.values[0], curve.values[4]]).toEqual([0, 0]); // nothing is alive at either end
    expect(curve.values[2]).toBeGreaterThan(0);
    expect(persistenceImage(big, { resolution: [4, 4], bandwidth: 0.1 }).data.every((x) => x > 0)).toBe(true);
  });

  it('reject bad parameters with the parameter named', () => {
    expect(() => persistenceImage(d, { dimension: 1, bandwidth: 0 })).toThrow(InvalidParameterError);
    expect(() => persistenceImage(d, { dimension: 1, bandwidth: 0 })).toThrow(/"bandwidth": 0/);
    expect(() => persistenceImage(d, { dimension: 1, resolution: [0, 3] })).toThrow(/resolution/);
    expect(() => persistenceImage(d, { dimension: 1, range: [1, 0, 0, 1] })).toThrow(/range/);
    expect(() => persistenceImage(d, { dimension: 1, mode: 'smooth' as never })).toThrow(/mode/);
    expect(() => totalPersistence(d, { dimension: 1, order: -1 })).toThrow(/order/);
    expect(() => bettiCurve(d, { dimension: 0, resolution: 0 })).toThrow(/resolution/);
    expect(() => bettiCurve(d)).toThrow(/mixes dimensions/);
  });
});
