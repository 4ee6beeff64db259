import { InvalidParameterError } from '@descent/tensor/errors';
import { checkMatrix, poolMatrix, type Matrix, type MatrixLike } from './matrix';
import { PLOT_CONFIG, VEGA_LITE_SCHEMA, vegaLitePlot, type Plot, type VegaLiteSpec } from './plot';
import { checkNonEmptyArray, checkOptionalText, checkSize, checkTitle } from './validate';

/** The detail bands of one level of a 2-D wavelet decomposition (pywt's cH, cV, cD). */
export interface WaveletDetailBands {
  /** 1 = finest. */
  level: number;
  horizontal: MatrixLike;
  vertical: MatrixLike;
  diagonal: MatrixLike;
}

export interface WaveletMapsOptions {
  title: string;
  subtitle?: string;
  /** The approximation cA at the coarsest level. */
  approximation: MatrixLike;
  /** Detail bands per level, coarsest first (wavedec2's order, multiscaleAnalysis' `details`). */
  details: ReadonlyArray<WaveletDetailBands>;
  /** Width of one panel in pixels (default 130). */
  panelSize?: number;
  /** Larger bands are drawn in blocks of cells (largest |c| per block), at most this many per side (default 64). */
  maxCells?: number;
  /** A sequential Vega colour scheme (default 'viridis'). */
  scheme?: string;
}

/**
 * Wavelet coefficient maps per level: one row per level, coarsest first, with the panels cA
 * (coarsest row only), H, V and D. Details are drawn as |c| relative to the panel's largest |c|,
 * the approximation as (cA − min)/(max − min), so one colour legend (0 … 1) serves every panel;
 * each panel's title gives its scale (max |c|, or the range of cA). Row 0 of a band is at the
 * bottom, as in `heatmap`.
 *
 * @example
 * const ms = multiscaleAnalysis(grid, { wavelet: 'haar', level: 2 });
 * waveletCoefficientMaps({ title: 'Coefficients', approximation: ms.approximation, details: ms.details });
 */
export function waveletCoefficientMaps(options: WaveletMapsOptions): Plot {
  if (options === null || typeof options !== 'object') throw new InvalidParameterError('options', options, 'an options object');
  const title = checkTitle('title', options.title);
  const subtitle = checkOptionalText('subtitle', options.subtitle);
  const scheme = checkOptionalText('scheme', options.scheme) ?? 'viridis';
  const size = checkSize('panelSize', options.panelSize, 130);
  const maxCells = options.maxCells ?? 64;
  if (!Number.isInteger(maxCells) || maxCells < 2) throw new InvalidParameterError('maxCells', options.maxCells, 'an integer ≥ 2');
  const approximation = checkMatrix('approximation', options.approximation);
  const details = checkNonEmptyArray<WaveletDetailBands>('details', options.details);
  const levels = new Set<number>();
  const checked = details.map((d, i) => {
    if (d === null || typeof d !== 'object') throw new InvalidParameterError(`details[${i}]`, d, 'an object { level, horizontal, vertical, diagonal }');
    if (!Number.isInteger(d.level) || d.level < 1 || levels.has(d.level)) {
      throw new InvalidParameterError(`details[${i}].level`, d.level, 'an integer ≥ 1, each level once');
    }
    levels.add(d.level);
    return { level: d.level, bands: (['horizontal', 'vertical', 'diagonal'] as const).map((b) => checkMatrix(`details[${i}].${b}`, d[b])) };
  });
  const color = { field: 'v', type: 'quantitative', title: ['relative', 'magnitude'], scale: { domain: [0, 1], scheme, nice: false } };
  const panel = (m: Matrix, heading: string, note: string, kind: 'approximation' | 'detail'): Record<string, unknown> => {
    const mags = kind === 'detail' ? { ...m, data: m.data.map(Math.abs) } : m;
    const p = poolMatrix(mags, maxCells, maxCells, kind === 'detail' ? 'max' : 'mean');
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of p.data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (kind === 'detail') lo = 0;
    const cells = [];
    for (let r = 0; r < p.rows; r++) {
      for (let c = 0; c < p.cols; c++) {
        const v = hi > lo ? (p.data[r * p.cols + c] - lo) / (hi - lo) : 0;
        // The stroke (closing anti-aliasing seams) reads a copy: the same field would merge its legend into the colour's.
        cells.push({ r, c, v, s: v });
      }
    }
    const pooled = p.rowBlock > 1 || p.colBlock > 1 ? `, ${p.rowBlock}×${p.colBlock} blocks` : '';
    return {
      title: { text: heading, subtitle: `${note}${pooled}`, fontSize: 12, subtitleFontSize: 10, offset: 4 },
      width: size,
      height: Math.round(Math.max(20, Math.min(4 * size, (size * p.rows) / p.cols))),
      data: { values: cells },
      mark: { type: 'rect', strokeWidth: 0.5 },
      encoding: {
        x: { field: 'c', type: 'ordinal', axis: null, scale: { paddingInner: 0, paddingOuter: 0 } },
        y: { field: 'r', type: 'ordinal', axis: null, sort: 'descending', scale: { paddingInner: 0, paddingOuter: 0 } },
        color,
        stroke: { ...color, field: 's', legend: null },
        tooltip: [
          { field: 'r', type: 'ordinal', title: 'row' },
          { field: 'c', type: 'ordinal', title: 'column' },
          { field: 'v', type: 'quantitative', title: 'relative', format: '.3f' },
        ],
      },
    };
  };
  const fmt = (v: number) => String(+v.toPrecision(3));
  const range = (m: Matrix) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of m.data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return `${fmt(lo)} … ${fmt(hi)}`;
  };
  const maxAbs = (m: Matrix) => m.data.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
  // A grid of four columns (cA, H, V, D); finer levels leave the cA column empty so the bands line up.
  const blank = { width: size, height: 20, data: { values: [] }, mark: { type: 'point' } };
  const panels = checked.flatMap((d, i) => [
    i === 0 ? panel(approximation, `cA, level ${d.level}`, `${range(approximation)}`, 'approximation') : blank,
    ...d.bands.map((b, k) => panel(b, `${'HVD'[k]}, level ${d.level}`, `max |c| ${fmt(maxAbs(b))}`, 'detail')),
  ]);
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle: subtitle ?? 'H: detail along axis 0 (rows), V: along axis 1 (columns), D: diagonal; colour relative to each panel' },
    config: { ...PLOT_CONFIG, view: { stroke: null }, concat: { spacing: 16 } },
    columns: 4,
    concat: panels,
  } as unknown as VegaLiteSpec;
  return vegaLitePlot(spec, title, 'heatmap');
}
