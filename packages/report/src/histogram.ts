import * as vega from 'vega';
import { InvalidParameterError } from '@descent/tensor/errors';
import { DESCRIPTION_FIELD, PLOT_CONFIG, VEGA_LITE_SCHEMA, describeExpression, vegaLitePlot, type Plot, type VegaLiteSpec } from './plot';
import { checkOptionalText, checkScale, checkSize, checkTitle, type AxisScale } from './validate';

export interface HistogramOptions {
  title: string;
  subtitle?: string;
  /** The samples (weights, eigenvalues, per-example losses), or several named sets sharing the bins. */
  values: ArrayLike<number> | Readonly<Record<string, ArrayLike<number>>>;
  /** At most this many bins (default 30); the edges are rounded to nice numbers. */
  bins?: number;
  /** Show each set's fraction of samples per bin instead of counts (compares sets of different sizes). */
  normalize?: boolean;
  x?: { title?: string; format?: string };
  /** The count axis; on a log scale empty bins are left out. */
  y?: { title?: string; scale?: AxisScale };
  /** Legend title when there are several sets (default 'Set'). */
  groupTitle?: string;
  width?: number;
  height?: number;
}

/**
 * A histogram: samples counted into nice, shared bins (edges from Vega's `bin`), drawn as bars.
 * Several named sets are overlaid semi-transparently. Only the bin counts go into the specification.
 *
 * @example
 * histogram({ title: 'Initial weights, layer 1', values: { kaiming: w1, xavier: w2 }, x: { title: 'weight' } });
 */
export function histogram(options: HistogramOptions): Plot {
  if (options === null || typeof options !== 'object') throw new InvalidParameterError('options', options, 'an options object');
  const title = checkTitle('title', options.title);
  const subtitle = checkOptionalText('subtitle', options.subtitle);
  const sets = namedSets(options.values);
  const maxbins = options.bins ?? 30;
  if (!Number.isInteger(maxbins) || maxbins < 1 || maxbins > 1000) {
    throw new InvalidParameterError('bins', options.bins, 'an integer in [1, 1000]');
  }
  if (options.normalize !== undefined && typeof options.normalize !== 'boolean') {
    throw new InvalidParameterError('normalize', options.normalize, 'a boolean');
  }
  const scale = checkScale('y.scale', options.y?.scale);
  const xTitle = checkOptionalText('x.title', options.x?.title) ?? 'value';
  const xFormat = checkOptionalText('x.format', options.x?.format);
  const yTitle = checkOptionalText('y.title', options.y?.title) ?? (options.normalize ? 'fraction of samples' : 'count');
  const groupTitle = checkOptionalText('groupTitle', options.groupTitle) ?? 'Set';

  let lo = Infinity;
  let hi = -Infinity;
  for (const [name, values] of sets) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new InvalidParameterError(sets.length > 1 || name ? `values.${name}[${i}]` : `values[${i}]`, v, 'a finite number');
      }
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  // A constant sample gets one bin centred on it; otherwise nice edges covering [lo, hi], the last
  // bin closed so that a maximum on its upper edge counts in it.
  const half = Math.abs(lo) * 0.05 || 0.5;
  const { start, step } = hi > lo ? niceBins({ extent: [lo, hi], maxbins, nice: true }) : { start: lo - half, step: 2 * half };
  const nbins = hi > lo ? Math.max(1, Math.ceil((hi - start) / step - 1e-9)) : 1;

  const grouped = sets.length > 1;
  const rows: Array<Record<string, number | string>> = [];
  for (const [name, values] of sets) {
    const counts = new Float64Array(nbins);
    for (let i = 0; i < values.length; i++) counts[Math.min(nbins - 1, Math.max(0, Math.floor((values[i] - start) / step)))]++;
    counts.forEach((count, b) => {
      if (scale === 'log' && count === 0) return;
      const row: Record<string, number | string> = {
        start: start + b * step,
        end: start + (b + 1) * step,
        count: options.normalize ? count / values.length : count,
      };
      if (grouped) row.group = name;
      rows.push(row);
    });
  }

  const parts = [
    ...(grouped ? [{ field: 'group', title: groupTitle }] : []),
    { field: 'start', title: 'from', format: xFormat ?? '.4~g' },
    { field: 'end', title: 'to', format: xFormat ?? '.4~g' },
    { field: 'count', title: yTitle, format: options.normalize ? '.3~%' : 'd' },
  ];
  const encoding: Record<string, unknown> = {
    x: {
      field: 'start',
      type: 'quantitative',
      bin: 'binned',
      title: xTitle,
      scale: { zero: false, nice: false, domain: [start, start + nbins * step] },
      ...(xFormat ? { axis: { format: xFormat } } : {}),
    },
    x2: { field: 'end' },
    y: {
      field: 'count',
      type: 'quantitative',
      title: yTitle,
      stack: null,
      scale: { type: scale },
      ...(options.normalize ? { axis: { format: '~%' } } : {}),
    },
    tooltip: parts.map((p) => ({ ...p, type: p.field === 'group' ? 'nominal' : 'quantitative' })),
    description: { field: DESCRIPTION_FIELD, type: 'nominal' },
    ...(grouped ? { color: { field: 'group', type: 'nominal', title: groupTitle, scale: { domain: sets.map(([name]) => name) } } } : {}),
  };
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: subtitle === undefined ? title : { text: title, subtitle },
    config: PLOT_CONFIG,
    width: checkSize('width', options.width, 460),
    height: checkSize('height', options.height, 260),
    data: { values: rows },
    transform: [{ calculate: describeExpression(parts), as: DESCRIPTION_FIELD }],
    mark: { type: 'bar', binSpacing: 1, ...(grouped ? { opacity: 0.55 } : { color: '#4c78a8' }) },
    encoding,
  } as unknown as VegaLiteSpec;
  return vegaLitePlot(spec, title, 'histogram');
}

/** vega-statistics' `bin` (re-exported by vega at run time, missing from its typings). */
const niceBins = (
  vega as unknown as {
    bin(options: { extent: [number, number]; maxbins: number; nice: boolean }): { start: number; stop: number; step: number };
  }
).bin;

function namedSets(input: unknown): Array<[string, ArrayLike<number>]> {
  const isList = (v: unknown): v is ArrayLike<number> => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  let sets: Array<[string, ArrayLike<number>]>;
  if (isList(input)) sets = [['', input]];
  else if (input !== null && typeof input === 'object') sets = Object.entries(input);
  else throw new InvalidParameterError('values', input, 'an array of numbers, or { name: numbers }');
  if (sets.length === 0) throw new InvalidParameterError('values', input, 'at least one set of samples');
  for (const [name, values] of sets) {
    if (!isList(values) || values.length === 0) {
      throw new InvalidParameterError(name ? `values.${name}` : 'values', values, 'a non-empty array of numbers');
    }
  }
  return sets;
}
