import { InvalidParameterError } from '@descent/tensor/errors';
import { DESCRIPTION_FIELD, PLOT_CONFIG, VEGA_LITE_SCHEMA, describeExpression, vegaLitePlot, type Plot, type VegaLiteSpec } from './plot';
import {
  checkLabel,
  checkNonEmptyArray,
  checkOnScale,
  checkOptionalText,
  checkScale,
  checkSize,
  checkTitle,
  type AxisScale,
} from './validate';

/** A point of a scatter plot or trajectory. */
export interface ScatterPoint {
  x: number;
  y: number;
  /** Series the point belongs to (optimizer, run); colours the point and, with `path`, separates the paths. */
  group?: string;
  /** A number to colour by (with `color: { by: 'value' }`), e.g. the loss or the epoch. */
  value?: number;
  /** Extra text for the tooltip. */
  label?: string;
}

export interface AxisOptions {
  title?: string;
  scale?: AxisScale;
  /** d3-format string for labels and tooltips. */
  format?: string;
}

export interface ScatterOptions {
  title: string;
  subtitle?: string;
  points: ReadonlyArray<ScatterPoint>;
  x?: AxisOptions;
  y?: AxisOptions;
  /**
   * Colour by `group` (categorical, one legend entry per group) or by `value` (sequential scale).
   * Default: by group when some point has one, otherwise a single colour.
   */
  color?: { by: 'group' | 'value'; title?: string; scale?: AxisScale };
  /** Join the points of each group in the given order (a trajectory); the first point gets a ring. */
  path?: boolean;
  width?: number;
  height?: number;
}

/** Checked trajectory data plus the layers that draw it; shared with the heatmap overlay. */
export interface PointLayers {
  layers: Array<Record<string, unknown>>;
  colorBy: 'group' | 'value' | 'none';
}

export const STEP_FIELD = 'step';

/**
 * A scatter plot — or, with `path: true`, trajectories (weight-space paths, optimizer paths on a
 * surface): points joined in order per group, with the start of each path ringed.
 *
 * @example
 * scatter({ title: 'Weights after each epoch (PCA)', path: true, x: { title: 'PC 1' }, y: { title: 'PC 2' },
 *   points: pcs.map(([x, y], epoch) => ({ x, y, group: 'Adam', label: `epoch ${epoch + 1}` })) });
 */
export function scatter(options: ScatterOptions): Plot {
  if (options === null || typeof options !== 'object') throw new InvalidParameterError('options', options, 'an options object');
  const title = checkTitle('title', options.title);
  const subtitle = checkOptionalText('subtitle', options.subtitle);
  const xScale = checkScale('x.scale', options.x?.scale);
  const yScale = checkScale('y.scale', options.y?.scale);
  const xTitle = checkOptionalText('x.title', options.x?.title) ?? 'x';
  const yTitle = checkOptionalText('y.title', options.y?.title) ?? 'y';
  const { layers } = pointLayers('points', options.points, {
    xScale,
    yScale,
    xTitle,
    yTitle,
    xFormat: checkOptionalText('x.format', options.x?.format),
    yFormat: checkOptionalText('y.format', options.y?.format),
    color: options.color,
    path: options.path,
  });
  // The axes live on the first layer; zero is not forced into either scale.
  const first = layers[0].encoding as Record<string, Record<string, unknown>>;
  first.x = { ...first.x, title: xTitle, scale: { type: xScale, ...(xScale === 'linear' ? { zero: false } : {}) } };
  first.y = { ...first.y, title: yTitle, scale: { type: yScale, ...(yScale === 'linear' ? { zero: false } : {}) } };
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: subtitle === undefined ? title : { text: title, subtitle },
    config: PLOT_CONFIG,
    width: checkSize('width', options.width, 420),
    height: checkSize('height', options.height, 340),
    layer: layers,
  } as unknown as VegaLiteSpec;
  return vegaLitePlot(spec, title, 'scatter');
}

