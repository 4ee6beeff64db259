import { describe, it, expect } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { cubicalPersistence, persistenceIntervals, type PersistencePair } from '../src/index';
import { canonical, decode, fixture, generate, type GenSpec } from './golden';

interface CubicalCase {
  name: string;
  filtration: 'top-cells' | 'vertices';
  scale: number;
  shape?: number[];
  data?: Array<number | null>;
  gen?: GenSpec;
  pairs: Array<[number, number | string | null, number | string | null]>;
  zero?: Array<[number, number, number]>;
}

const golden = fixture<{ gudhi: string; cases: CubicalCase[] }>('cubical.json');

export function gridOf(c: CubicalCase): { data: Float64Array; shape: number[] } {
  if (c.gen) return generate(c.gen);
  return { data: Float64Array.from(c.data!, (v) => (v === null ? Infinity : v)), shape: c.shape! };
}

const triples = (d: readonly PersistencePair[]): Array<[number, number, number]> => canonical(d.map((p) => [p.dimension, p.birth, p.death]));

describe(`cubicalPersistence matches GUDHI ${golden.gudhi}`, () => {
  for (const c of golden.cases) {
    const label = `${c.name} (${c.filtration}${c.gen ? `, ${c.gen.shape.join('x')}` : ''})`;
    it(label, () => {
      const grid = gridOf(c);
      const diagram = cubicalPersistence(grid, { filtration: c.filtration, locations: true });
      const expected = canonical(c.pairs.map(([d, b, e]) => [d, decode(b, c.scale), decode(e, c.scale)]));
      // Births and deaths are grid values, so they must agree bit for bit.
      expect(triples(diagram)).toEqual(expected);
      // Every pair points at cells carrying its values.
      for (const p of diagram) {
        expect(grid.data[p.birthIndex!]).toBe(p.birth);
        if (p.death === Infinity) expect(p.deathIndex).toBe(-1);
        else expect(grid.data[p.deathIndex!]).toBe(p.death);
      }
    });
    if (c.zero) {
      it(`${label}: zero-length pairs as GUDHI min_persistence=-1`, () => {
        const all = cubicalPersistence(gridOf(c), { filtration: c.filtration, keepZeroLength: true });
        const counts = new Map<string, number>();
        for (const p of all) if (p.birth === p.death) counts.set(`${p.dimension}:${p.birth}`, (counts.get(`${p.dimension}:${p.birth}`) ?? 0) + 1);
        const expected = new Map(c.zero!.map(([d, v, n]) => [`${d}:${decode(v, c.scale)}`, n]));
        expect(counts).toEqual(expected);
        expect(all.length - [...counts.values()].reduce((a, b) => a + b, 0)).toBe(c.pairs.length);
      });
    }
  }
});

