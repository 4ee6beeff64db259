import { InvalidParameterError } from '@descent/tensor/errors';
import { DESCRIPTION_FIELD, PLOT_CONFIG, VEGA_LITE_SCHEMA, describeExpression, vegaLitePlot, type Plot, type VegaLiteSpec } from './plot';
import { checkPairs, dimensionLabel, niceTicks, type CheckedPair, type PersistencePoint } from './persistence-pairs';
import { wrappedTitle } from './title';
import { checkOptionalText, checkSize, checkTitle } from './validate';

export interface BarcodeOptions {
  title: string;
  subtitle?: string;
  /** The diagram: cubicalPersistence's pairs of any dimensions (death Infinity or null: essential). */
  pairs: ReadonlyArray<PersistencePoint>;
  /** Title of the filtration axis (default 'filtration value'). */
  x?: { title?: string };
  /**
   * Draw at most this many bars (default 300): the longest ones, essential first, per dimension in
   * proportion to its share; the subtitle then says how many were left out.
   */
  maxBars?: number;
  width?: number;
  /** Default: 7 px per bar, between 120 and 640. */
  height?: number;
}

/**
 * A persistence barcode: one horizontal bar per pair from birth to death, grouped by homology
 * dimension (H0 on top) and coloured by it, longest first within a dimension. Essential classes
 * run to the right edge of the plot, end in an arrowhead and are labelled ∞ (the axis too).
 *
 * @example
 * barcode({ title: 'Barcode', pairs: cubicalPersistence(grid) });
 */
export function barcode(options: BarcodeOptions): Plot {
  if (options === null || typeof options !== 'object') throw new InvalidParameterError('options', options, 'an options object');
  const title = checkTitle('title', options.title);
  let subtitle = checkOptionalText('subtitle', options.subtitle);
  const xTitle = checkOptionalText('x.title', options.x?.title) ?? 'filtration value';
  const maxBars = options.maxBars ?? 300;
  if (!Number.isInteger(maxBars) || maxBars < 1) throw new InvalidParameterError('maxBars', options.maxBars, 'an integer ≥ 1');
  const width = checkSize('width', options.width, 460);
  const checked = checkPairs('pairs', options.pairs);
  const { dimensions, lo, hi, essential } = checked;

  const length = (p: CheckedPair) => (p.death === null ? Infinity : p.death - p.birth);
  const byDim = dimensions.map((d) => checked.pairs.filter((p) => p.dimension === d).sort((a, b) => length(b) - length(a) || a.birth - b.birth));
  const total = checked.pairs.length;
  let kept = byDim;
  if (total > maxBars) {
    // Each dimension keeps its share of the budget (at least one bar).
    kept = byDim.map((ps) => ps.slice(0, Math.max(1, Math.floor((maxBars * ps.length) / total))));
    const shown = kept.reduce((s, ps) => s + ps.length, 0);
    const note = `the ${shown} longest of ${total} bars`;
    subtitle = subtitle === undefined ? note : `${subtitle}; ${note}`;
  }
  const span = hi - lo > 0 ? hi - lo : Math.abs(hi) || 1;
  const edge = hi + 0.1 * span;
  const domain = [lo - 0.03 * span, essential > 0 ? edge : hi + 0.03 * span];
  const ticks = niceTicks(lo, hi);
  const rows: Array<Record<string, string | number>> = [];
  kept.forEach((ps) =>
    ps.forEach((p) =>
      rows.push({
        index: rows.length,
        dimension: dimensionLabel(p.dimension),
        birth: p.birth,
        end: p.death ?? edge,
        deathText: p.death === null ? '∞ (essential)' : String(+p.death.toPrecision(4)),
        essential: p.death === null ? 1 : 0,
      }),
    ),
  );
  const height = checkSize('height', options.height, Math.min(640, Math.max(120, rows.length * 7)));
  const parts = [
    { field: 'dimension', title: 'Dimension' },
    { field: 'birth', title: 'birth', format: '.4~g' },
    { field: 'deathText', title: 'death' },
  ];
  const y = { field: 'index', type: 'ordinal', axis: null, scale: { paddingInner: rows.length > 60 ? 0.15 : 0.3 } };
  // The ∞ labels sit right of the plot: the legend keeps its distance from them.
  const color = { field: 'dimension', type: 'nominal', title: 'Dimension', scale: { domain: dimensions.map(dimensionLabel) }, legend: { offset: essential > 0 ? 26 : 18 } };
  const layers: Array<Record<string, unknown>> = [
    {
      data: { values: rows },
      transform: [{ calculate: describeExpression(parts), as: DESCRIPTION_FIELD }],
      mark: { type: 'bar', cornerRadius: 0 },
      encoding: {
        y,
        x: {
          field: 'birth',
          type: 'quantitative',
          title: xTitle,
          scale: { domain, nice: false, zero: false },
          axis: { values: essential > 0 ? [...ticks, edge] : ticks, labelExpr: essential > 0 ? `datum.value === ${edge} ? '∞' : datum.label` : 'datum.label', grid: true },
        },
        x2: { field: 'end' },
        color,
        tooltip: parts.map((p) => ({ field: p.field, type: p.field === 'birth' ? 'quantitative' : 'nominal', title: p.title, ...(p.format ? { format: p.format } : {}) })),
        description: { field: DESCRIPTION_FIELD, type: 'nominal' },
      },
    },
  ];
  if (essential > 0) {
    // Arrowheads at the right edge, and an ∞ beside each essential bar.
    layers.push({
      data: { values: rows },
      transform: [{ filter: 'datum.essential === 1' }],
      mark: { type: 'point', shape: 'triangle-right', filled: true, size: 70, opacity: 1, xOffset: -3 },
      encoding: { y, x: { field: 'end', type: 'quantitative' }, color },
    });
    layers.push({
      data: { values: rows },
      transform: [{ filter: 'datum.essential === 1' }, { calculate: "'∞'", as: 'label' }],
      mark: { type: 'text', align: 'left', dx: 4, fontSize: 13, color: '#333' },
      encoding: { y, x: { field: 'end', type: 'quantitative' }, text: { field: 'label' } },
    });
  }
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: wrappedTitle(title, subtitle, width + 80),
    config: PLOT_CONFIG,
    width,
    height,
    layer: layers,
  } as unknown as VegaLiteSpec;
  return vegaLitePlot(spec, title, 'bars');
}
