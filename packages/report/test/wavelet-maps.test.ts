import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { waveletCoefficientMaps, type MatrixLike } from '@descent/report';
import { assertWellFormed, countMarks, texts } from './helpers/svg';

const m = (rows: number, cols: number, f: (r: number, c: number) => number): MatrixLike => ({
  rows,
  cols,
  data: Float64Array.from({ length: rows * cols }, (_, i) => f(Math.floor(i / cols), i % cols)),
});
// Two levels of a 16 × 12 array: level 2 bands 4 × 3, level 1 bands 8 × 6.
const approximation = m(4, 3, (r, c) => 10 + r - c);
const details = [2, 1].map((level) => {
  const [rows, cols] = level === 2 ? [4, 3] : [8, 6];
  return { level, horizontal: m(rows, cols, (r) => -r), vertical: m(rows, cols, (_, c) => c * level), diagonal: m(rows, cols, () => 0) };
});

type Unit = { title?: { text: string; subtitle: string }; data: { values: Array<{ r: number; c: number; v: number }> } };
const unitsOf = (o: Parameters<typeof waveletCoefficientMaps>[0]) => (waveletCoefficientMaps(o).spec as unknown as { concat: Unit[]; columns: number }).concat;

describe('waveletCoefficientMaps', () => {
  it('one panel per band and level, cA on the coarsest row, magnitudes relative to each panel', async () => {
    const units = unitsOf({ title: 'Coefficients', approximation, details });
    expect(units.map((u) => u.title?.text ?? '')).toEqual(['cA, level 2', 'H, level 2', 'V, level 2', 'D, level 2', '', 'H, level 1', 'V, level 1', 'D, level 1']);
    const h1 = units[5];
    expect(h1.data.values).toHaveLength(48);
    // |−r| / max|−r| with max 7: row 7 → 1, row 0 → 0.
    expect(h1.data.values.find((v) => v.r === 7)!.v).toBe(1);
    expect(h1.data.values.find((v) => v.r === 0)!.v).toBe(0);
    expect(h1.title!.subtitle).toBe('max |c| 7');
    // An all-zero band stays 0 (no division by zero); cA is scaled to its range.
    expect(units[3].data.values.every((v) => v.v === 0)).toBe(true);
    expect(Math.min(...units[0].data.values.map((v) => v.v))).toBe(0);
    expect(Math.max(...units[0].data.values.map((v) => v.v))).toBe(1);
    const svg = await waveletCoefficientMaps({ title: 'Coefficients', approximation, details }).toSvg();
    assertWellFormed(svg);
    expect(countMarks(svg, 'rect mark')).toBe(12 + 3 * 12 + 3 * 48);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Coefficients', 'cA, level 2', 'D, level 1']));
  });

  it('draws large bands in blocks, keeping the largest |c| of each block', () => {
    const big = { level: 1, horizontal: m(100, 10, (r, c) => (r === 99 && c === 0 ? -5 : 1)), vertical: m(100, 10, () => 1), diagonal: m(100, 10, () => 1) };
    const units = unitsOf({ title: 'C', approximation: m(50, 5, () => 1), details: [big], maxCells: 20 });
    const h = units[1];
    expect(h.data.values).toHaveLength(20 * 10);
    expect(h.title!.subtitle).toContain('5×1 blocks');
    expect(h.data.values.find((v) => v.r === 19 && v.c === 0)!.v).toBe(1);
    expect(h.data.values.find((v) => v.r === 18 && v.c === 0)!.v).toBeCloseTo(0.2, 12);
  });

  it.each<[string, Record<string, unknown>]>([
    ['no details', { approximation, details: [] }],
    ['a shape that does not match the data', { approximation: { rows: 2, cols: 2, data: [1, 2, 3] }, details }],
    ['a NaN coefficient', { approximation, details: [{ ...details[0], vertical: m(4, 3, () => NaN) }] }],
    ['a level given twice', { approximation, details: [details[0], details[0]] }],
    ['a missing band', { approximation, details: [{ level: 1, horizontal: approximation, vertical: approximation }] }],
  ])('refuses %s with InvalidParameterError', (_, bad) => {
    expect(() => waveletCoefficientMaps({ title: 'C', ...(bad as { approximation: MatrixLike; details: [] }) })).toThrow(InvalidParameterError);
  });
});