/** Validates points and builds the point (and path) layers, each with its own inline data. */
export function pointLayers(
  parameter: string,
  input: unknown,
  o: {
    xScale: AxisScale;
    yScale: AxisScale;
    xTitle: string;
    yTitle: string;
    xFormat?: string;
    yFormat?: string;
    color?: ScatterOptions['color'];
    path?: boolean;
    /** Underlay the paths with a white halo (for paths drawn over a heatmap). */
    halo?: boolean;
  }
): PointLayers {
  const points = checkNonEmptyArray<ScatterPoint>(parameter, input);
  if (o.path !== undefined && typeof o.path !== 'boolean') throw new InvalidParameterError('path', o.path, 'a boolean');
  const color = o.color;
  if (color !== undefined && (color === null || typeof color !== 'object' || (color.by !== 'group' && color.by !== 'value'))) {
    throw new InvalidParameterError('color', color, "{ by: 'group' | 'value', title?, scale? }");
  }
  const valueScale = checkScale('color.scale', color?.scale);
  const hasGroups = points.some((p) => p?.group !== undefined);
  const colorBy = color?.by ?? (hasGroups ? 'group' : 'none');

  const steps = new Map<string, number>();
  const groups: string[] = [];
  const rows = points.map((p, i) => {
    if (p === null || typeof p !== 'object') {
      throw new InvalidParameterError(`${parameter}[${i}]`, p, 'an object { x, y, group?, value?, label? }');
    }
    const row: Record<string, number | string> = {
      x: checkOnScale(`${parameter}[${i}].x`, p.x, o.xScale),
      y: checkOnScale(`${parameter}[${i}].y`, p.y, o.yScale),
    };
    const group = p.group === undefined ? '' : checkLabel(`${parameter}[${i}].group`, p.group);
    if (hasGroups && group === '') {
      throw new InvalidParameterError(`${parameter}[${i}].group`, p.group, 'a group (some points have one, so all need one)');
    }
    if (hasGroups) row.group = group;
    if (!steps.has(group)) groups.push(group);
    const step = steps.get(group) ?? 0;
    steps.set(group, step + 1);
    row[STEP_FIELD] = step;
    if (colorBy === 'value' || p.value !== undefined) {
      row.value = checkOnScale(`${parameter}[${i}].value`, p.value, valueScale);
    }
    const label = checkOptionalText(`${parameter}[${i}].label`, p.label);
    if (label !== undefined) row.label = label;
    return row;
  });
  const hasValues = rows.some((r) => r.value !== undefined);
  const hasLabels = rows.some((r) => r.label !== undefined);

  const parts: Array<{ field: string; title: string; format?: string }> = [];
  if (hasGroups) parts.push({ field: 'group', title: colorBy === 'group' ? color?.title ?? 'Group' : 'Group' });
  if (o.path) parts.push({ field: STEP_FIELD, title: 'Step', format: 'd' });
  parts.push({ field: 'x', title: o.xTitle, format: o.xFormat ?? '.4~g' }, { field: 'y', title: o.yTitle, format: o.yFormat ?? '.4~g' });
  if (hasValues) parts.push({ field: 'value', title: color?.title ?? 'Value', format: '.4~g' });
  if (hasLabels) parts.push({ field: 'label', title: 'Note' });

  const colorEncoding =
    colorBy === 'group'
      ? { field: 'group', type: 'nominal', title: color?.title ?? 'Group', scale: { domain: groups } }
      : colorBy === 'value'
      ? { field: 'value', type: 'quantitative', title: color?.title ?? 'Value', scale: { type: valueScale, scheme: 'plasma' } }
      : undefined;
  const position = {
    x: { field: 'x', type: 'quantitative', ...(o.xFormat ? { axis: { format: o.xFormat } } : {}) },
    y: { field: 'y', type: 'quantitative', ...(o.yFormat ? { axis: { format: o.yFormat } } : {}) },
  };
  const data = { values: rows };
  const layers: Array<Record<string, unknown>> = [];
  if (o.path && o.halo) {
    layers.push({
      data,
      mark: { type: 'line', strokeWidth: 4.5, color: 'white', opacity: 0.8 },
      encoding: {
        ...position,
        ...(hasGroups ? { detail: { field: 'group', type: 'nominal' } } : {}),
        order: { field: STEP_FIELD, type: 'quantitative' },
      },
    });
  }
  if (o.path) {
    layers.push({
      data,
      mark: { type: 'line', strokeWidth: 2, opacity: 0.85, ...(colorBy === 'group' ? {} : { color: '#555' }) },
      encoding: {
        ...position,
        ...(colorBy === 'group' ? { color: colorEncoding } : hasGroups ? { detail: { field: 'group', type: 'nominal' } } : {}),
        order: { field: STEP_FIELD, type: 'quantitative' },
      },
    });
  }
  layers.push({
    data,
    transform: [{ calculate: describeExpression(parts), as: DESCRIPTION_FIELD }],
    mark: {
      type: 'point',
      filled: true,
      size: o.path ? 36 : 48,
      opacity: 0.95,
      stroke: 'white',
      strokeWidth: o.halo ? 0.4 : 0.8,
      ...(colorEncoding ? {} : { color: '#4c78a8' }),
    },
    encoding: {
      ...position,
      ...(colorEncoding ? { color: colorEncoding } : {}),
      tooltip: parts.map((p) => ({
        field: p.field,
        type: p.field === 'group' || p.field === 'label' ? 'nominal' : 'quantitative',
        title: p.title,
        format: p.format,
      })),
      description: { field: DESCRIPTION_FIELD, type: 'nominal' },
    },
  });
  if (o.path) {
    layers.push({
      data,
      transform: [{ filter: `datum.${STEP_FIELD} === 0` }],
      mark: { type: 'point', filled: false, size: 190, strokeWidth: 2, ...(colorBy === 'group' ? {} : { color: '#333' }) },
      encoding: { ...position, ...(colorBy === 'group' ? { color: colorEncoding } : {}) },
    });
  }
  return { layers, colorBy };
}
