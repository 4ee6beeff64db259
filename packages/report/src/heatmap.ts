import { InvalidParameterError } from '@descent/tensor/errors';
import { cellEdges, checkGrid, type GridInput } from './grid';
import { isolines } from './isolines';
import { DESCRIPTION_FIELD, PLOT_CONFIG, VEGA_LITE_SCHEMA, describeExpression, vegaLitePlot, type Plot, type VegaLiteSpec } from './plot';
import { pointLayers, type ScatterPoint } from './scatter';
import { checkOptionalText, checkScale, checkSize, checkTitle, type AxisScale } from './validate';

/** A copy of the value that drives the cells' stroke colour (a separate field keeps one legend). */
const STROKE_FIELD = '_stroke';

export interface HeatmapOptions {
  title: string;
  subtitle?: string;
  /** `grid[r][c]` is the value at `(x[c], y[r])`; row 0 is drawn at the bottom. */
  grid: GridInput;
  /** Column coordinates, strictly increasing (e.g. λ₁ steps along the first direction). */
  x: ArrayLike<number>;
  /** Row coordinates, strictly increasing. */
  y: ArrayLike<number>;
  xTitle?: string;
  yTitle?: string;
  /** Legend title of the colour scale (default 'value'). */
  valueTitle?: string;
  /** Colour scale: 'log' suits losses that span decades (values must then be positive). */
  scale?: AxisScale;
  /** A sequential Vega colour scheme (default 'viridis'). */
  scheme?: string;
  /**
   * Isolines over the cells: `true` for about 10 nice levels, a number for about that many, explicit
   * levels as an array, or `false` for none (the default of `heatmap`; `contour` defaults to `true`).
   */
  isolines?: boolean | number | readonly number[];
  /** Trajectories drawn on top (optimizer paths on the surface), joined per group in order. */
  paths?: ReadonlyArray<ScatterPoint>;
  /** Legend title for the path groups (default 'Path'). */
  pathsTitle?: string;
  width?: number;
  height?: number;
}

/**
 * A heatmap of values on a grid (a loss surface over two directions), with a sequential colour
 * scale, optional isolines (a contour plot) and optional trajectories on top.
 *
 * @example
 * heatmap({ title: 'Loss surface', grid: losses, x: alphas, y: betas,
 *   xTitle: 'λ₁ (top eigenvector)', yTitle: 'λ₂', valueTitle: 'loss', scale: 'log' });
 */
