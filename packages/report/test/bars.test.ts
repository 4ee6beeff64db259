import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { bars, type BarsOptions } from '@descent/report';
import { assertWellFormed, countMarks, texts } from './helpers/svg';


const spectrum = [12.5, 4, 1.5, 0.25, -0.75].map((value, i) => ({ label: i + 1, value }));

describe('bars', () => {
  it('draws a bar per value, labels in the given order, negatives below zero', async () => {
    const svg = await bars({ title: 'Hessian spectrum', bars: spectrum, x: { title: 'index' }, y: { title: 'eigenvalue' } }).toSvg();
    assertWellFormed(svg);
    expect(countMarks(svg, 'bar')).toBe(5);
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['Hessian spectrum', 'index', 'eigenvalue']));
    expect(t.filter((s) => /^[1-5]$/.test(s)).slice(0, 5)).toEqual(['1', '2', '3', '4', '5']); // x axis first
    expect(svg).toContain('<title>index: 5; eigenvalue: −0.75</title>');
  });

  it('puts grouped bars side by side with a legend, and can lie horizontally', async () => {
    const grouped = spectrum.flatMap((b) => [
      { ...b, group: 'epoch 1' },
      { ...b, value: b.value / 2, group: 'epoch 15' },
    ]);
    const svg = await bars({ title: 'Spectra', bars: grouped, groupTitle: 'Model' }).toSvg();
    expect(countMarks(svg, 'bar')).toBe(10);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Model', 'epoch 1', 'epoch 15']));
    const spec = bars({ title: 'Layers', bars: [{ label: 'dense_1', value: 3 }], horizontal: true }).spec as {
      encoding: { y: { field: string } };
    };
    expect(spec.encoding.y.field).toBe('label');
  });

  it.each<[string, Partial<BarsOptions>]>([
    ['no bars', { bars: [] }],
    ['a NaN value', { bars: [{ label: 'a', value: NaN }] }],
    ['a zero on a log scale', { bars: [{ label: 'a', value: 0 }], y: { scale: 'log' } }],
    [
      'a repeated label',
      {
        bars: [
          { label: 'a', value: 1 },
          { label: 'a', value: 2 },
        ],
      },
    ],
    ['an empty label', { bars: [{ label: '', value: 1 }] }],
    [
      'a bar without a group among grouped ones',
      {
        bars: [
          { label: 'a', value: 1, group: 'g' },
          { label: 'b', value: 2 },
        ],
      },
    ],
  ])('refuses %s', (_, change) => {
    expect(() => bars({ title: 'Bad', bars: spectrum, ...change })).toThrow(InvalidParameterError);
  });
});
