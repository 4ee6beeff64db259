import { InvalidParameterError } from '@descent/tensor/errors';
import { checkMatrix, poolMatrix, type MatrixLike } from './matrix';
import { DESCRIPTION_FIELD, PLOT_CONFIG, VEGA_LITE_SCHEMA, describeExpression, vegaLitePlot, type Plot, type VegaLiteSpec } from './plot';
import { wrappedTitle } from './title';
import { checkOptionalText, checkScale, checkSize, checkTitle, type AxisScale } from './validate';

export interface ScalogramOptions {
  title: string;
  subtitle?: string;
  /** Real part of the CWT coefficients, scales × positions (cwt's `re`). */
  re: MatrixLike;
  /** Imaginary part for complex wavelets (cwt's `im`); the map shows √(re² + im²). */
  im?: MatrixLike | null;
  /** The scale of each row: positive and strictly monotone. */
  scales: ArrayLike<number>;
  /** Position of each column, strictly increasing (default 0, 1, …). */
  positions?: ArrayLike<number>;
  /** Position axis title (default 'position'). */
  x?: { title?: string };
  /** Scale axis title (default 'scale') and scale type; 'log' suits geometric scales. */
  y?: { title?: string; scale?: AxisScale };
  /** Wider transforms are averaged over blocks of columns, at most this many drawn (default 240). */
  maxColumns?: number;
  /** A sequential Vega colour scheme (default 'viridis'). */
  scheme?: string;
  width?: number;
  height?: number;
}

/**
 * A scalogram: the magnitude |W(scale, position)| of a continuous wavelet transform as a heatmap,
 * positions across, scales down a labelled axis (smallest scale at the top, as in an image of
 * the coefficient matrix). Each row covers the interval between its neighbours' midpoints (in log
 * space on a log axis), so uneven scales keep their true extent.
 *
 * @example
 * const scales = Array.from({ length: 32 }, (_, i) => 2 ** (i / 6));
 * const w = cwt(signal, scales, 'morl');
 * scalogram({ title: 'CWT (morl)', re: w.re, im: w.im, scales, y: { scale: 'log' } });
 */
