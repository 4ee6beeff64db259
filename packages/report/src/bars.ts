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

/** One bar: a category (eigenvalue index, layer name) and its value; `group` sets bars side by side. */
export interface Bar {
  label: string | number;
  value: number;
  group?: string;
}

export interface BarsOptions {
  title: string;
  subtitle?: string;
  bars: ReadonlyArray<Bar>;
  /** The category axis (labels keep the order of `bars`). */
  x?: { title?: string };
  /** The value axis; a log scale needs positive values. */
  y?: { title?: string; scale?: AxisScale; format?: string };
  /** Legend title for the groups (default 'Group'). */
  groupTitle?: string;
  /** Bars along the y axis, categories down the side (default false). */
  horizontal?: boolean;
  width?: number;
  height?: number;
}

/**
 * A bar chart of values per category — spectra (singular values or Hessian eigenvalues by index),
 * per-layer statistics — with grouped bars when some bars have a `group`. Negative values are fine
 * on a linear scale.
 *
 * @example
 * bars({ title: 'Top Hessian eigenvalues', x: { title: 'index' }, y: { title: 'eigenvalue' },
 *   bars: eigenvalues.map((value, i) => ({ label: i + 1, value })) });
 */
export function bars(options: BarsOptions): Plot {
  if (options === null || typeof options !== 'object') throw new InvalidParameterError('options', options, 'an options object');
  const title = checkTitle('title', options.title);
  const subtitle = checkOptionalText('subtitle', options.subtitle);
  const input = checkNonEmptyArray<Bar>('bars', options.bars);
  const scale = checkScale('y.scale', options.y?.scale);
  const xTitle = checkOptionalText('x.title', options.x?.title) ?? 'category';
  const yTitle = checkOptionalText('y.title', options.y?.title) ?? 'value';
  const format = checkOptionalText('y.format', options.y?.format);
  const groupTitle = checkOptionalText('groupTitle', options.groupTitle) ?? 'Group';
  if (options.horizontal !== undefined && typeof options.horizontal !== 'boolean') {
    throw new InvalidParameterError('horizontal', options.horizontal, 'a boolean');
  }
  const grouped = input.some((b) => b?.group !== undefined);

  const labels: string[] = [];
  const groups: string[] = [];
  const seen = new Set<string>();
  const values = input.map((b, i) => {
    if (b === null || typeof b !== 'object') throw new InvalidParameterError(`bars[${i}]`, b, 'an object { label, value, group? }');
    const label = checkLabel(`bars[${i}].label`, b.label);
    const value = checkOnScale(`bars[${i}].value`, b.value, scale);
    const group = grouped ? checkLabel(`bars[${i}].group`, b.group) : '';
    const key = JSON.stringify([label, group]);
    if (seen.has(key)) throw new InvalidParameterError(`bars[${i}]`, b, 'a label (and group) not used by an earlier bar');
    seen.add(key);
    if (!labels.includes(label)) labels.push(label);
    if (grouped && !groups.includes(group)) groups.push(group);
    return grouped ? { label, value, group } : { label, value };
  });

  const parts = [
    ...(grouped ? [{ field: 'group', title: groupTitle }] : []),
    { field: 'label', title: xTitle },
    { field: 'value', title: yTitle, format: format ?? '.4~g' },
  ];
  const horizontal = options.horizontal === true;
  const [cat, val, offset] = horizontal ? ['y', 'x', 'yOffset'] : ['x', 'y', 'xOffset'];
  const encoding: Record<string, unknown> = {
    [cat]: {
      field: 'label',
      type: 'nominal',
      title: xTitle,
      sort: labels,
      axis: { labelOverlap: 'parity', ...(horizontal ? {} : { labelAngle: labels.some((l) => l.length > 6) ? -40 : 0 }) },
    },
    [val]: { field: 'value', type: 'quantitative', title: yTitle, scale: { type: scale }, ...(format ? { axis: { format } } : {}) },
    tooltip: parts.map((p) => ({ ...p, type: p.field === 'value' ? 'quantitative' : 'nominal' })),
    description: { field: DESCRIPTION_FIELD, type: 'nominal' },
  };
  if (grouped) {
    encoding.color = { field: 'group', type: 'nominal', title: groupTitle, scale: { domain: groups } };
    encoding[offset] = { field: 'group', type: 'nominal', sort: groups };
  } else {
    encoding.color = { value: '#4c78a8' };
  }
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: subtitle === undefined ? title : { text: title, subtitle },
    config: PLOT_CONFIG,
    width: checkSize(
      'width',
      options.width,
      horizontal ? 420 : Math.min(900, Math.max(300, labels.length * (grouped ? groups.length * 10 : 14)))
    ),
    height: checkSize(
      'height',
      options.height,
      horizontal ? Math.min(900, Math.max(160, labels.length * (grouped ? groups.length * 8 : 18))) : 280
    ),
    data: { values },
    transform: [{ calculate: describeExpression(parts), as: DESCRIPTION_FIELD }],
    mark: { type: 'bar' },
    encoding,
  } as unknown as VegaLiteSpec;
  return vegaLitePlot(spec, title, 'bars');
}
