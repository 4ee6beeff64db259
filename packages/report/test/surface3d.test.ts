import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { htmlReport, lineChart, surface3d, SURFACE3D_SCRIPT } from '@descent/report';

const xs = [-1, -0.5, 0, 0.5, 1];
const bowl = xs.map((y) => xs.map((x) => 1 + x * x + 2 * y * y));

describe('surface3d', () => {
  it('embeds the grid as JSON in a figure with a canvas, its rotation and a text description', () => {
    const s = surface3d({ title: 'Loss surface', subtitle: 'a bowl', grid: bowl, x: xs, y: xs, xTitle: 'λ₁', yTitle: 'λ₂', valueTitle: 'loss' });
    expect(s.kind).toBe('surface3d');
    const html = s.toHtml('figure-7');
    expect(html).toMatch(/^<figure class="plot surface3d" id="figure-7" aria-label="Loss surface">/);
    expect(html).toMatch(/<canvas width="640" height="460" tabindex="0" role="img" data-yaw="0.6" data-pitch="0.55"/);
    const json = /<script type="application\/json" class="surface3d-data">([^<]*)<\/script>/.exec(html)![1];
    const data = JSON.parse(json);
    expect(data.x).toEqual(xs);
    expect(data.z).toHaveLength(25);
    // Row-major: z[r * cols + c] is the value at (x[c], y[r]).
    expect(data.z[1 * 5 + 4]).toBeCloseTo(1 + 1 + 2 * 0.25);
    expect(html).toContain('minimum 1 at (0, 0), maximum 4 at (-1, -1)');
    expect(html).toContain('<noscript>');
  });

  it('thins large grids by a stride and keeps the last row and column', () => {
    const n = 251; // stride 3: 0, 3, …, 249, then 250 (kept)
    const axis = Array.from({ length: n }, (_, i) => i);
    const s = surface3d({ title: 'big', grid: { values: new Float64Array(n * n).map((_, i) => i), rows: n, cols: n }, x: axis, y: axis, maxPoints: 100 });
    expect(s.data.x).toHaveLength(85);
    expect(s.data.x.at(-1)).toBe(250);
    expect(s.data.z).toHaveLength(85 * 85);
    expect(s.data.z.at(-1)).toBe(n * n - 1);
  });

  it('rejects bad input with InvalidParameterError', () => {
    expect(() => surface3d({ title: '', grid: bowl, x: xs, y: xs })).toThrow(InvalidParameterError);
    expect(() => surface3d({ title: 't', grid: bowl, x: xs.slice(1), y: xs })).toThrow(InvalidParameterError);
    expect(() => surface3d({ title: 't', grid: [[1, NaN], [1, 2]], x: [0, 1], y: [0, 1] })).toThrow(/grid\[0\]\[1\]/);
    expect(() => surface3d({ title: 't', grid: [[1, 0], [1, 2]], x: [0, 1], y: [0, 1], scale: 'log' })).toThrow(InvalidParameterError);
    expect(() => surface3d({ title: 't', grid: bowl, x: xs, y: xs, yaw: Infinity })).toThrow(/yaw/);
    expect(() => surface3d({ title: 't', grid: bowl, x: xs, y: xs }).toHtml('1 bad')).toThrow(InvalidParameterError);
  });

  it('puts the script in a report once, only when a section has a 3-D surface, and numbers the figures on', async () => {
    const curve = lineChart({ title: 'Loss', x: { field: 'e' }, y: { field: 'v' }, data: [{ e: 1, v: 1 }, { e: 2, v: 0.5 }] });
    const s = surface3d({ title: 'Bowl', grid: bowl, x: xs, y: xs });
    const html = await htmlReport({ title: 'r', sections: [{ heading: 'a', plots: [curve], surfaces3d: [s, s] }], generatedAt: null });
    expect(html.split(SURFACE3D_SCRIPT)).toHaveLength(2);
    expect([...html.matchAll(/<figure[^>]*\sid="([^"]+)"/g)].map((m) => m[1])).toEqual(['figure-1', 'figure-2', 'figure-3']);
    expect(html).not.toMatch(/\ssrc=|https?:\/\/(?!vega\.github\.io\/schema|www\.w3\.org)/);
    const plain = await htmlReport({ title: 'r', sections: [{ heading: 'a', plots: [curve] }], generatedAt: null });
    expect(plain).not.toContain('<script>');
    await expect(htmlReport({ title: 'r', sections: [{ heading: 'a', surfaces3d: [curve as never] }] })).rejects.toThrow(/surfaces3d\[0\]/);
  });

  it('keeps the script free of anything that would end its element early', () => {
    expect(SURFACE3D_SCRIPT).not.toMatch(/<\/script|<!--/i);
  });
});
