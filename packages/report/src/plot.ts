import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { InvalidParameterError } from '@descent/tensor/errors';

/** A Vega-Lite specification: plain JSON with the data inlined, so it can be saved, embedded or edited. */
export type VegaLiteSpec = TopLevelSpec;

/** What produced a {@link Plot}. */
export type PlotKind = 'line' | 'panels' | 'heatmap' | 'scatter' | 'bars' | 'histogram' | 'custom';

/**
 * A chart: its Vega-Lite specification plus a renderer to SVG that runs in Node without a browser.
 * `JSON.stringify(plot)` gives the specification.
 */
export interface Plot {
  readonly kind: PlotKind;
  /** The chart's title (also used to label the figure in reports). */
  readonly title: string;
  /** The Vega-Lite specification, data inlined. */
  readonly spec: VegaLiteSpec;
  /** Renders the specification to a standalone SVG document (a string starting with `<svg`). */
  toSvg(): Promise<string>;
  toJSON(): VegaLiteSpec;
}

/** The Vega-Lite schema the specifications are written against (a name, never fetched). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** The shared look of every Descent plot (a Vega-Lite `config`). */
export const PLOT_CONFIG = {
  font: FONT,
  background: 'white',
  padding: 12,
  title: { fontSize: 15, fontWeight: 600, anchor: 'start', offset: 12, color: '#1a1a1a', subtitleFontSize: 12, subtitleColor: '#555' },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 500,
    titleColor: '#333',
    labelColor: '#444',
    gridColor: '#ececec',
    domainColor: '#999',
    tickColor: '#999',
    labelOverlap: true,
    titlePadding: 8,
  },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, labelLimit: 240, symbolSize: 90, symbolStrokeWidth: 2.5 },
  header: { labelFontSize: 12, titleFontSize: 13 },
  view: { stroke: '#d6d6d6' },
  range: { category: { scheme: 'tableau10' } },
  line: { strokeWidth: 2 },
  point: { size: 30, filled: true },
  concat: { spacing: 28 },
} as const;

/** Builds a {@link Plot} around a specification; `title` defaults to the specification's title. */
export function vegaLitePlot(spec: VegaLiteSpec, title?: string, kind: PlotKind = 'custom'): Plot {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new InvalidParameterError('spec', spec, 'a Vega-Lite specification object');
  }
  return {
    kind,
    title: title ?? specTitle(spec),
    spec,
    toSvg: () => renderSvg(spec),
    toJSON: () => spec,
  };
}

/**
 * Renders a Vega-Lite specification to SVG in Node: Vega-Lite compiles it to Vega, a headless
 * Vega view (renderer 'none') draws it. Without the optional `canvas` package text widths are
 * estimated, which only affects spacing. Marks with a tooltip get an SVG `<title>` so that the
 * static SVG still shows tooltips on hover.
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return addHoverTitles(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * Adds `<title>` children (browser hover text) to the single-datum marks (points, bars, cells) that
 * Vega labelled for screen readers; a line's label would only describe its first point.
 */
function addHoverTitles(svg: string): string {
  return svg.replace(/<(path|rect)(\s[^>]*)\/>/g, (element, tag: string, attributes: string) => {
    const label = /\saria-label="([^"]*)"/.exec(attributes);
    const single = /\srole="graphics-symbol"/.test(attributes) && !/aria-roledescription="(line|area) mark"/.test(attributes);
    if (!label || !single) return element;
    return `<${tag}${attributes}><title>${label[1]}</title></${tag}>`;
  });
}

function specTitle(spec: VegaLiteSpec): string {
  const title: unknown = (spec as { title?: unknown }).title;
  if (typeof title === 'string') return title;
  if (Array.isArray(title)) return title.join(' ');
  const text = (title as { text?: unknown } | undefined)?.text;
  return typeof text === 'string' ? text : Array.isArray(text) ? text.join(' ') : '';
}

/**
 * A Vega expression building the hover/screen-reader text of a datum, e.g. "Run: SGD; Epoch: 3;
 * Loss: 0.4812", with each number formatted by its d3-format string. Use it in a `calculate`
 * transform and encode the result as `description`.
 */
export function describeExpression(parts: ReadonlyArray<{ title: string; field: string; format?: string }>): string {
  return parts
    .map(({ title, field, format }) => {
      const value = `datum[${JSON.stringify(field)}]`;
      const shown = format === undefined ? value : `(isValid(${value}) ? format(${value}, ${JSON.stringify(format)}) : '–')`;
      return `${JSON.stringify(`${title}: `)} + ${shown}`;
    })
    .join(` + '; ' + `);
}

/** The data field that holds {@link describeExpression}'s text. */
export const DESCRIPTION_FIELD = '_description';
