import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { histogram, type HistogramOptions } from '@descent/report';
import { assertWellFormed, countMarks, texts } from './helpers/svg';


type Row = { start: number; end: number; count: number; group?: string };
const rowsOf = (o: HistogramOptions) => (histogram(o).spec as { data: { values: Row[] } }).data.values;
const samples = Array.from({ length: 1000 }, (_, i) => Math.sin(i * 12.9898) * 0.37); // in [−0.37, 0.37]

describe('histogram', () => {
  it('counts every sample once into nice, contiguous bins', async () => {
    const rows = rowsOf({ title: 'Weights', values: samples, bins: 20 });
    expect(rows.reduce((s, r) => s + r.count, 0)).toBe(1000);
    expect(rows.length).toBeLessThanOrEqual(20);
    const step = rows[0].end - rows[0].start;
    expect([0.01, 0.02, 0.05, 0.1]).toContainEqual(+step.toPrecision(6));
    rows.forEach((r, i) => i > 0 && expect(r.start).toBeCloseTo(rows[i - 1].end, 12));
    expect(rows[0].start).toBeLessThanOrEqual(Math.min(...samples));
    expect(rows.at(-1)!.end).toBeGreaterThanOrEqual(Math.max(...samples));
    const svg = await histogram({ title: 'Weights', values: samples, bins: 20, x: { title: 'weight' } }).toSvg();
    assertWellFormed(svg);
    expect(countMarks(svg, 'bar')).toBe(rows.length);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Weights', 'weight', 'count']));
  });

  it('bins the maximum into the last bin and handles a constant sample', () => {
    const rows = rowsOf({ title: 'Edges', values: [0, 0.5, 1, 1], bins: 2 });
    expect(rows.map((r) => r.count)).toEqual([1, 3]);
    const constant = rowsOf({ title: 'Constant', values: [2, 2, 2] });
    expect(constant).toHaveLength(1);
    expect(constant[0].count).toBe(3);
    expect((constant[0].start + constant[0].end) / 2).toBeCloseTo(2, 12);
  });

  it('overlays named sets on shared bins; normalised, each sums to 1', async () => {
    const values = { kaiming: samples, xavier: samples.slice(0, 400).map((v) => v / 2) };
    const rows = rowsOf({ title: 'Init', values, normalize: true });
    for (const name of ['kaiming', 'xavier']) {
      expect(rows.filter((r) => r.group === name).reduce((s, r) => s + r.count, 0)).toBeCloseTo(1, 12);
    }
    const svg = await histogram({ title: 'Init', values, groupTitle: 'Initializer' }).toSvg();
    expect(texts(svg)).toEqual(expect.arrayContaining(['Initializer', 'kaiming', 'xavier']));
  });

  it('leaves empty bins out on a log count axis', () => {
    const rows = rowsOf({ title: 'Gap', values: [0, 0, 0, 10], bins: 10, y: { scale: 'log' } });
    expect(rows.map((r) => r.count)).toEqual([3, 1]);
  });

  it.each<[string, Partial<HistogramOptions>]>([
    ['no samples', { values: [] }],
    ['an empty set', { values: { a: [1], b: [] } }],
    ['no sets', { values: {} }],
    ['a NaN sample', { values: [1, NaN] }],
    ['an infinite sample', { values: Float64Array.of(1, Infinity) }],
    ['zero bins', { bins: 0 }],
    ['a non-boolean normalize', { normalize: 'yes' as unknown as boolean }],
  ])('refuses %s', (_, change) => {
    expect(() => histogram({ title: 'Bad', values: samples, ...change })).toThrow(InvalidParameterError);
  });
});