export function heatmap(options: HeatmapOptions): Plot {
  if (options === null || typeof options !== 'object') throw new InvalidParameterError('options', options, 'an options object');
  const title = checkTitle('title', options.title);
  const subtitle = checkOptionalText('subtitle', options.subtitle);
  const scale = checkScale('scale', options.scale);
  const grid = checkGrid(options.grid, options.x, options.y, scale === 'log');
  const xTitle = checkOptionalText('xTitle', options.xTitle) ?? 'x';
  const yTitle = checkOptionalText('yTitle', options.yTitle) ?? 'y';
  const valueTitle = checkOptionalText('valueTitle', options.valueTitle) ?? 'value';
  const scheme = checkOptionalText('scheme', options.scheme) ?? 'viridis';
  const levels = checkLevels(options.isolines, scale);
  const width = checkSize('width', options.width, 420);
  const height = checkSize('height', options.height, 360);

  const xe = cellEdges(grid.x);
  const ye = cellEdges(grid.y);
  const cells = [];
  for (let r = 0; r < grid.rows; r++) {
    for (let c = 0; c < grid.cols; c++) {
      cells.push({ x: grid.x[c], y: grid.y[r], x0: xe[c], x1: xe[c + 1], y0: ye[r], y1: ye[r + 1], value: grid.values[r * grid.cols + c] });
    }
  }
  const parts = [
    { field: 'x', title: xTitle, format: '.4~g' },
    { field: 'y', title: yTitle, format: '.4~g' },
    { field: 'value', title: valueTitle, format: '.4~g' },
  ];
  const colorScale = { type: scale, scheme, ...(scale === 'linear' ? { zero: false, nice: false } : {}) };
  const layers: Array<Record<string, unknown>> = [
    {
      data: { values: cells },
      transform: [
        { calculate: describeExpression(parts), as: DESCRIPTION_FIELD },
        { calculate: 'datum.value', as: STROKE_FIELD },
      ],
      // A hairline stroke in the fill colour closes the anti-aliasing seams between cells.
      mark: { type: 'rect', strokeWidth: 0.6 },
      encoding: {
        x: {
          field: 'x0',
          type: 'quantitative',
          title: xTitle,
          scale: { domain: [xe[0], xe[grid.cols]], nice: false, zero: false },
          axis: { grid: false },
        },
        x2: { field: 'x1' },
        y: {
          field: 'y0',
          type: 'quantitative',
          title: yTitle,
          scale: { domain: [ye[0], ye[grid.rows]], nice: false, zero: false },
          axis: { grid: false },
        },
        y2: { field: 'y1' },
        color: {
          field: 'value',
          type: 'quantitative',
          title: valueTitle,
          scale: colorScale,
          legend: { gradientLength: Math.max(60, height - 40) },
        },
        stroke: { field: STROKE_FIELD, type: 'quantitative', scale: colorScale, legend: null },
        tooltip: parts.map((p) => ({ ...p, type: 'quantitative' })),
        description: { field: DESCRIPTION_FIELD, type: 'nominal' },
      },
    },
  ];
  if (levels !== false) {
    const lines = isolines(grid, levels, scale === 'log');
    const values = lines.flatMap((line, id) => line.points.map(([x, y], i) => ({ x, y, level: line.level, line: id, i })));
    if (values.length > 0) {
      layers.push({
        data: { values },
        mark: { type: 'line', color: '#111', strokeWidth: 0.8, opacity: 0.45, interpolate: 'linear' },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          detail: { field: 'line', type: 'nominal' },
          order: { field: 'i', type: 'quantitative' },
        },
      });
    }
  }
  let groups = false;
  if (options.paths !== undefined) {
    const overlay = pointLayers('paths', options.paths, {
      xScale: 'linear',
      yScale: 'linear',
      xTitle,
      yTitle,
      path: true,
      halo: true,
      color: { by: 'group', title: checkOptionalText('pathsTitle', options.pathsTitle) ?? 'Path' },
    });
    groups = overlay.colorBy === 'group';
    // Nested, so that the paths share one colour scale (and legend) apart from the heatmap's.
    layers.push({ layer: overlay.layers.map((layer) => ({ ...layer, mark: { ...(layer.mark as object), clip: true } })) });
  }
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: subtitle === undefined ? title : { text: title, subtitle },
    config: { ...PLOT_CONFIG, view: { stroke: null } },
    width,
    height,
    layer: layers,
    ...(groups ? { resolve: { scale: { color: 'independent' } } } : {}),
  } as unknown as VegaLiteSpec;
  return vegaLitePlot(spec, title, 'heatmap');
}

/** A heatmap with isolines by default (about 10 nice levels): a filled contour plot. */
export function contour(options: HeatmapOptions): Plot {
  return heatmap({ ...options, isolines: options.isolines ?? true });
}

function checkLevels(value: unknown, scale: AxisScale): false | number | number[] {
  if (value === undefined || value === false) return false;
  if (value === true) return 10;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1 || value > 100) {
      throw new InvalidParameterError('isolines', value, 'true, false, an integer in [1, 100] or an array of levels');
    }
    return value;
  }
  if (Array.isArray(value) && value.length > 0) {
    value.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || (scale === 'log' && v <= 0)) {
        throw new InvalidParameterError(`isolines[${i}]`, v, scale === 'log' ? 'a positive finite level' : 'a finite level');
      }
    });
    return [...value].sort((a, b) => a - b);
  }
  throw new InvalidParameterError('isolines', value, 'true, false, an integer in [1, 100] or a non-empty array of levels');
}
