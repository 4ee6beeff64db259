import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { SPECS_ELEMENT_ID, heatmap, htmlReport, lineChart, table, type HtmlReportOptions } from '@descent/report';
import { scopeIds } from '../src/html-report';


const curve = lineChart({
  title: 'Loss',
  x: { field: 'epoch' },
  y: { field: 'loss' },
  series: { field: 'run' },
  data: [1, 2, 3].flatMap((epoch) => ['a', 'b'].map((run) => ({ epoch, run, loss: 1 / epoch + (run === 'a' ? 0 : 0.1) }))),
});
const surface = heatmap({
  title: 'Surface',
  grid: [
    [1, 2],
    [3, 4],
  ],
  x: [0, 1],
  y: [0, 1],
  isolines: [2.5],
});
const surface2 = heatmap({
  title: 'Surface 2',
  grid: [
    [4, 3],
    [2, 1],
  ],
  x: [0, 1],
  y: [0, 1],
  scheme: 'magma',
});

const options: HtmlReportOptions = {
  title: 'Optimizer comparison <FashionMNIST>',
  subtitle: 'SGD vs Adam',
  summary: { dataset: 'FashionMNIST', epochs: 20, 'best test accuracy': 0.8912 },
  sections: [
    { heading: 'Learning curves', text: 'First paragraph.\n\nSecond & last paragraph.', plots: [curve] },
    { heading: 'Loss surfaces', plots: [surface, surface2] },
    { heading: 'Results', tableHtml: table([{ run: 'a', acc: 0.9 }]) },
    {
      heading: 'Hand-made',
      svg: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><clipPath id="c"><rect width="5" height="5"/></clipPath></defs><rect clip-path="url(#c)" width="10" height="10"/></svg>',
    },
  ],
  config: { lr: 1e-3, betas: [0.9, 0.999], weights: Float32Array.of(1, 2), seed: 42n },
  versions: { '@descent/report': '0.1.0', node: 'v20.19.0' },
  links: [
    { href: 'https://github.com/example/descent', label: 'Source' },
    { href: 'results.csv', label: 'Raw results' },
  ],
  generatedAt: null,
};

