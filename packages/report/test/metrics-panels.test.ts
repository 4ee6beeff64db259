import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { metricsPanels, type EpochRecordLike } from '@descent/report';
import { assertWellFormed, countMarks, texts } from './helpers/svg';


function records(epochs: number, k: number, change: Partial<EpochRecordLike> = {}): EpochRecordLike[] {
  return Array.from({ length: epochs }, (_, i) => ({
    epoch: i + 1,
    trainLoss: 2 / (i + 1 + k),
    trainAccuracy: 0.5 + 0.04 * i,
    testLoss: 2.2 / (i + 1 + k),
    testAccuracy: 0.45 + 0.04 * i,
    gradNorm: 1 + k,
    lr: 0.01,
    seconds: 3,
    msPerStep: 12,
    tensorBytes: 4 * 1024 * 1024,
    optimizerStateBytes: (k + 1) * 1024 * 1024,
    rssBytes: 300e6,
    ...change,
  }));
}
const runs = [
  { name: 'SGD', records: records(6, 0) },
  { name: 'Adam', records: records(6, 1) },
  { name: 'Lion', records: records(6, 2) },
];

describe('metricsPanels', () => {
  it('draws one panel per default metric and one line per run, with a shared legend', async () => {
    const plot = metricsPanels(runs);
    expect(plot.kind).toBe('panels');
    const svg = await plot.toSvg();
    assertWellFormed(svg);
    const t = texts(svg);
    expect(t).toEqual(
      expect.arrayContaining(['Training metrics', 'Train loss', 'Test loss', 'Test accuracy', 'Gradient norm (epoch mean)', 'Epoch', 'Run'])
    );
    expect(t.filter((s) => s === 'Epoch')).toHaveLength(4);
    expect(t.filter((s) => ['SGD', 'Adam', 'Lion'].includes(s))).toEqual(['SGD', 'Adam', 'Lion']); // one legend
    expect(countMarks(svg, 'line mark')).toBe(12);
    expect(countMarks(svg, 'point')).toBe(4 * 3 * 6);
    expect(t).toEqual(expect.arrayContaining(['50%', '60%'])); // accuracy as a percentage
  });

  it('shows bytes in MiB and takes titles, scales and layout options', async () => {
    const plot = metricsPanels(runs, ['optimizerStateBytes', { metric: 'trainLoss', title: 'Loss (log)', scale: 'log' }], {
      title: 'Optimizers',
      seriesTitle: 'Optimizer',
      columns: 1,
    });
    const values = (plot.spec as { data: { values: Array<{ run: string; metric: string; value: number }> } }).data.values;
    expect(values.filter((v) => v.metric.startsWith('optimizerStateBytes') && v.run === 'Lion').map((v) => v.value)).toEqual([
      3, 3, 3, 3, 3, 3,
    ]);
    expect((plot.spec as { columns: number }).columns).toBe(1);
    const t = texts(await plot.toSvg());
    expect(t).toEqual(expect.arrayContaining(['Optimizers', 'Optimizer state', 'MiB', 'Loss (log)', 'Optimizer']));
  });

  it('leaves non-finite values out of the lines and drops metrics nobody has', async () => {
    const diverged = records(6, 0, {});
    diverged[4].trainLoss = NaN;
    diverged[5].trainLoss = Infinity;
    const noTest = (rs: EpochRecordLike[]) => rs.map((r) => ({ ...r, testLoss: null, testAccuracy: null }));
    const plot = metricsPanels([
      { name: 'diverged', records: noTest(diverged) },
      { name: 'fine', records: noTest(records(6, 1)) },
    ]);
    const svg = await plot.toSvg();
    const t = texts(svg);
    expect(t).not.toContain('Test loss');
    expect(t).not.toContain('Test accuracy');
    expect(countMarks(svg, 'line mark')).toBe(4);
    expect(countMarks(svg, 'point')).toBe(4 + 6 + 6 + 6);
  });

  it('accepts the training loop record, extra fields and all', () => {
    interface EpochRecord extends EpochRecordLike {
      skippedSteps: number;
    }
    const rec: EpochRecord[] = records(2, 0).map((r) => ({ ...r, skippedSteps: 0 }));
    expect(() => metricsPanels([{ name: 'run', records: rec }])).not.toThrow();
  });

  it.each<[string, () => unknown]>([
    ['no runs', () => metricsPanels([])],
    ['a run without records', () => metricsPanels([{ name: 'a', records: [] }])],
    ['two runs with one name', () => metricsPanels([runs[0], { ...runs[1], name: 'SGD' }])],
    ['an unnamed run', () => metricsPanels([{ name: '', records: records(2, 0) }])],
    ['an unknown metric', () => metricsPanels(runs, ['memory' as 'rssBytes'])],
    ['no metrics', () => metricsPanels(runs, [])],
    ['only metrics without values', () => metricsPanels([{ name: 'a', records: records(2, 0, { testLoss: null }) }], ['testLoss'])],
    [
      'a zero on a log panel',
      () => metricsPanels([{ name: 'a', records: records(2, 0, { gradNorm: 0 }) }], [{ metric: 'gradNorm', scale: 'log' }]),
    ],
    ['a NaN epoch', () => metricsPanels([{ name: 'a', records: records(2, 0, { epoch: NaN }) }])],
    ['zero columns', () => metricsPanels(runs, undefined, { columns: 0 })],
  ])('refuses %s', (_, make) => {
    expect(make).toThrow(InvalidParameterError);
  });
});
