import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { scatter, type ScatterOptions } from '@descent/report';
import { assertWellFormed, countMarks, lineColors, texts } from './helpers/svg';


const cloud = Array.from({ length: 7 }, (_, i) => ({ x: i, y: (i * 3) % 5 }));

describe('scatter', () => {
  it('draws a point per input, axis titles, no legend without groups', async () => {
    const svg = await scatter({ title: 'Cloud', points: cloud, x: { title: 'PC 1' }, y: { title: 'PC 2' } }).toSvg();
    assertWellFormed(svg);
    expect(countMarks(svg, 'point')).toBe(7);
    expect(countMarks(svg, 'line mark')).toBe(0);
    expect(svg).not.toContain('role-legend');
    expect(texts(svg)).toEqual(expect.arrayContaining(['Cloud', 'PC 1', 'PC 2']));
  });

  it('joins each group in the given order, not sorted by x, and rings the start', async () => {
    const points = [
      { x: 3, y: 0, group: 'SGD' },
      { x: 1, y: 1, group: 'SGD' },
      { x: 2, y: 2, group: 'SGD', label: 'end' },
      { x: 0, y: 3, group: 'Adam' },
      { x: 1, y: 3, group: 'Adam' },
    ];
    const svg = await scatter({ title: 'Paths', points, path: true, color: { by: 'group', title: 'Optimizer' } }).toSvg();
    assertWellFormed(svg);
    expect(countMarks(svg, 'line mark')).toBe(2);
    expect(new Set(lineColors(svg)).size).toBe(2);
    expect(countMarks(svg, 'point')).toBe(5 + 2);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Optimizer', 'SGD', 'Adam']));
    const d = /aria-roledescription="line mark"[^>]*\sd="([^"]+)"/.exec(svg)![1];
    const xs = [...d.matchAll(/[ML]([-\d.]+),/g)].map((m) => +m[1]);
    expect(xs).toHaveLength(3);
    expect(xs[0]).toBeGreaterThan(xs[2]);
    expect(xs[2]).toBeGreaterThan(xs[1]);
    expect(svg).toContain('<title>Optimizer: SGD; Step: 2; x: 2; y: 2; Note: end</title>');
  });

  it('colours by value on a sequential scale', async () => {
    const points = cloud.map((p, i) => ({ ...p, value: i / 10 }));
    const plot = scatter({ title: 'By loss', points, color: { by: 'value', title: 'loss' } });
    const svg = await plot.toSvg();
    expect(texts(svg)).toContain('loss');
    expect(svg).toMatch(/<linearGradient/);
    const fills = new Set([...svg.matchAll(/aria-roledescription="point"[^>]*fill="([^"]+)"/g)].map((m) => m[1]));
    expect(fills.size).toBe(7);
  });

  it.each<[string, Partial<ScatterOptions>]>([
    ['no points', { points: [] }],
    ['a NaN coordinate', { points: [{ x: 0, y: NaN }] }],
    [
      'a point without a group among grouped ones',
      {
        points: [
          { x: 0, y: 0, group: 'a' },
          { x: 1, y: 1 },
        ],
      },
    ],
    ['colour by value without values', { points: cloud, color: { by: 'value' } }],
    ['a negative x on a log axis', { points: [{ x: -1, y: 1 }], x: { scale: 'log' } }],
    ['an unknown colour mode', { points: cloud, color: { by: 'size' as 'value' } }],
    ['a non-boolean path', { points: cloud, path: 1 as unknown as boolean }],
  ])('refuses %s', (_, change) => {
    expect(() => scatter({ title: 'Bad', points: cloud, ...change })).toThrow(InvalidParameterError);
  });
});
