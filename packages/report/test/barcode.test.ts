import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { barcode } from '@descent/report';
import { assertWellFormed, countMarks, texts } from './helpers/svg';

const pairs = [
  { dimension: 1, birth: 0.6, death: 0.65 },
  { dimension: 0, birth: 0.2, death: 0.5 },
  { dimension: 0, birth: 0, death: Infinity },
  { dimension: 1, birth: 0.4, death: 0.9 },
];

type Layer = { mark: { type: string; shape?: string }; data: { values: Array<Record<string, number | string>> }; encoding: { x?: { scale?: { domain: number[] }; axis?: { values: number[]; labelExpr: string } } } };
const specOf = (options: Parameters<typeof barcode>[0]) => barcode(options).spec as unknown as { layer: Layer[]; title: { subtitle?: string } | string };

describe('barcode', () => {
  it('one bar per pair, H0 first, longest first within a dimension', async () => {
    const [bars] = specOf({ title: 'B', pairs }).layer;
    expect(bars.data.values.map((r) => [r.dimension, r.birth])).toEqual([
      ['H0', 0],
      ['H0', 0.2],
      ['H1', 0.4],
      ['H1', 0.6],
    ]);
    const svg = await barcode({ title: 'Barcode', pairs }).toSvg();
    assertWellFormed(svg);
    expect(countMarks(svg, 'bar')).toBe(4);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Barcode', 'H0', 'H1', 'filtration value']));
  });

  it('runs essential bars to the plot edge, with an arrowhead and an ∞ label', async () => {
    const layers = specOf({ title: 'B', pairs }).layer;
    const [bars] = layers;
    const edge = bars.encoding.x!.scale!.domain[1];
    const essential = bars.data.values.filter((r) => r.essential === 1);
    expect(essential).toHaveLength(1);
    expect(essential[0].end).toBe(edge);
    expect(Math.max(...bars.data.values.filter((r) => r.essential === 0).map((r) => r.end as number))).toBeLessThan(edge);
    expect(layers.some((l) => l.mark.shape === 'triangle-right')).toBe(true);
    expect(bars.encoding.x!.axis!.values).toContain(edge);
    const svg = await barcode({ title: 'B', pairs }).toSvg();
    expect(texts(svg).filter((t) => t === '∞').length).toBeGreaterThanOrEqual(2); // the bar's label and the axis tick
  });

  it('keeps the longest bars per dimension beyond maxBars and says so', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ dimension: i % 2, birth: 0, death: 1 + i }));
    const spec = specOf({ title: 'B', pairs: many, maxBars: 10 });
    const kept = spec.layer[0].data.values;
    expect(kept).toHaveLength(10);
    expect(Math.min(...kept.filter((r) => r.dimension === 'H0').map((r) => Number(r.deathText)))).toBe(41);
    expect((spec.title as { subtitle: string }).subtitle).toContain('10 longest of 50');
  });

  it.each<[string, Record<string, unknown>]>([
    ['no pairs', { pairs: [] }],
    ['death before birth', { pairs: [{ dimension: 0, birth: 1, death: 0 }] }],
    ['a fractional dimension', { pairs: [{ dimension: 0.5, birth: 0, death: 1 }] }],
    ['maxBars 0', { pairs, maxBars: 0 }],
  ])('refuses %s with InvalidParameterError', (_, bad) => {
    expect(() => barcode({ title: 'B', ...(bad as { pairs: [] }) })).toThrow(InvalidParameterError);
  });
});
