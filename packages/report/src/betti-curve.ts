import { InvalidParameterError } from '@descent/tensor/errors';
import { DESCRIPTION_FIELD, PLOT_CONFIG, VEGA_LITE_SCHEMA, describeExpression, vegaLitePlot, type Plot, type VegaLiteSpec } from './plot';
import { wrappedTitle } from './title';
import { checkNonEmptyArray, checkOptionalText, checkSize, checkTitle } from './validate';

/** One Betti curve, as @descent/topology's bettiCurve returns it, with its homology dimension. */
export interface BettiCurveInput {
  dimension: number;
  /** Filtration values, strictly increasing. */
  grid: ArrayLike<number>;
  /** Betti number (classes alive) at each grid value: integers ≥ 0. */
  values: ArrayLike<number>;
}

export interface BettiCurvesOptions {
  title: string;
  subtitle?: string;
  /** One curve per dimension (each dimension at most once). */
  curves: ReadonlyArray<BettiCurveInput>;
  /** Axis titles (default 'filtration value' and 'Betti number'). */
  x?: { title?: string };
  y?: { title?: string };
  width?: number;
  height?: number;
}

/**
 * Betti curves: the number of homology classes of each dimension alive at each filtration value
 * (β0 = connected components, β1 = loops), drawn as step functions, one colour per dimension.
 *
 * @example
 * bettiCurves({ title: 'Betti curves', curves: [0, 1].map((dimension) =>
 *   ({ dimension, ...bettiCurve(diagram, { dimension, grid: levels }) })) });
 */
export function bettiCurves(options: BettiCurvesOptions): Plot {
  if (options === null || typeof options !== 'object') throw new InvalidParameterError('options', options, 'an options object');
  const title = checkTitle('title', options.title);
  const subtitle = checkOptionalText('subtitle', options.subtitle);
  const xTitle = checkOptionalText('x.title', options.x?.title) ?? 'filtration value';
  const yTitle = checkOptionalText('y.title', options.y?.title) ?? 'Betti number';
  const width = checkSize('width', options.width, 460);
  const curves = checkNonEmptyArray<BettiCurveInput>('curves', options.curves);
  const rows: Array<{ t: number; betti: number; dimension: string }> = [];
  const labels: string[] = [];
  curves.forEach((c, i) => {
    if (c === null || typeof c !== 'object') throw new InvalidParameterError(`curves[${i}]`, c, 'an object { dimension, grid, values }');
    if (!Number.isInteger(c.dimension) || c.dimension < 0) throw new InvalidParameterError(`curves[${i}].dimension`, c.dimension, 'an integer ≥ 0');
    const label = `β${c.dimension}`;
    if (labels.includes(label)) throw new InvalidParameterError(`curves[${i}].dimension`, c.dimension, 'a dimension not given before');
    labels.push(label);
    const grid = c.grid;
    const values = c.values;
    if (!isArrayLike(grid) || grid.length < 2) throw new InvalidParameterError(`curves[${i}].grid`, grid, 'at least 2 filtration values');
    if (!isArrayLike(values) || values.length !== grid.length) {
      throw new InvalidParameterError(`curves[${i}].values`, isArrayLike(values) ? `${values.length} values` : values, `${grid.length} values, one per grid point`);
    }
    for (let k = 0; k < grid.length; k++) {
      const t = grid[k];
      if (typeof t !== 'number' || !Number.isFinite(t) || (k > 0 && t <= grid[k - 1])) {
        throw new InvalidParameterError(`curves[${i}].grid[${k}]`, t, 'finite and strictly increasing values');
      }
      const b = values[k];
      if (!Number.isInteger(b) || b < 0) throw new InvalidParameterError(`curves[${i}].values[${k}]`, b, 'an integer ≥ 0');
      rows.push({ t, betti: b, dimension: label });
    }
  });
  const parts = [
    { field: 'dimension', title: 'Curve' },
    { field: 't', title: xTitle, format: '.4~g' },
    { field: 'betti', title: yTitle, format: 'd' },
  ];
  const encoding = {
    x: { field: 't', type: 'quantitative', title: xTitle, scale: { zero: false, nice: false } },
    y: { field: 'betti', type: 'quantitative', title: yTitle, scale: { zero: true }, axis: { format: 'd', tickMinStep: 1 } },
    color: { field: 'dimension', type: 'nominal', title: 'Dimension', scale: { domain: labels } },
  };
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: wrappedTitle(title, subtitle, width + 80),
    config: PLOT_CONFIG,
    width,
    height: checkSize('height', options.height, 260),
    data: { values: rows },
    layer: [
      // A Betti curve is constant between events: step-after, value held until the next grid point.
      { mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 }, encoding },
      {
        transform: [{ calculate: describeExpression(parts), as: DESCRIPTION_FIELD }],
        mark: { type: 'point', opacity: 0, size: 40 },
        encoding: {
          ...encoding,
          tooltip: parts.map((p) => ({ field: p.field, type: p.field === 'dimension' ? 'nominal' : 'quantitative', title: p.title, format: p.format })),
          description: { field: DESCRIPTION_FIELD, type: 'nominal' },
        },
      },
    ],
  } as unknown as VegaLiteSpec;
  return vegaLitePlot(spec, title, 'line');
}

function isArrayLike(v: unknown): v is ArrayLike<number> {
  return (Array.isArray(v) || ArrayBuffer.isView(v)) && typeof (v as { length?: unknown }).length === 'number';
}