export function scalogram(options: ScalogramOptions): Plot {
  if (options === null || typeof options !== 'object') throw new InvalidParameterError('options', options, 'an options object');
  const title = checkTitle('title', options.title);
  const subtitle = checkOptionalText('subtitle', options.subtitle);
  const yScale = checkScale('y.scale', options.y?.scale);
  const xTitle = checkOptionalText('x.title', options.x?.title) ?? 'position';
  const yTitle = checkOptionalText('y.title', options.y?.title) ?? 'scale';
  const scheme = checkOptionalText('scheme', options.scheme) ?? 'viridis';
  const maxColumns = options.maxColumns ?? 240;
  if (!Number.isInteger(maxColumns) || maxColumns < 2) throw new InvalidParameterError('maxColumns', options.maxColumns, 'an integer ≥ 2');
  const re = checkMatrix('re', options.re);
  const im = options.im == null ? null : checkMatrix('im', options.im);
  if (im && (im.rows !== re.rows || im.cols !== re.cols)) throw new InvalidParameterError('im shape', [im.rows, im.cols], `${re.rows}×${re.cols} (the shape of re)`);
  const scales = checkArray('scales', options.scales, re.rows, 'one per row of re');
  const increasing = scales.length < 2 || scales[1] > scales[0];
  scales.forEach((s, i) => {
    if (!(s > 0) || (i > 0 && (increasing ? s <= scales[i - 1] : s >= scales[i - 1]))) {
      throw new InvalidParameterError(`scales[${i}]`, s, 'positive and strictly increasing (or strictly decreasing) scales');
    }
  });
  const positions = options.positions === undefined ? Float64Array.from({ length: re.cols }, (_, i) => i) : checkArray('positions', options.positions, re.cols, 'one per column of re');
  positions.forEach((p, i) => {
    if (i > 0 && p <= positions[i - 1]) throw new InvalidParameterError(`positions[${i}]`, p, 'strictly increasing positions');
  });

  const mag = new Float64Array(re.data.length);
  for (let i = 0; i < mag.length; i++) mag[i] = im ? Math.hypot(re.data[i], im.data[i]) : Math.abs(re.data[i]);
  const pooled = poolMatrix({ data: mag, rows: re.rows, cols: re.cols }, re.rows, maxColumns, 'mean');
  const block = pooled.colBlock;
  // Column edges: each drawn column spans its block of positions.
  const pe = edges(positions, false);
  const se = edges(increasing ? scales : scales.slice().reverse(), yScale === 'log');
  const cells = [];
  for (let r = 0; r < pooled.rows; r++) {
    const k = increasing ? r : pooled.rows - 1 - r;
    for (let c = 0; c < pooled.cols; c++) {
      const first = c * block;
      const last = Math.min(re.cols, first + block) - 1;
      cells.push({
        position: block === 1 ? positions[first] : (positions[first] + positions[last]) / 2,
        x0: pe[first],
        x1: pe[last + 1],
        scale: scales[r],
        y0: se[k],
        y1: se[k + 1],
        value: pooled.data[r * pooled.cols + c],
      });
    }
  }
  const valueTitle = '|W|';
  const parts = [
    { field: 'scale', title: yTitle, format: '.4~g' },
    { field: 'position', title: xTitle, format: '.4~g' },
    { field: 'value', title: valueTitle, format: '.4~g' },
  ];
  const width = checkSize('width', options.width, 560);
  const height = checkSize('height', options.height, 300);
  const colorScale = { scheme, zero: true, nice: false };
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: wrappedTitle(title, block > 1 ? `${subtitle === undefined ? '' : `${subtitle}; `}mean over blocks of ${block} positions` : subtitle, width + 80),
    config: { ...PLOT_CONFIG, view: { stroke: null } },
    width,
    height,
    data: { values: cells },
    transform: [
      { calculate: describeExpression(parts), as: DESCRIPTION_FIELD },
      { calculate: 'datum.value', as: '_stroke' },
    ],
    // Past a few thousand cells, per-cell screen-reader labels (and hover titles) would dominate the SVG's size.
    mark: { type: 'rect', strokeWidth: 0.4, ...(cells.length > 4000 ? { aria: false } : {}) },
    encoding: {
      x: { field: 'x0', type: 'quantitative', title: xTitle, scale: { domain: [pe[0], pe[pe.length - 1]], nice: false, zero: false }, axis: { grid: false } },
      x2: { field: 'x1' },
      y: {
        field: 'y0',
        type: 'quantitative',
        title: yTitle,
        scale: { type: yScale, domain: [se[0], se[se.length - 1]], nice: false, ...(yScale === 'linear' ? { zero: false } : {}), reverse: true },
        axis: { grid: false, ...(yScale === 'log' ? { tickCount: 6 } : {}) },
      },
      y2: { field: 'y1' },
      color: { field: 'value', type: 'quantitative', title: valueTitle, scale: colorScale, legend: { gradientLength: Math.max(60, height - 40) } },
      stroke: { field: '_stroke', type: 'quantitative', scale: colorScale, legend: null },
      tooltip: parts.map((p) => ({ ...p, type: 'quantitative' })),
      description: { field: DESCRIPTION_FIELD, type: 'nominal' },
    },
  } as unknown as VegaLiteSpec;
  return vegaLitePlot(spec, title, 'heatmap');
}

function checkArray(parameter: string, v: unknown, length: number, what: string): Float64Array {
  if (!(Array.isArray(v) || ArrayBuffer.isView(v)) || (v as ArrayLike<number>).length !== length) {
    throw new InvalidParameterError(parameter, Array.isArray(v) || ArrayBuffer.isView(v) ? `${(v as ArrayLike<number>).length} values` : v, `${length} values, ${what}`);
  }
  const out = Float64Array.from(v as ArrayLike<number>);
  out.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new InvalidParameterError(`${parameter}[${i}]`, (v as ArrayLike<number>)[i], 'a finite number');
  });
  return out;
}

/** Cell edges around increasing centres: midpoints (geometric on a log axis), half a step beyond the ends. */
function edges(c: Float64Array, log: boolean): Float64Array {
  const n = c.length;
  const f = log ? Math.log : (v: number) => v;
  const g = log ? Math.exp : (v: number) => v;
  const out = new Float64Array(n + 1);
  if (n === 1) {
    out[0] = log ? c[0] / Math.SQRT2 : c[0] - 0.5;
    out[1] = log ? c[0] * Math.SQRT2 : c[0] + 0.5;
    return out;
  }
  for (let i = 1; i < n; i++) out[i] = g((f(c[i - 1]) + f(c[i])) / 2);
  out[0] = g(f(c[0]) - (f(c[1]) - f(c[0])) / 2);
  out[n] = g(f(c[n - 1]) + (f(c[n - 1]) - f(c[n - 2])) / 2);

  if (!log && out[0] <= 0) out[0] = c[0] / 2;
  return out;
}