describe('cubicalPersistence behaviour', () => {
  it('sorts like GUDHI: dimension descending, then persistence descending', () => {
    const d = cubicalPersistence([[0, 5, 1], [5, 9, 5], [2, 5, 0.5]]);
    expect(d.map((p) => [p.dimension, p.birth, p.death])).toEqual([
      [1, 5, 9],
      [0, 0, Infinity],
      [0, 0.5, 5],
      [0, 1, 5],
      [0, 2, 5],
    ]);
  });

  it('is invariant under transposition and mirroring of the grid', () => {
    const { data, shape } = generate({ shape: [23, 17], kind: 'int', seed: 3, bits: 3 });
    const [h, w] = shape;
    const t = new Float64Array(h * w);
    const m = new Float64Array(h * w);
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        t[j * h + i] = data[i * w + j];
        m[i * w + (w - 1 - j)] = data[i * w + j];
      }
    }
    for (const filtration of ['top-cells', 'vertices'] as const) {
      const base = triples(cubicalPersistence({ data, shape }, { filtration }));
      expect(triples(cubicalPersistence({ data: t, shape: [w, h] }, { filtration }))).toEqual(base);
      expect(triples(cubicalPersistence({ data: m, shape }, { filtration }))).toEqual(base);
    }
  });

  it('shifts with the values', () => {
    const { data, shape } = generate({ shape: [12, 13], kind: 'uniform', seed: 9 });
    const base = cubicalPersistence({ data, shape });
    const shifted = cubicalPersistence({ data: data.map((v) => v + 2), shape });
    expect(shifted.map((p) => [p.dimension, p.birth, p.death])).toEqual(base.map((p) => [p.dimension, p.birth + 2, p.death + 2]));
  });

  it('reads nested arrays, flat arrays with a shape, and 1-D signals alike', () => {
    const nested = [
      [3, 1, 4],
      [1, 5, 9],
    ];
    expect(cubicalPersistence(nested)).toEqual(cubicalPersistence({ data: [3, 1, 4, 1, 5, 9], shape: [2, 3] }));
    expect(cubicalPersistence([3, 1, 4, 1, 5])).toEqual(cubicalPersistence([[3, 1, 4, 1, 5]]));
  });

  it('selects dimensions and applies minPersistence like GUDHI', () => {
    const { data, shape } = generate({ shape: [30, 30], kind: 'uniform', seed: 4 });
    const all = cubicalPersistence({ data, shape });
    expect(cubicalPersistence({ data, shape }, { dimensions: [1] })).toEqual(all.filter((p) => p.dimension === 1));
    const big = cubicalPersistence({ data, shape }, { minPersistence: 0.3 });
    expect(big).toEqual(all.filter((p) => p.death - p.birth > 0.3));
    expect(big.length).toBeLessThan(all.length);
    expect(persistenceIntervals(all, 0)).toEqual(all.filter((p) => p.dimension === 0).map((p) => [p.birth, p.death]));
    // zero-length pairs of one dimension still need the lower dimensions internally
    const zero = cubicalPersistence({ data, shape }, { keepZeroLength: true });
    expect(cubicalPersistence({ data, shape }, { keepZeroLength: true, dimensions: [1] })).toEqual(zero.filter((p) => p.dimension === 1));
    expect(zero.filter((p) => p.birth === p.death).length).toBeGreaterThan(0);
  });

  it('reports infinite deaths only for the one essential H0 class of a box', () => {
    for (const shape of [[40, 41], [9, 8, 7]]) {
      const { data } = generate({ shape, kind: 'uniform', seed: 12 });
      for (const filtration of ['top-cells', 'vertices'] as const) {
        const ess = cubicalPersistence({ data, shape }, { filtration }).filter((p) => p.death === Infinity);
        expect(ess).toEqual([{ dimension: 0, birth: Math.min(...data), death: Infinity }]);
      }
    }
  });

  it('rejects ragged grids, NaN, bad shapes and bad options with the parameter named', () => {
    const bad: Array<[() => unknown, RegExp]> = [
      [() => cubicalPersistence([[1, 2], [3]]), /grid\[1\]\.length.*1.*allowed: 2/],
      [() => cubicalPersistence([[1, NaN]]), /grid\[0\]\[1\].*NaN/],
      [() => cubicalPersistence({ data: [1, 2, 3], shape: [2, 2] }), /grid\.data\.length.*3.*4/],
      [() => cubicalPersistence({ data: [1, 2], shape: [2, 0] }), /grid\.shape\[1\]/],
      [() => cubicalPersistence({ data: new Float64Array(16), shape: [2, 2, 2, 2] }), /grid\.shape/],
      [() => cubicalPersistence([]), /grid\.length/],
      [() => cubicalPersistence([[1]], { filtration: 'pixels' as never }), /filtration.*pixels/],
      [() => cubicalPersistence([[1]], { dimensions: [3] }), /dimensions\[0\]/],
      [() => cubicalPersistence([[1]], { minPersistence: -1 }), /minPersistence/],
      [() => cubicalPersistence([[1]], { minPersistence: 1, keepZeroLength: true }), /keepZeroLength/],
    ];
    for (const [f, message] of bad) {
      expect(f).toThrow(InvalidParameterError);
      expect(f).toThrow(message);
    }
  });
});
