import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { scalogram, type MatrixLike } from '@descent/report';
import { assertWellFormed, countMarks, texts } from './helpers/svg';

const m = (rows: number, cols: number, f: (r: number, c: number) => number): MatrixLike => ({
  rows,
  cols,
  data: Float64Array.from({ length: rows * cols }, (_, i) => f(Math.floor(i / cols), i % cols)),
});

type Cell = { scale: number; position: number; y0: number; y1: number; x0: number; x1: number; value: number };
type Spec = { data: { values: Cell[] }; encoding: { y: { title: string; scale: { type: string; reverse: boolean; domain: number[] } } }; title: { subtitle?: string } | string };
const specOf = (o: Parameters<typeof scalogram>[0]) => scalogram(o).spec as unknown as Spec;

describe('scalogram', () => {
  it('draws |W| per scale and position, scales on a labelled axis, smallest at the top', async () => {
    const scales = [1, 2, 4];
    const re = m(3, 5, (r, c) => (r === 1 ? -(c + 1) : 0));
    const spec = specOf({ title: 'CWT', re, scales, y: { scale: 'log' } });
    expect(spec.encoding.y.title).toBe('scale');
    expect(spec.encoding.y.scale).toMatchObject({ type: 'log', reverse: true });
    expect(spec.data.values).toHaveLength(15);
    const row = spec.data.values.filter((v) => v.scale === 2);
    expect(row.map((v) => v.value)).toEqual([1, 2, 3, 4, 5]);
    // On a log axis row edges are geometric midpoints: scale 2 spans √2 … √8.
    expect(row[0].y0).toBeCloseTo(Math.SQRT2, 12);
    expect(row[0].y1).toBeCloseTo(Math.sqrt(8), 12);
    const svg = await scalogram({ title: 'CWT', re, scales, y: { scale: 'log' } }).toSvg();
    assertWellFormed(svg);
    expect(countMarks(svg, 'rect mark')).toBe(15);
    expect(texts(svg)).toEqual(expect.arrayContaining(['CWT', 'scale', 'position', '|W|']));
  });

  it('takes the modulus of complex coefficients and averages wide transforms over blocks', () => {
    const re = m(2, 8, () => 3);
    const im = m(2, 8, (_, c) => (c < 4 ? 4 : -4));
    const spec = specOf({ title: 'CWT', re, im, scales: [8, 1], maxColumns: 4, subtitle: 'complex' });
    expect(spec.data.values).toHaveLength(8);
    expect(spec.data.values.every((v) => v.value === 5)).toBe(true);
    expect((spec.title as { subtitle: string }).subtitle).toContain('blocks of 2 positions');
    // Decreasing scales are fine: the row of scale 8 still lies above (larger values than) scale 1's.
    const s8 = spec.data.values.find((v) => v.scale === 8)!;
    const s1 = spec.data.values.find((v) => v.scale === 1)!;
    expect(s8.y0).toBeGreaterThan(s1.y1 - 1e-12);
  });

  it.each<[string, Record<string, unknown>]>([
    ['scales of the wrong length', { scales: [1, 2] }],
    ['a zero scale', { scales: [0, 1, 2] }],
    ['unsorted scales', { scales: [1, 3, 2] }],
    ['an imaginary part of another shape', { im: m(2, 5, () => 0) }],
    ['a NaN coefficient', { re: m(3, 5, () => NaN) }],
    ['positions not increasing', { positions: [0, 1, 1, 2, 3] }],
  ])('refuses %s with InvalidParameterError', (_, bad) => {
    expect(() => scalogram({ title: 'S', re: m(3, 5, () => 1), scales: [1, 2, 3], ...bad })).toThrow(InvalidParameterError);
  });
});
