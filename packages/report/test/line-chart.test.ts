import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { lineChart, type LineChartOptions } from '@descent/report';
import { assertWellFormed, countMarks, lineColors, texts } from './helpers/svg';


const runs = ['SGD', 'Adam', 'Lion'];
const data = runs.flatMap((run, k) => [1, 2, 3, 4, 5].map((epoch) => ({ epoch, loss: (k + 1) / epoch, run })));
const base: LineChartOptions = {
  title: 'Test loss',
  x: { field: 'epoch', title: 'Epoch' },
  y: { field: 'loss', title: 'Cross-entropy' },
  series: { field: 'run', title: 'Optimizer' },
  data,
};

describe('lineChart', () => {
  it('draws one line per series with a point per value, titles and a legend', async () => {
    const svg = await lineChart({ ...base, subtitle: 'three optimizers' }).toSvg();
    assertWellFormed(svg);
    expect(countMarks(svg, 'line mark')).toBe(3);
    expect(countMarks(svg, 'point')).toBe(15);
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['Test loss', 'three optimizers', 'Epoch', 'Cross-entropy', 'Optimizer']));
    // Legend entries in order of first appearance, each line in its own colour.
    expect(t.filter((s) => runs.includes(s))).toEqual(runs);
    expect(new Set(lineColors(svg)).size).toBe(3);
  });

  it('puts a formatted tooltip on every point', async () => {
    const plot = lineChart(base);
    const tooltip = (plot.spec as { encoding: { tooltip: Array<{ title: string }> } }).encoding.tooltip;
    expect(tooltip.map((t) => t.title)).toEqual(['Optimizer', 'Epoch', 'Cross-entropy']);
    const svg = await plot.toSvg();
    expect(svg).toContain('<title>Optimizer: Lion; Epoch: 3; Cross-entropy: 1</title>');
    expect(svg).toContain('<title>Optimizer: Adam; Epoch: 3; Cross-entropy: 0.6667</title>');
  });

  it('draws a log y axis in decades', async () => {
    const rows = [1, 2, 3, 4].map((epoch) => ({ epoch, loss: 10 ** (1 - epoch) }));
    const svg = await lineChart({ title: 'Loss', x: { field: 'epoch' }, y: { field: 'loss', scale: 'log' }, data: rows }).toSvg();
    expect(texts(svg)).toEqual(expect.arrayContaining(['0.001', '0.01', '0.1', '1']));
    expect(countMarks(svg, 'line mark')).toBe(1);
  });

  it('breaks the line at a missing (null) value', async () => {
    const rows = [1, 2, 3, 4, 5].map((epoch) => ({ epoch, acc: epoch === 3 ? null : epoch / 10 }));
    const svg = await lineChart({ title: 'Accuracy', x: { field: 'epoch' }, y: { field: 'acc' }, data: rows }).toSvg();
    expect(countMarks(svg, 'point')).toBe(4);
    const d = /aria-roledescription="line mark"[^>]*\sd="([^"]+)"/.exec(svg)![1];
    expect(d.match(/M/g)).toHaveLength(2);
  });

  it('leaves out the points when a line has many values, unless asked', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ step: i, loss: 1 / (i + 1) }));
    const opts = { title: 'Loss', x: { field: 'step' }, y: { field: 'loss' }, data: rows };
    expect(countMarks(await lineChart(opts).toSvg(), 'point')).toBe(0);
    expect(countMarks(await lineChart({ ...opts, points: true }).toSvg(), 'point')).toBe(100);
  });

  it('takes field names with dots literally', async () => {
    const rows = [
      { 'train.epoch': 1, 'test.loss': 0.5 },
      { 'train.epoch': 2, 'test.loss': 0.25 },
    ];
    const svg = await lineChart({ title: 'Dots', x: { field: 'train.epoch' }, y: { field: 'test.loss' }, data: rows }).toSvg();
    expect(countMarks(svg, 'point')).toBe(2);
    expect(texts(svg)).toContain('test.loss');
  });

  it.each<[string, Partial<LineChartOptions>]>([
    ['empty data', { data: [] }],
    ['NaN y', { data: [{ epoch: 1, loss: NaN, run: 'a' }] }],
    ['infinite y', { data: [{ epoch: 1, loss: Infinity, run: 'a' }] }],
    ['string y', { data: [{ epoch: 1, loss: '0.5', run: 'a' }] }],
    ['missing x', { data: [{ loss: 1, run: 'a' }] }],
    ['NaN x', { data: [{ epoch: NaN, loss: 1, run: 'a' }] }],
    ['only missing y', { data: [{ epoch: 1, loss: null, run: 'a' }] }],
    ['non-positive y on a log scale', { y: { field: 'loss', scale: 'log' }, data: [{ epoch: 1, loss: 0, run: 'a' }] }],
    ['unknown scale', { y: { field: 'loss', scale: 'sqrt' as 'log' } }],
    ['series value that is not a label', { data: [{ epoch: 1, loss: 1, run: { name: 'a' } }] }],
    ['same field twice', { y: { field: 'epoch' } }],
    ['empty title', { title: ' ' }],
    ['bad size', { width: 0 }],
  ])('refuses %s', (_, change) => {
    expect(() => lineChart({ ...base, ...change })).toThrow(InvalidParameterError);
  });
});
