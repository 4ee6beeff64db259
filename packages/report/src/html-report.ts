import { InvalidParameterError } from '@descent/tensor/errors';
import { escapeHtml, scriptJson } from './escape';
import { formatValue } from './format';
import type { Plot } from './plot';
import { SURFACE3D_CSS, SURFACE3D_SCRIPT, type Surface3D } from './surface3d';
import { checkTitle } from './validate';

/** A part of a report, in the order given: heading, text, plots, table, SVG. */
export interface ReportSection {
  heading: string;
  /** Plain text (escaped); a blank line starts a new paragraph. */
  text?: string;
  /** Rendered to inline SVG when the report is built. */
  plots?: ReadonlyArray<Plot>;
  /** Interactive 3-D surfaces (from `surface3d`), drawn after the plots; the page then carries one small inline script. */
  surfaces3d?: ReadonlyArray<Surface3D>;
  /** A table, e.g. from `table()`; trusted HTML, inserted as is. */
  tableHtml?: string;
  /** A ready-made SVG image; trusted markup, inserted as is. */
  svg?: string;
}

export interface ReportLink {
  href: string;
  label: string;
}

export interface HtmlReportOptions {
  title: string;
  subtitle?: string;
  /** Key facts for the table at the top (dataset, epochs, best test accuracy, wall time …). */
  summary?: Readonly<Record<string, unknown>>;
  sections: ReadonlyArray<ReportSection>;
  /** The run's configuration, shown as pretty-printed JSON. */
  config?: unknown;
  /** Package and runtime versions, shown in a table at the end. */
  versions?: Readonly<Record<string, string>>;
  /** Links shown in the footer (the only links out of the page). */
  links?: ReadonlyArray<ReportLink>;
  /** Time stamp under the title: default now; `null` leaves it out (for reproducible output). */
  generatedAt?: Date | string | null;
}

/** The id of the `<script type="application/json">` element holding the plots' Vega-Lite specifications. */
export const SPECS_ELEMENT_ID = 'descent-plot-specs';

/**
 * One self-contained HTML page: plots rendered to inline SVG on the server (nothing to load, no
 * scripts to run, opens offline), a summary table and contents at the top, then the sections,
 * the configuration and versions. The Vega-Lite specifications are embedded as JSON in
 * `<script type="application/json" id="descent-plot-specs">` — `[{ id, title, kind, spec }]`,
 * where `id` is the figure element's id — so that other tools can re-render or restyle them.
 */
