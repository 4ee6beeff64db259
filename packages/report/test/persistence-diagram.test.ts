import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { persistenceDiagram, type PersistenceDiagramOptions } from '@descent/report';
import { assertWellFormed, countMarks, texts } from './helpers/svg';

// Two components (one essential), one loop; deaths up to 0.9.
const pairs = [
  { dimension: 0, birth: 0, death: Infinity },
  { dimension: 0, birth: 0.2, death: 0.5 },
  { dimension: 1, birth: 0.4, death: 0.9 },
  { dimension: 1, birth: 0.6, death: 0.65 },
];

type Layer = { mark: { type: string }; data: { values: Array<Record<string, number | string>> }; encoding: Record<string, { field?: string; axis?: { values?: number[]; labelExpr?: string }; scale?: { domain?: number[] } }> };
const layersOf = (options: PersistenceDiagramOptions) => (persistenceDiagram(options).spec as unknown as { layer: Layer[] }).layer;
const pointYs = (svg: string) => [...svg.matchAll(/aria-roledescription="point" transform="translate\(([-\d.]+),([-\d.]+)\)"/g)].map((m) => +m[2]);

describe('persistenceDiagram', () => {
  it('has the diagonal death = birth across the whole domain', () => {
    const [diagonal] = layersOf({ title: 'D', pairs });
    expect(diagonal.mark.type).toBe('line');
    expect(diagonal.encoding.x.field).toBe('t');
    expect(diagonal.encoding.y.field).toBe('t');
    const domain = diagonal.encoding.x.scale!.domain!;
    expect(diagonal.encoding.y.scale!.domain).toEqual(domain);
    expect(diagonal.data.values.map((v) => v.t)).toEqual(domain);
    expect(domain[0]).toBeLessThan(0);
  });

  it('puts essential points on a marked ∞ line above every finite point', async () => {
    const layers = layersOf({ title: 'D', pairs });
    const rule = layers.find((l) => l.mark.type === 'rule')!;
    const inf = rule.data.values[0].y as number;
    expect(inf).toBeGreaterThan(0.9);
    const points = layers.find((l) => l.mark.type === 'point')!.data.values;
    expect(points.filter((p) => p.death === inf)).toEqual([expect.objectContaining({ dimension: 'H0', birth: 0, deathText: '∞ (essential)' })]);
    const yAxis = layers[0].encoding.y.axis!;
    expect(yAxis.values).toContain(inf);
    expect(yAxis.labelExpr).toContain('∞');

    const svg = await persistenceDiagram({ title: 'Diagram', pairs }).toSvg();
    assertWellFormed(svg);
    expect(countMarks(svg, 'point')).toBe(4);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Diagram', 'birth', 'death', '∞', 'H0', 'H1']));
    // SVG y grows downwards: the essential point (first in the data) is drawn highest.
    const ys = pointYs(svg);
    expect(ys[0]).toBeLessThan(Math.min(...ys.slice(1)) - 5);
  });

  it('draws no ∞ line without essential classes and accepts null deaths as essential', () => {
    const finite = layersOf({ title: 'D', pairs: pairs.slice(1) });
    expect(finite.some((l) => l.mark.type === 'rule')).toBe(false);
    const fromJson = layersOf({ title: 'D', pairs: [{ dimension: 0, birth: 0.1, death: null }, ...pairs.slice(1)] });
    expect(fromJson.some((l) => l.mark.type === 'rule')).toBe(true);
  });

  it.each<[string, unknown]>([
    ['no pairs', []],
    ['not an array', { dimension: 0, birth: 0, death: 1 }],
    ['death before birth', [{ dimension: 0, birth: 0.5, death: 0.2 }]],
    ['a NaN birth', [{ dimension: 0, birth: NaN, death: 1 }]],
    ['an infinite birth', [{ dimension: 0, birth: -Infinity, death: 1 }]],
    ['a negative dimension', [{ dimension: -1, birth: 0, death: 1 }]],
    ['a NaN death', [{ dimension: 1, birth: 0, death: NaN }]],
  ])('refuses %s with InvalidParameterError', (_, bad) => {
    expect(() => persistenceDiagram({ title: 'D', pairs: bad as never })).toThrow(InvalidParameterError);
  });
});
