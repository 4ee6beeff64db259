import { InvalidParameterError } from '@descent/tensor/errors';
import { DESCRIPTION_FIELD, PLOT_CONFIG, describeExpression, VEGA_LITE_SCHEMA, vegaLitePlot, type Plot, type VegaLiteSpec } from './plot';
import {
  checkFieldName,
  checkLabel,
  checkNonEmptyArray,
  checkOnScale,
  checkOptionalText,
  checkScale,
  checkSize,
  checkTitle,
  fieldRef,
  type AxisScale,
} from './validate';

/** An axis bound to a field of the data rows. */
export interface FieldAxis {
  field: string;
  /** Axis title; defaults to the field name. */
  title?: string;
  scale?: AxisScale;
  /** d3-format string for axis labels and tooltips, e.g. '.0%' or '.2e'. */
  format?: string;
}

export interface LineChartOptions {
  title: string;
  subtitle?: string;
  /** Numeric x values (epoch, step, α); every row needs a finite one. */
  x: FieldAxis;
  /** Numeric y values; `null` or `undefined` marks a missing value (NaN and ±Infinity are refused). */
  y: FieldAxis & { /** Include 0 in the y scale (default false). */ zero?: boolean };
  /** One line per distinct value of this field (run, optimizer, initializer); omit for a single line. */
  series?: { field: string; title?: string };
  data: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /** Draw a point at each value (default: when no line has more than 60 values). */
  points?: boolean;
  width?: number;
  height?: number;
}

/** Shared by lineChart and metricsPanels: one layer of lines (plus points) over quantitative axes. */
export interface LineUnit {
  x: { field: string; title: string; scale: AxisScale; format?: string; integer: boolean };
  y: { field: string; title: string; hoverTitle?: string; scale: AxisScale; format?: string; zero: boolean };
  series?: { field: string; title: string; domain: string[] };
  points: boolean;
  width: number;
  height: number;
}

export const MAX_POINTS_DRAWN = 60;

/**
 * A line chart of per-epoch (or per-step) values, one line per series, with points, a legend and
 * tooltips. Series keep the order in which they first appear in `data`.
 *
 * @example
 * lineChart({ title: 'Test loss', x: { field: 'epoch', title: 'Epoch' },
 *   y: { field: 'loss', title: 'Loss', scale: 'log' }, series: { field: 'optimizer', title: 'Optimizer' },
 *   data: [{ epoch: 1, loss: 0.9, optimizer: 'SGD' }, { epoch: 1, loss: 0.7, optimizer: 'Adam' }] });
 */