export async function htmlReport(options: HtmlReportOptions): Promise<string> {
  if (options === null || typeof options !== 'object') throw new InvalidParameterError('options', options, 'an options object');
  const title = checkTitle('title', options.title);
  const subtitle = optionalString('subtitle', options.subtitle);
  if (!Array.isArray(options.sections)) {
    throw new InvalidParameterError('sections', options.sections, 'an array of { heading, text?, plots?, tableHtml?, svg? }');
  }
  const sections = options.sections.map(checkSection);
  const summary = checkRecord('summary', options.summary);
  const versions = checkRecord('versions', options.versions);
  if (versions) for (const [k, v] of versions) if (typeof v !== 'string') throw new InvalidParameterError(`versions.${k}`, v, 'a string');
  const links = checkLinks(options.links);
  const config = options.config === undefined ? undefined : prettyJson(options.config);
  const generated = generatedText(options.generatedAt);

  // Render every plot at once; figures are numbered through the report.
  const figures: Array<{ id: string; plot: Plot }> = [];
  for (const section of sections) for (const plot of section.plots) figures.push({ id: `figure-${figures.length + 1}`, plot });
  const svgs = await Promise.all(figures.map(({ plot }) => plot.toSvg()));
  let next = 0;
  let next3d = figures.length;

  const ids = sectionIds(sections.map((s) => s.heading));
  const body: string[] = [];
  body.push('<header>', `<h1>${escapeHtml(title)}</h1>`);
  if (subtitle) body.push(`<p class="subtitle">${escapeHtml(subtitle)}</p>`);
  if (generated) body.push(`<p class="meta">Generated ${escapeHtml(generated)}</p>`);
  body.push('</header>');

  if (summary && summary.length > 0) {
    body.push('<section class="summary" aria-label="Summary"><table class="descent-table key-values"><tbody>');
    for (const [k, v] of summary) body.push(`<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(formatValue(v))}</td></tr>`);
    body.push('</tbody></table></section>');
  }
  if (sections.length > 1) {
    body.push('<nav class="contents" aria-label="Contents"><ol>');
    sections.forEach((s, i) => body.push(`<li><a href="#${ids[i]}">${escapeHtml(s.heading)}</a></li>`));
    body.push('</ol></nav>');
  }

  sections.forEach((s, i) => {
    body.push(`<section id="${ids[i]}">`, `<h2>${escapeHtml(s.heading)}</h2>`);
    if (s.text) for (const p of s.text.split(/\n\s*\n/)) if (p.trim()) body.push(`<p>${escapeHtml(p.trim())}</p>`);
    for (const plot of s.plots) {
      const id = figures[next].id;
      body.push(`<figure class="plot" id="${id}" aria-label="${escapeHtml(plot.title)}">${scopeIds(svgs[next++], id)}</figure>`);
    }
    for (const surface of s.surfaces3d ?? []) body.push(surface.toHtml(`figure-${++next3d}`));
    if (s.tableHtml) body.push(`<div class="table-wrap">${s.tableHtml}</div>`);
    if (s.svg) body.push(`<figure class="plot">${scopeIds(s.svg, `${ids[i]}-svg`)}</figure>`);
    body.push('</section>');
  });

  if (config !== undefined) {
    body.push(
      '<section id="configuration"><h2>Configuration</h2>',
      `<pre class="config"><code>${escapeHtml(config)}</code></pre>`,
      '</section>'
    );
  }
  if ((versions && versions.length > 0) || links.length > 0) {
    body.push('<footer>');
    if (versions && versions.length > 0) {
      body.push('<h2>Versions</h2><table class="descent-table key-values"><tbody>');
      for (const [k, v] of versions)
        body.push(`<tr><th scope="row">${escapeHtml(k)}</th><td><code>${escapeHtml(v as string)}</code></td></tr>`);
      body.push('</tbody></table>');
    }
    if (links.length > 0) {
      body.push('<ul class="links">');
      for (const l of links) body.push(`<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a></li>`);
      body.push('</ul>');
    }
    body.push('</footer>');
  }
  if (figures.length > 0) {
    const specs = figures.map(({ id, plot }) => ({ id, title: plot.title, kind: plot.kind, spec: plot.spec }));
    body.push(`<script type="application/json" id="${SPECS_ELEMENT_ID}">${scriptJson(specs)}</script>`);
  }
  const has3d = next3d > figures.length;
  if (has3d) body.push(`<script>${SURFACE3D_SCRIPT}</script>`);

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="@descent/report">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}${has3d ? `\n${SURFACE3D_CSS}` : ''}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * Prefixes the ids inside an SVG (Vega names clip paths and gradients clip1, gradient_0, … in every
 * chart) so that several SVGs inlined in one page do not pick up each other's definitions.
 */