describe('htmlReport', () => {
  it('contains every section, the summary, contents, config and versions', async () => {
    const html = await htmlReport(options);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<title>Optimizer comparison &lt;FashionMNIST&gt;</title>');
    for (const s of options.sections) expect(html).toContain(`<h2>${s.heading}</h2>`);
    expect(html).toContain('<p>First paragraph.</p>\n<p>Second &amp; last paragraph.</p>');
    expect(html).toContain('<tr><th scope="row">best test accuracy</th><td>0.8912</td></tr>');
    expect(html).toContain('<li><a href="#loss-surfaces">Loss surfaces</a></li>');
    expect(html).toContain('id="loss-surfaces"');
    expect(html).toContain('<td style="text-align:right">0.9</td>');
    expect(html).toContain('&quot;betas&quot;: [\n    0.9,\n    0.999\n  ]');
    expect(html).toContain('&quot;weights&quot;: [\n    1,\n    2\n  ]');
    expect(html).toContain('&quot;seed&quot;: &quot;42&quot;');
    expect(html).toContain('<code>v20.19.0</code>');
    expect(html).not.toContain('Generated');
  });

  it('inlines each plot as SVG, needs no script or stylesheet to load, and links out only where asked', async () => {
    const html = await htmlReport(options);
    expect(html.match(/<figure class="plot" id="figure-\d+"/g)).toHaveLength(3);
    expect(html.match(/<svg[\s>]/g)).toHaveLength(4);
    expect(html).not.toMatch(/<script(?![^>]*type="application\/json")/);
    expect(html).not.toMatch(/<link\b|@import|<iframe|<img\b/);
    const urls = [...html.matchAll(/\s(?:src|href|xlink:href)\s*=\s*"([^"]*)"/g)].map((m) => m[1]);
    const external = urls.filter((u) => /^(https?:)?\/\//i.test(u));
    expect(external).toEqual(['https://github.com/example/descent']);
    expect(html).not.toMatch(/url\((?!#)/);
  });

  it('embeds the Vega-Lite specifications as JSON for reuse', async () => {
    const html = await htmlReport(options);
    const m = new RegExp(`<script type="application/json" id="${SPECS_ELEMENT_ID}">([^<]*)</script>`).exec(html);
    expect(m).not.toBeNull();
    const specs = JSON.parse(m![1]) as Array<{ id: string; title: string; kind: string; spec: unknown }>;
    expect(specs.map((s) => [s.id, s.title, s.kind])).toEqual([
      ['figure-1', 'Loss', 'line'],
      ['figure-2', 'Surface', 'heatmap'],
      ['figure-3', 'Surface 2', 'heatmap'],
    ]);
    expect(specs[1].spec).toEqual(JSON.parse(JSON.stringify(surface.spec)));
  });

  it('keeps the ids of inlined SVGs unique, and their references pointing home', async () => {
    const html = await htmlReport(options);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
    const refs = [...html.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(refs).toContain('hand-made-svg-c');
    for (const ref of refs) expect(ids).toContain(ref);
    // Both heatmaps draw a colour gradient; each legend points at its own.
    const gradients = refs.filter((r) => r.includes('gradient'));
    expect(gradients).toHaveLength(2);
    expect(gradients[0]).toMatch(/^figure-2-/);
    expect(gradients[1]).toMatch(/^figure-3-/);
  });

  it('escapes text and keeps the spec JSON from closing its script element', async () => {
    const sneaky = lineChart({ title: '</script><b>x</b>', x: { field: 'e' }, y: { field: 'v' }, data: [{ e: 1, v: 1 }] });
    const html = await htmlReport({ title: 'T', sections: [{ heading: '<i>h</i>', text: 'a < b', plots: [sneaky] }], generatedAt: null });
    expect(html).toContain('<h2>&lt;i&gt;h&lt;/i&gt;</h2>');
    expect(html).toContain('<p>a &lt; b</p>');
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html).not.toContain('<b>x</b>');
  });

  it('stamps the time it was generated unless told not to', async () => {
    const html = await htmlReport({ title: 'T', sections: [], generatedAt: new Date('2025-01-02T03:04:05Z') });
    expect(html).toContain('<p class="meta">Generated 2025-01-02 03:04:05 UTC</p>');
  });

  it.each<[string, Partial<HtmlReportOptions>]>([
    ['no title', { title: '' }],
    ['sections that are not an array', { sections: {} as never }],
    ['a section without a heading', { sections: [{ heading: '' }] }],
    ['a plot that is not a Plot', { sections: [{ heading: 'h', plots: [{}] as never }] }],
    ['an svg that is not SVG', { sections: [{ heading: 'h', svg: '<div></div>' }] }],
    ['a javascript: link', { links: [{ href: 'javascript:alert(1)', label: 'x' }] }],
    ['a data: link', { links: [{ href: 'data:text/html,hi', label: 'x' }] }],
    ['a link without a label', { links: [{ href: 'a.html', label: '' }] }],
    [
      'a config with a cycle',
      {
        config: (() => {
          const o: Record<string, unknown> = {};
          o.self = o;
          return o;
        })(),
      },
    ],
    ['a non-string version', { versions: { node: 20 } as never }],
    ['an invalid date', { generatedAt: new Date(NaN) }],
  ])('refuses %s', async (_, change) => {
    await expect(htmlReport({ title: 'T', sections: [], ...change })).rejects.toThrow(InvalidParameterError);
  });
});

describe('scopeIds', () => {
  it('prefixes ids and the references to them, and nothing else', () => {
    const svg = '<svg><clipPath id="clip1"/><g clip-path="url(#clip1)" fill="url(#other)"><use href="#clip1"/></g></svg>';
    expect(scopeIds(svg, 'f1')).toBe(
      '<svg><clipPath id="f1-clip1"/><g clip-path="url(#f1-clip1)" fill="url(#other)"><use href="#f1-clip1"/></g></svg>'
    );
  });
});
