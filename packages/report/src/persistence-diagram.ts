import { InvalidParameterError } from '@descent/tensor/errors';
import { DESCRIPTION_FIELD, PLOT_CONFIG, VEGA_LITE_SCHEMA, describeExpression, vegaLitePlot, type Plot, type VegaLiteSpec } from './plot';
import { checkPairs, dimensionLabel, niceTicks, type PersistencePoint } from './persistence-pairs';
import { wrappedTitle } from './title';
import { checkOptionalText, checkSize, checkTitle } from './validate';

export interface PersistenceDiagramOptions {
  title: string;
  subtitle?: string;
  /** The diagram: cubicalPersistence's pairs of any dimensions (death Infinity or null: essential). */
  pairs: ReadonlyArray<PersistencePoint>;
  /** Axis titles (default 'birth' and 'death'). */
  x?: { title?: string };
  y?: { title?: string };
  width?: number;
  height?: number;
}

/**
 * A persistence diagram: each pair a point (birth, death), coloured by homology dimension, above
 * the dashed diagonal death = birth (distance from it is persistence). Essential classes, which
 * never die, sit on a separate dashed line above every finite point, labelled ∞ on the death axis.
 *
 * @example
 * persistenceDiagram({ title: 'Persistence diagram', pairs: cubicalPersistence(grid) });
 */
export function persistenceDiagram(options: PersistenceDiagramOptions): Plot {
  if (options === null || typeof options !== 'object') throw new InvalidParameterError('options', options, 'an options object');
  const title = checkTitle('title', options.title);
  const subtitle = checkOptionalText('subtitle', options.subtitle);
  const xTitle = checkOptionalText('x.title', options.x?.title) ?? 'birth';
  const yTitle = checkOptionalText('y.title', options.y?.title) ?? 'death';
  const size = checkSize('width', options.width, 360);
  const height = checkSize('height', options.height, size);
  const { pairs, dimensions, lo, hi, essential } = checkPairs('pairs', options.pairs);

  const span = hi - lo > 0 ? hi - lo : Math.abs(hi) || 1;
  // The ∞ line sits a tenth of the value span above the largest finite value.
  const inf = hi + 0.12 * span;
  const domain = [lo - 0.04 * span, (essential > 0 ? inf : hi) + 0.05 * span];
  const ticks = niceTicks(lo, hi);
  const labels = dimensions.map(dimensionLabel);
  const rows = pairs.map((p) => ({
    dimension: dimensionLabel(p.dimension),
    birth: p.birth,
    death: p.death ?? inf,
    deathText: p.death === null ? '∞ (essential)' : formatNumber(p.death),
    persistence: p.death === null ? '∞' : formatNumber(p.death - p.birth),
  }));
  const parts = [
    { field: 'dimension', title: 'Dimension' },
    { field: 'birth', title: xTitle, format: '.4~g' },
    { field: 'deathText', title: yTitle },
    { field: 'persistence', title: 'Persistence' },
  ];
  const axisScale = { domain, nice: false, zero: false };
  const layers: Array<Record<string, unknown>> = [
    {
      // The diagonal death = birth across the whole plot.
      data: { values: [{ t: domain[0] }, { t: domain[1] }] },
      mark: { type: 'line', color: '#8a8a8a', strokeWidth: 1, strokeDash: [5, 4], clip: true },
      encoding: {
        x: { field: 't', type: 'quantitative', title: xTitle, scale: axisScale, axis: { values: ticks } },
        y: {
          field: 't',
          type: 'quantitative',
          title: yTitle,
          scale: axisScale,
          // The finite ticks, plus one at the essential line labelled ∞.
          axis: { values: essential > 0 ? [...ticks, inf] : ticks, labelExpr: essential > 0 ? `datum.value === ${inf} ? '∞' : datum.label` : 'datum.label' },
        },
      },
    },
  ];
  if (essential > 0) {
    layers.push({
      data: { values: [{ y: inf }] },
      mark: { type: 'rule', color: '#555', strokeWidth: 1, strokeDash: [2, 3] },
      encoding: { y: { field: 'y', type: 'quantitative' } },
    });
    layers.push({
      // Centred over the line: the diagonal crosses it near the right edge.
      data: { values: [{ x: (lo + hi) / 2, y: inf, text: 'essential (never dies)' }] },
      mark: { type: 'text', align: 'center', baseline: 'bottom', dy: -4, fontSize: 10, color: '#555' },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, text: { field: 'text' } },
    });
  }
  layers.push({
    data: { values: rows },
    transform: [{ calculate: describeExpression(parts), as: DESCRIPTION_FIELD }],
    mark: { type: 'point', filled: true, size: 46, opacity: 0.85, stroke: 'white', strokeWidth: 0.6 },
    encoding: {
      x: { field: 'birth', type: 'quantitative' },
      y: { field: 'death', type: 'quantitative' },
      color: { field: 'dimension', type: 'nominal', title: 'Dimension', scale: { domain: labels } },
      tooltip: parts.map((p) => ({ field: p.field, type: p.field === 'birth' ? 'quantitative' : 'nominal', title: p.title, ...(p.format ? { format: p.format } : {}) })),
      description: { field: DESCRIPTION_FIELD, type: 'nominal' },
    },
  });
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: wrappedTitle(title, subtitle, size + 80),
    config: PLOT_CONFIG,
    width: size,
    height,
    layer: layers,
  } as unknown as VegaLiteSpec;
  return vegaLitePlot(spec, title, 'scatter');
}

const formatNumber = (v: number): string => String(+v.toPrecision(4));