export function scopeIds(svg: string, prefix: string): string {
  const ids = new Set<string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) ids.add(m[1]);
  if (ids.size === 0) return svg;
  const scoped = (id: string) => (ids.has(id) ? `${prefix}-${id}` : id);
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_, a: string, id: string) => `${a}${scoped(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${scoped(id)})`)
    .replace(/(\s(?:xlink:)?href=")#([^"]+)"/g, (_, a: string, id: string) => `${a}#${scoped(id)}"`);
}

function checkSection(s: ReportSection, i: number): Required<Pick<ReportSection, 'heading' | 'plots'>> & ReportSection {
  if (s === null || typeof s !== 'object') {
    throw new InvalidParameterError(`sections[${i}]`, s, 'an object { heading, text?, plots?, tableHtml?, svg? }');
  }
  checkTitle(`sections[${i}].heading`, s.heading);
  optionalString(`sections[${i}].text`, s.text);
  optionalString(`sections[${i}].tableHtml`, s.tableHtml);
  optionalString(`sections[${i}].svg`, s.svg);
  if (s.svg !== undefined && !/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(s.svg)) {
    throw new InvalidParameterError(`sections[${i}].svg`, s.svg.slice(0, 40), 'an SVG document (starting with <svg)');
  }
  if (s.surfaces3d !== undefined && !Array.isArray(s.surfaces3d)) throw new InvalidParameterError(`sections[${i}].surfaces3d`, s.surfaces3d, 'an array of 3-D surfaces');
  (s.surfaces3d ?? []).forEach((p, j) => {
    if (p === null || typeof p !== 'object' || (p as Surface3D).kind !== 'surface3d' || typeof (p as Surface3D).toHtml !== 'function') {
      throw new InvalidParameterError(`sections[${i}].surfaces3d[${j}]`, p, 'a Surface3D (from surface3d)');
    }
  });
  const plots = s.plots ?? [];
  if (!Array.isArray(plots)) throw new InvalidParameterError(`sections[${i}].plots`, plots, 'an array of plots');
  plots.forEach((p, j) => {
    if (p === null || typeof p !== 'object' || typeof (p as Plot).toSvg !== 'function') {
      throw new InvalidParameterError(`sections[${i}].plots[${j}]`, p, 'a Plot (from lineChart, metricsPanels, heatmap, …)');
    }
  });
  return { ...s, plots };
}

function optionalString(parameter: string, v: unknown): string | undefined {
  if (v !== undefined && typeof v !== 'string') throw new InvalidParameterError(parameter, v, 'a string');
  return v;
}

function checkRecord(parameter: string, v: unknown): Array<[string, unknown]> | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InvalidParameterError(parameter, v, 'an object of name → value');
  return Object.entries(v);
}

const SAFE_HREF = /^(https?:\/\/|mailto:|#|\.{0,2}\/|[^:/?#]+(?:[/?#]|$))/i;

function checkLinks(v: unknown): ReportLink[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new InvalidParameterError('links', v, 'an array of { href, label }');
  return v.map((l: unknown, i) => {
    const link = l as ReportLink;
    if (link === null || typeof link !== 'object') throw new InvalidParameterError(`links[${i}]`, l, 'an object { href, label }');
    checkTitle(`links[${i}].label`, link.label);
    if (typeof link.href !== 'string' || !SAFE_HREF.test(link.href.trim())) {
      throw new InvalidParameterError(`links[${i}].href`, link.href, 'an http(s) or mailto URL, or a relative path');
    }
    return { href: link.href.trim(), label: link.label };
  });
}

function prettyJson(value: unknown): string {
  let out: string | undefined;
  try {
    out = JSON.stringify(
      value,
      (_, v: unknown) =>
        typeof v === 'bigint'
          ? v.toString()
          : ArrayBuffer.isView(v) && !(v instanceof DataView)
          ? Array.from(v as unknown as ArrayLike<number>)
          : v,
      2
    );
  } catch (e) {
    throw new InvalidParameterError('config', String(e), 'a JSON-serialisable value (no cycles)');
  }
  if (out === undefined) throw new InvalidParameterError('config', value, 'a JSON-serialisable value');
  return out;
}

function generatedText(v: unknown): string | undefined {
  if (v === null) return undefined;
  if (typeof v === 'string') return v;
  const date = v === undefined ? new Date() : v;
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new InvalidParameterError('generatedAt', v, 'a Date, a string or null');
  }
  const iso = date.toISOString(); // 2025-01-02T03:04:05.678Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

function sectionIds(headings: string[]): string[] {
  const used = new Set<string>(['configuration']);
  return headings.map((h, i) => {
    const slug = h
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 48);
    let id = slug && !/^figure-\d/.test(slug) ? slug : `section-${i + 1}`;
    for (let n = 2; used.has(id); n++) id = `${slug || 'section'}-${n}`;
    used.add(id);
    return id;
  });
}

const CSS = `
:root { color-scheme: light; --fg: #1d1d1f; --muted: #5f6368; --line: #e3e3e6; --soft: #f6f7f9; --accent: #2f6fb0; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: var(--fg); font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 40px 28px 64px; }
header { border-bottom: 1px solid var(--line); margin-bottom: 24px; padding-bottom: 16px; }
h1 { font-size: 30px; line-height: 1.2; margin: 0 0 6px; letter-spacing: -0.01em; }
h2 { font-size: 21px; margin: 44px 0 12px; padding-top: 4px; }
.subtitle { font-size: 18px; color: var(--muted); margin: 0 0 6px; }
.meta { font-size: 13px; color: var(--muted); margin: 0; }
p { max-width: 72ch; margin: 0 0 12px; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
.summary { margin: 0 0 20px; }
.contents { background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: 10px 20px; margin: 0 0 8px; }
.contents ol { margin: 0; padding-left: 20px; columns: 2 260px; }
.contents li { margin: 3px 0; }
figure.plot { margin: 16px 0 24px; overflow-x: auto; }
figure.plot svg { display: block; max-width: 100%; height: auto; }
.table-wrap { overflow-x: auto; margin: 12px 0 20px; }
table.descent-table { border-collapse: collapse; font-size: 14px; font-variant-numeric: tabular-nums; }
table.descent-table caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 6px; }
table.descent-table th, table.descent-table td { padding: 6px 12px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.descent-table thead th { border-bottom: 2px solid #c9c9ce; font-weight: 600; white-space: nowrap; }
table.descent-table tbody tr:nth-child(even) { background: var(--soft); }
table.key-values th { color: var(--muted); font-weight: 500; white-space: nowrap; }
pre.config { background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; overflow-x: auto; line-height: 1.45; }
footer { margin-top: 48px; border-top: 1px solid var(--line); padding-top: 8px; font-size: 14px; }
footer h2 { font-size: 17px; margin-top: 16px; }
footer .links { padding-left: 18px; }
@media print { main { max-width: none; padding: 0; } figure.plot, table { break-inside: avoid; } a { color: inherit; } }
`.trim();
