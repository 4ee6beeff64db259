import { InvalidParameterError } from '@descent/tensor/errors';
import { lineUnit, MAX_POINTS_DRAWN } from './line-chart';
import { PLOT_CONFIG, VEGA_LITE_SCHEMA, vegaLitePlot, type Plot, type VegaLiteSpec } from './plot';
import { checkFinite, checkNonEmptyArray, checkOptionalText, checkScale, checkSize, checkTitle, type AxisScale } from './validate';

/**
 * What the training loop records per epoch (structurally the same as `EpochRecord` of
 * `@descent/train`, which this package does not depend on). Extra fields are ignored.
 */
export interface EpochRecordLike {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number | null;
  testAccuracy: number | null;
  /** Mean over the epoch's batches of the global gradient norm. */
  gradNorm: number;
  lr: number | null;
  seconds: number;
  msPerStep: number;
  tensorBytes: number;
  optimizerStateBytes: number;
  rssBytes: number;
}

export type MetricKey = Exclude<keyof EpochRecordLike, 'epoch'>;

/** A panel: a metric, optionally with its own title and y scale. */
export interface MetricPanel {
  metric: MetricKey;
  title?: string;
  scale?: AxisScale;
}

export interface MetricsPanelsOptions {
  /** Overall title (default 'Training metrics'). */
  title?: string;
  subtitle?: string;
  /** Panels per row (default 2). */
  columns?: number;
  /** Size of one panel in pixels (default 300 × 190). */
  width?: number;
  height?: number;
  /** Legend title for the runs (default 'Run'). */
  seriesTitle?: string;
}

interface MetricInfo {
  title: string;
  axis: string;
  divide?: number;
  format?: string;
}

const MIB = 1024 * 1024;

/** Panel title, y-axis title and unit of each metric. Accuracies are fractions, shown as percentages. */
export const METRICS: Readonly<Record<MetricKey, Readonly<MetricInfo>>> = {
  trainLoss: { title: 'Train loss', axis: 'loss' },
  testLoss: { title: 'Test loss', axis: 'loss' },
  trainAccuracy: { title: 'Train accuracy', axis: 'accuracy', format: '.0%' },
  testAccuracy: { title: 'Test accuracy', axis: 'accuracy', format: '.0%' },
  gradNorm: { title: 'Gradient norm (epoch mean)', axis: '‖g‖₂' },
  lr: { title: 'Learning rate', axis: 'learning rate' },
  seconds: { title: 'Time per epoch', axis: 'seconds' },
  msPerStep: { title: 'Time per step', axis: 'milliseconds' },
  tensorBytes: { title: 'Tensor memory', axis: 'MiB', divide: MIB },
  optimizerStateBytes: { title: 'Optimizer state', axis: 'MiB', divide: MIB },
  rssBytes: { title: 'Process memory (RSS)', axis: 'MiB', divide: MIB },
};

export const DEFAULT_METRICS: readonly MetricKey[] = ['trainLoss', 'testLoss', 'testAccuracy', 'gradNorm'];

/**
 * A grid of line charts, one panel per metric and one line per run, sharing one legend — the
 * chapter's optimizer-comparison figure (loss, accuracy, gradient norm, memory). Non-finite values
 * (a diverged run's NaN loss) and nulls (no test set) are left out of the lines; a metric that has
 * no finite value in any run gets no panel.
 *
 * @example
 * metricsPanels([{ name: 'SGD', records: sgd }, { name: 'Adam', records: adam }],
 *   ['trainLoss', 'testAccuracy', 'gradNorm', 'optimizerStateBytes']);
 */
