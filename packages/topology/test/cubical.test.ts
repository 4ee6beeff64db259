import { describe, it, expect } from 'vitest';
import { cellCountsByLevel, cellDimensions, cohomologyH1, khalimsky, sourceIndex, type Filtration } from '../src/cubical';
import { argsortValues } from '../src/argsort';
import { isRing, neighbourOffsets, padGrid } from '../src/padded-grid';
import { PairList, superlevelSweep } from '../src/union-find';
import { canonical, generate } from './golden';

const FILTRATIONS: Filtration[] = ['top-cells', 'vertices'];

/** Cell value straight from the definition: min over containing top cells, or max over vertices. */
function naiveValue(data: Float64Array, shape: number[], cell: number[], filtration: Filtration): number {
  const choices = cell.map((c) => {
    if (filtration === 'top-cells') return c % 2 === 1 ? [(c - 1) / 2] : [c / 2 - 1, c / 2];
    return c % 2 === 0 ? [c / 2] : [(c - 1) / 2, (c + 1) / 2];
  });
  let best = filtration === 'top-cells' ? Infinity : -Infinity;
  const rec = (axis: number, idx: number): void => {
    if (axis === shape.length) {
      best = filtration === 'top-cells' ? Math.min(best, data[idx]) : Math.max(best, data[idx]);
      return;
    }
    for (const i of choices[axis]) if (i >= 0 && i < shape[axis]) rec(axis + 1, idx * shape[axis] + i);
  };
  rec(0, 0);
  return best;
}

/** H1 of a 2-D grid by Alexander duality, the path cubicalPersistence takes for 2-D grids. */
function h1ByDuality(data: Float64Array, shape: number[], filtration: Filtration): Array<[number, number, number]> {
  const p = padGrid({ data, shape });
  const offsets = neighbourOffsets(p.dims, filtration === 'top-cells' ? 'face' : 'full');
  const out = new PairList();
  superlevelSweep(p.values, argsortValues(p.values, p.cells), p.interior, offsets, isRing(p.dims, offsets), out, 1);
  return canonical(out.births.map((b, i) => [1, b, out.deaths[i]]));
}

function h1ByCohomology(data: Float64Array, shape: number[], filtration: Filtration): Array<[number, number, number]> {
  const out = new PairList();
  cohomologyH1(khalimsky(shape, data, filtration), out);
  return canonical(out.births.map((b, i) => [1, b, out.deaths[i]]));
}

describe('Khalimsky complex', () => {
  for (const filtration of FILTRATIONS) {
    it(`cell values follow the ${filtration} definition (2-D and 3-D)`, () => {
      for (const shape of [[4, 5], [3, 4, 2]]) {
        const { data } = generate({ shape, kind: 'int', seed: 5, bits: 3 });
        const kh = khalimsky(shape, data, filtration);
        const sizes = kh.sizes.slice(3 - shape.length);
        let checked = 0;
        kh.values.forEach((v, k) => {
          const c = [Math.floor(k / kh.strides[0]), Math.floor(k / kh.strides[1]) % kh.sizes[1], k % kh.sizes[2]].slice(3 - shape.length);
          expect(c.every((x, i) => x < sizes[i])).toBe(true);
          expect(v).toBe(naiveValue(data, shape, c, filtration));
          const src = sourceIndex(kh, k);
          expect(data[src]).toBe(v);
          checked++;
        });
        expect(checked).toBe(sizes.reduce((a, b) => a * b, 1));
      }
    });
  }

  it('counts cells per dimension', () => {
    const [h, w] = [6, 9];
    const levels = new Int32Array(h * w); // one level: counts are plain cell counts
    const t = cellCountsByLevel([h, w], levels, 1, 'top-cells').map((c) => c[0]);
    expect(t).toEqual([(h + 1) * (w + 1), h * (w + 1) + (h + 1) * w, h * w, 0]);
    const v = cellCountsByLevel([h, w], levels, 1, 'vertices').map((c) => c[0]);
    expect(v).toEqual([h * w, h * (w - 1) + (h - 1) * w, (h - 1) * (w - 1), 0]);
    const kh = khalimsky([2, 3, 4], new Float64Array(24), 'top-cells');
    const dims = cellDimensions(kh);
    expect(dims.filter((d) => d === 3).length).toBe(24);
    expect(dims.filter((d) => d === 0).length).toBe(3 * 4 * 5);
  });
});

describe('H1 by cohomology agrees with H1 by Alexander duality', () => {
  // Two unrelated algorithms on the same 2-D grids: the reduction (used for 3-D volumes) must give
  // exactly the union-find-on-the-complement diagram, also when the grid is embedded as a 3-D slab.
  const specs = [
    { shape: [9, 11], kind: 'int' as const, bits: 1 },
    { shape: [20, 17], kind: 'int' as const, bits: 2 },
    { shape: [25, 25], kind: 'uniform' as const },
    { shape: [40, 31], kind: 'smooth' as const, radius: 2, quant: 8 },
    { shape: [1, 12], kind: 'int' as const, bits: 2 },
  ];
  for (const [i, spec] of specs.entries()) {
    for (const filtration of FILTRATIONS) {
      it(`${spec.kind} ${spec.shape.join('x')} (${filtration})`, () => {
        const { data, shape } = generate({ ...spec, seed: 40 + i });
        const dual = h1ByDuality(data, shape, filtration);
        expect(h1ByCohomology(data, shape, filtration)).toEqual(dual);
        expect(h1ByCohomology(data, [1, ...shape], filtration)).toEqual(dual);
        expect(h1ByCohomology(data, [shape[0], 1, shape[1]], filtration)).toEqual(dual);
        if (spec.shape[0] > 1) expect(dual.length).toBeGreaterThan(0);
      });
    }
  }
});