export function lineChart(options: LineChartOptions): Plot {
  if (options === null || typeof options !== 'object') throw new InvalidParameterError('options', options, 'an options object');
  const title = checkTitle('title', options.title);
  const subtitle = checkOptionalText('subtitle', options.subtitle);
  const rows = checkNonEmptyArray<Readonly<Record<string, unknown>>>('data', options.data);
  const xField = checkFieldName('x.field', options.x?.field);
  const yField = checkFieldName('y.field', options.y?.field);
  const sField = options.series === undefined ? undefined : checkFieldName('series.field', options.series.field);
  const fields = [xField, yField, sField].filter((f) => f !== undefined);
  if (new Set(fields).size !== fields.length) {
    throw new InvalidParameterError('series.field', sField ?? yField, 'x, y and series must be different fields');
  }
  const xScale = checkScale('x.scale', options.x.scale);
  const yScale = checkScale('y.scale', options.y.scale);

  const values: Array<Record<string, number | string | null>> = [];
  const domain: string[] = [];
  const seen = new Set<string>();
  const counts = new Map<string, number>();
  let present = 0;
  rows.forEach((row, i) => {
    if (row === null || typeof row !== 'object') throw new InvalidParameterError(`data[${i}]`, row, 'an object');
    const x = checkOnScale(`data[${i}].${xField}`, row[xField], xScale);
    const raw = row[yField];
    let y: number | null = null;
    if (raw !== null && raw !== undefined) {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) {
        throw new InvalidParameterError(`data[${i}].${yField}`, raw, 'a finite number, or null for a missing value');
      }
      y = checkOnScale(`data[${i}].${yField}`, raw, yScale);
      present++;
    }
    const value: Record<string, number | string | null> = { [xField]: x, [yField]: y };
    if (sField !== undefined) {
      const s = checkLabel(`data[${i}].${sField}`, row[sField]);
      if (!seen.has(s)) {
        seen.add(s);
        domain.push(s);
      }
      counts.set(s, (counts.get(s) ?? 0) + 1);
      value[sField] = s;
    }
    values.push(value);
  });
  if (present === 0) throw new InvalidParameterError(`data[*].${yField}`, null, 'at least one finite value');
  const longest = sField === undefined ? rows.length : Math.max(...counts.values());
  if (options.points !== undefined && typeof options.points !== 'boolean') {
    throw new InvalidParameterError('points', options.points, 'a boolean');
  }

  const unit = lineUnit({
    x: {
      field: xField,
      title: checkOptionalText('x.title', options.x.title) ?? xField,
      scale: xScale,
      format: checkOptionalText('x.format', options.x.format),
      integer: values.every((v) => Number.isInteger(v[xField])),
    },
    y: {
      field: yField,
      title: checkOptionalText('y.title', options.y.title) ?? yField,
      scale: yScale,
      format: checkOptionalText('y.format', options.y.format),
      zero: options.y.zero === true,
    },
    series:
      sField === undefined
        ? undefined
        : { field: sField, title: checkOptionalText('series.title', options.series?.title) ?? sField, domain },
    points: options.points ?? longest <= MAX_POINTS_DRAWN,
    width: checkSize('width', options.width, 460),
    height: checkSize('height', options.height, 280),
  });
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: subtitle === undefined ? title : { text: title, subtitle },
    config: PLOT_CONFIG,
    data: { values },
    ...unit,
  } as unknown as VegaLiteSpec;
  return vegaLitePlot(spec, title, 'line');
}

/** The mark and encodings of a line chart (no data, title or config). */
export function lineUnit(u: LineUnit): Record<string, unknown> {
  const x = fieldRef(u.x.field);
  const y = fieldRef(u.y.field);
  const parts: Array<{ field: string; title: string; format?: string }> = [];
  const encoding: Record<string, unknown> = {
    x: {
      field: x,
      type: 'quantitative',
      title: u.x.title,
      scale: { type: u.x.scale, ...(u.x.scale === 'linear' ? { zero: false } : {}) },
      axis: { ...(u.x.format ? { format: u.x.format } : u.x.integer ? { format: 'd', tickMinStep: 1 } : {}) },
    },
    y: {
      field: y,
      type: 'quantitative',
      title: u.y.title,
      scale: { type: u.y.scale, ...(u.y.scale === 'linear' ? { zero: u.y.zero } : {}) },
      // Flush end labels keep the top label inside the plot, so titles of side-by-side panels line up.
      axis: { labelFlush: true, ...(u.y.format ? { format: u.y.format } : {}) },
    },
  };
  if (u.series) {
    encoding.color = { field: fieldRef(u.series.field), type: 'nominal', title: u.series.title, scale: { domain: u.series.domain } };
    parts.push({ field: u.series.field, title: u.series.title });
  }
  parts.push(
    { field: u.x.field, title: u.x.title, format: u.x.format ?? (u.x.integer ? 'd' : '.4~g') },
    { field: u.y.field, title: u.y.hoverTitle ?? u.y.title, format: u.y.format ?? '.4~g' }
  );
  encoding.tooltip = parts.map((p) => ({
    field: fieldRef(p.field),
    type: p.field === u.series?.field ? 'nominal' : 'quantitative',
    title: p.title,
    format: p.format,
  }));
  encoding.description = { field: DESCRIPTION_FIELD, type: 'nominal' };
  return {
    width: u.width,
    height: u.height,
    transform: [{ calculate: describeExpression(parts), as: DESCRIPTION_FIELD }],
    mark: { type: 'line', interpolate: 'linear', point: u.points ? { filled: true, size: 30 } : false },
    encoding,
  };
}