export function metricsPanels(
  runs: ReadonlyArray<{ name: string; records: ReadonlyArray<EpochRecordLike> }>,
  metrics: ReadonlyArray<MetricKey | MetricPanel> = DEFAULT_METRICS,
  options: MetricsPanelsOptions = {}
): Plot {
  checkNonEmptyArray('runs', runs);
  checkNonEmptyArray('metrics', metrics);
  const title = options.title === undefined ? 'Training metrics' : checkTitle('options.title', options.title);
  const subtitle = checkOptionalText('options.subtitle', options.subtitle);
  const seriesTitle = options.seriesTitle === undefined ? 'Run' : checkTitle('options.seriesTitle', options.seriesTitle);
  const columns = options.columns ?? 2;
  if (!Number.isInteger(columns) || columns < 1) throw new InvalidParameterError('options.columns', columns, 'a positive integer');
  const width = checkSize('options.width', options.width, 300);
  const height = checkSize('options.height', options.height, 190);

  const panels = metrics.map((m, i) => {
    const panel: MetricPanel = typeof m === 'string' ? { metric: m } : m;
    if (panel === null || typeof panel !== 'object' || !Object.hasOwn(METRICS, panel.metric)) {
      throw new InvalidParameterError(`metrics[${i}]`, m, `one of ${Object.keys(METRICS).join(', ')} (or { metric, title?, scale? })`);
    }
    return {
      ...panel,
      scale: checkScale(`metrics[${i}].scale`, panel.scale),
      title: checkOptionalText(`metrics[${i}].title`, panel.title),
    };
  });

  const names = new Set<string>();
  runs.forEach((run, r) => {
    if (run === null || typeof run !== 'object') throw new InvalidParameterError(`runs[${r}]`, run, 'an object { name, records }');
    checkTitle(`runs[${r}].name`, run.name);
    if (names.has(run.name)) throw new InvalidParameterError(`runs[${r}].name`, run.name, 'a name not used by another run');
    names.add(run.name);
    checkNonEmptyArray(`runs[${r}].records`, run.records);
    run.records.forEach((rec, e) => checkFinite(`runs[${r}].records[${e}].epoch`, rec?.epoch));
  });

  // One long table (run, epoch, metric, value); each panel filters its metric.
  const values: Array<{ run: string; epoch: number; metric: string; value: number }> = [];
  const units = [];
  for (const [p, panel] of panels.entries()) {
    const info = METRICS[panel.metric];
    const key = `${panel.metric}#${p}`;
    let count = 0;
    let longest = 0;
    for (const run of runs) {
      let inRun = 0;
      for (const rec of run.records) {
        const raw: unknown = rec[panel.metric];
        if (typeof raw !== 'number' || !Number.isFinite(raw)) continue;
        if (panel.scale === 'log' && raw <= 0) {
          throw new InvalidParameterError(`${run.name}.${panel.metric}`, raw, 'a positive number (the panel has a log scale)');
        }
        values.push({ run: run.name, epoch: rec.epoch, metric: key, value: info.divide ? raw / info.divide : raw });
        inRun++;
      }
      count += inRun;
      longest = Math.max(longest, inRun);
    }
    if (count === 0) continue;
    const unit = lineUnit({
      x: {
        field: 'epoch',
        title: 'Epoch',
        scale: 'linear',
        integer: runs.every((r) => r.records.every((rec) => Number.isInteger(rec.epoch))),
      },
      y: { field: 'value', title: info.axis, hoverTitle: panel.title ?? info.title, scale: panel.scale, format: info.format, zero: false },
      series: { field: 'run', title: seriesTitle, domain: [...names] },
      points: longest <= MAX_POINTS_DRAWN,
      width,
      height,
    });
    const transform = [{ filter: { field: 'metric', equal: key } }, ...(unit.transform as unknown[])];
    units.push({ ...unit, title: { text: panel.title ?? info.title, fontSize: 13, offset: 8, frame: 'group' }, transform });
  }
  if (units.length === 0) {
    throw new InvalidParameterError('metrics', metrics, 'at least one metric with a finite value in some run');
  }
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: subtitle === undefined ? title : { text: title, subtitle },
    config: PLOT_CONFIG,
    data: { values },
    columns: Math.min(columns, units.length),
    concat: units,
    resolve: { scale: { color: 'shared' } },
  } as unknown as VegaLiteSpec;
  return vegaLitePlot(spec, title, 'panels');
}
