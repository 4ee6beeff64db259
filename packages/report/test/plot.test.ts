import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { PLOT_CONFIG, renderSvg, vegaLitePlot, type VegaLiteSpec } from '@descent/report';
import { assertWellFormed, countMarks, texts } from './helpers/svg';


const spec = {
  title: { text: 'Custom & spec', subtitle: 'two points' },
  config: PLOT_CONFIG,
  data: {
    values: [
      { a: 1, b: 2 },
      { a: 2, b: 3.14159 },
    ],
  },
  mark: { type: 'point', tooltip: true },
  encoding: {
    x: { field: 'a', type: 'quantitative', title: 'alpha' },
    y: { field: 'b', type: 'quantitative', title: 'beta' },
    description: { field: 'note', type: 'nominal' },
  },
  transform: [{ calculate: "'b is ' + format(datum.b, '.3~g')", as: 'note' }],
} as VegaLiteSpec;

describe('vegaLitePlot / renderSvg', () => {
  it('renders a Vega-Lite spec to a well-formed SVG in Node', async () => {
    const plot = vegaLitePlot(spec);
    expect(plot.kind).toBe('custom');
    expect(plot.title).toBe('Custom & spec');
    expect(JSON.parse(JSON.stringify(plot))).toEqual(JSON.parse(JSON.stringify(spec)));
    const svg = await plot.toSvg();
    assertWellFormed(svg);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(countMarks(svg, 'point')).toBe(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Custom &amp; spec', 'two points', 'alpha', 'beta']));
  });

  it('gives single-datum marks a <title> hover text, formatted as described', async () => {
    const svg = await renderSvg(spec);
    expect(svg).toContain('<title>b is 3.14</title>');
    expect(svg).toContain('<title>b is 2</title>');
  });

  it('refuses what is not a specification object', () => {
    expect(() => vegaLitePlot(null as unknown as VegaLiteSpec)).toThrow(InvalidParameterError);
    expect(() => vegaLitePlot([] as unknown as VegaLiteSpec)).toThrow(InvalidParameterError);
  });

  it('has an SVG checker that rejects malformed markup', () => {
    expect(() => assertWellFormed('<svg><g></svg>')).toThrow();
    expect(() => assertWellFormed('<svg><text>a & b</text></svg>')).toThrow();
    expect(() => assertWellFormed('<svg><rect x=1/></svg>')).toThrow();
    expect(() => assertWellFormed('<g></g>')).toThrow();
    expect(() => assertWellFormed('<svg><g/><text>a &amp; b</text></svg>')).not.toThrow();
  });
});
