import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { contour, heatmap, type HeatmapOptions } from '@descent/report';
import { assertWellFormed, countMarks, texts } from './helpers/svg';


const x = [-1, 0, 1, 2];
const y = [10, 20, 30];
const grid = y.map((_, r) => x.map((_, c) => r * 4 + c + 1)); // 1 … 12, row-major
const base: HeatmapOptions = { title: 'Loss surface', grid, x, y, xTitle: 'λ₁', yTitle: 'λ₂', valueTitle: 'loss' };

/** Centre (in SVG pixels; d3-format writes − for minus) and fill of the cell whose hover text starts with the given coordinates. */
function cell(svg: string, label: string): { x: number; y: number; fill: string } {
  const m = new RegExp(`aria-label="${label}"[^>]*\\sd="M([-\\d.]+),([-\\d.]+)h([\\d.]+)v([\\d.]+)[^>]*fill="([^"]+)"`).exec(svg);
  if (!m) throw new Error(`no cell ${label}`);
  return { x: +m[1] + +m[3] / 2, y: +m[2] + +m[4] / 2, fill: m[5] };
}

const bowl = (n: number) => {
  const c = Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
  return { x: c, y: c, grid: c.map((b) => c.map((a) => a * a + b * b + 0.1)) };
};

describe('heatmap', () => {
  it('draws one cell per grid value with axis titles and a colour legend', async () => {
    const svg = await heatmap(base).toSvg();
    assertWellFormed(svg);
    expect(countMarks(svg, 'rect mark')).toBe(12);
    expect(countMarks(svg, 'line mark')).toBe(0);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Loss surface', 'λ₁', 'λ₂', 'loss']));
  });

  it('puts grid[r][c] at (x[c], y[r]), row 0 at the bottom, coloured by value', async () => {
    const svg = await heatmap(base).toSvg();
    const first = cell(svg, 'λ₁: −1; λ₂: 10; loss: 1');
    const right = cell(svg, 'λ₁: 2; λ₂: 10; loss: 4');
    const top = cell(svg, 'λ₁: −1; λ₂: 30; loss: 9');
    expect(right.x).toBeGreaterThan(first.x);
    expect(right.y).toBeCloseTo(first.y);
    expect(top.y).toBeLessThan(first.y); // higher on the page
    expect(top.x).toBeCloseTo(first.x);
    expect(new Set([first.fill, right.fill, top.fill]).size).toBe(3);
  });

  it('takes a flat row-major buffer just like rows', () => {
    const flat = heatmap({ ...base, grid: { values: Float64Array.from(grid.flat()), rows: 3, cols: 4 } });
    expect(flat.spec).toEqual(heatmap(base).spec);
  });

  it('adds isolines on request; contour has them by default', async () => {
    const b = bowl(21);
    const withLines = await heatmap({ title: 'Bowl', ...b, isolines: [0.3, 0.6] }).toSvg();
    expect(countMarks(withLines, 'line mark')).toBe(2); // two closed circles
    expect(countMarks(await contour({ title: 'Bowl', ...b }).toSvg(), 'line mark')).toBeGreaterThan(2);
    expect(countMarks(await contour({ title: 'Bowl', ...b, isolines: false }).toSvg(), 'line mark')).toBe(0);
  });

  it('uses a log colour scale when asked', () => {
    const spec = heatmap({ ...base, scale: 'log' }).spec as { layer: Array<{ encoding: { color: { scale: { type: string } } } }> };
    expect(spec.layer[0].encoding.color.scale.type).toBe('log');
  });

  it('draws paths on top with their own legend', async () => {
    const b = bowl(11);
    const paths = [
      { x: -0.8, y: 0.8, group: 'SGD' },
      { x: -0.4, y: 0.3, group: 'SGD' },
      { x: 0, y: 0, group: 'SGD' },
      { x: 0.9, y: -0.9, group: 'Adam' },
      { x: 0.1, y: 0, group: 'Adam' },
    ];
    const svg = await heatmap({ title: 'Paths', ...b, paths, pathsTitle: 'Optimizer' }).toSvg();
    assertWellFormed(svg);
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['Optimizer', 'SGD', 'Adam', 'value']));
    expect(countMarks(svg, 'line mark')).toBe(4); // halo + line per path
    expect(countMarks(svg, 'point')).toBe(5 + 2); // the points, plus a ring at each start
  });

  it.each<[string, Partial<HeatmapOptions>]>([
    ['an empty grid', { grid: [] }],
    ['a single row', { grid: [[1, 2, 3, 4]], y: [0] }],
    [
      'rows of different lengths',
      {
        grid: [
          [1, 2, 3, 4],
          [1, 2, 3],
          [1, 2, 3, 4],
        ],
      },
    ],
    [
      'a NaN value',
      {
        grid: [
          [1, 2, 3, 4],
          [1, NaN, 3, 4],
          [1, 2, 3, 4],
        ],
      },
    ],
    [
      'an infinite value',
      {
        grid: [
          [1, 2, 3, 4],
          [1, 2, 3, Infinity],
          [1, 2, 3, 4],
        ],
      },
    ],
    ['too few x', { x: [0, 1, 2] }],
    ['too many y', { y: [1, 2, 3, 4] }],
    ['decreasing x', { x: [0, 2, 1, 3] }],
    ['a flat buffer of the wrong size', { grid: { values: new Float64Array(11), rows: 3, cols: 4 } }],
    ['a non-positive value on a log scale', { grid: grid.map((r) => r.map((v) => v - 1)), scale: 'log' }],
    ['a bad isoline count', { isolines: 0 }],
    ['a NaN isoline level', { isolines: [1, NaN] }],
    ['a path point off the numbers', { paths: [{ x: NaN, y: 0 }] }],
    ['no title', { title: '' }],
  ])('refuses %s', (_, change) => {
    expect(() => heatmap({ ...base, ...change })).toThrow(InvalidParameterError);
  });
});
