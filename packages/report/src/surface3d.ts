import { InvalidParameterError } from '@descent/tensor/errors';
import { escapeHtml, scriptJson } from './escape';
import { formatValue } from './format';
import { checkGrid, type GridInput } from './grid';
import { checkOptionalText, checkScale, checkSize, checkTitle, type AxisScale } from './validate';

export interface Surface3DOptions {
  title: string;
  subtitle?: string;
  /** `grid[r][c]` is the value at `(x[c], y[r])`, as for `heatmap`. */
  grid: GridInput;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  xTitle?: string;
  yTitle?: string;
  /** Name of the height (default 'value'). */
  valueTitle?: string;
  /** Height and colour on a log scale (values must be positive); suits losses that span decades. */
  scale?: AxisScale;
  /** Canvas size in CSS pixels (default 640 × 460). */
  width?: number;
  height?: number;
  /** Grids larger than this per axis are thinned by a stride to keep the page small (default 100). */
  maxPoints?: number;
  /** Initial view: rotation about the vertical axis and elevation, in radians (default 0.6, 0.55). */
  yaw?: number;
  pitch?: number;
}

/** What the page's script reads (embedded as JSON in the figure). */
export interface Surface3DData {
  title: string;
  x: number[];
  y: number[];
  /** Row-major heights, `z[r * x.length + c]`. */
  z: number[];
  xTitle: string;
  yTitle: string;
  valueTitle: string;
  scale: AxisScale;
  width: number;
  height: number;
  yaw: number;
  pitch: number;
}

/**
 * An interactive 3-D surface for an HTML report: a `<canvas>` drawn by a small inline script (no
 * library, nothing loaded), rotated by dragging or the arrow keys. Put it in a report section's
 * `surfaces3d`; `htmlReport` adds the script once per page.
 */
export interface Surface3D {
  readonly kind: 'surface3d';
  readonly title: string;
  readonly data: Surface3DData;
  /** The `<figure>` element with the canvas, the data and a text description (shown without scripts too). */
  toHtml(id: string): string;
  toJSON(): Surface3DData;
}

/**
 * A rotatable 3-D view of values on a grid (a loss surface over two directions): a shaded,
 * coloured wireframe with a colour bar. The text under it (range, minimum, grid) is there without
 * JavaScript as well. The rotation is kept in the canvas's `data-yaw` and `data-pitch` attributes.
 *
 * @example
 * surface3d({ title: 'Loss surface', grid: losses, x: alphas, y: betas, xTitle: 'λ₁', yTitle: 'λ₂', valueTitle: 'loss' });
 */
export function surface3d(options: Surface3DOptions): Surface3D {
  if (options === null || typeof options !== 'object') throw new InvalidParameterError('options', options, 'an options object');
  const title = checkTitle('title', options.title);
  const subtitle = checkOptionalText('subtitle', options.subtitle);
  const scale = checkScale('scale', options.scale);
  const grid = checkGrid(options.grid, options.x, options.y, scale === 'log');
  const maxPoints = options.maxPoints ?? 100;
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new InvalidParameterError('maxPoints', maxPoints, 'an integer ≥ 2');
  const angle = (name: string, v: unknown, fallback: number) => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidParameterError(name, v, 'a finite number of radians');
    return v;
  };
  // Thin large grids by a stride, always keeping the last row and column.
  const pick = (n: number) => {
    const stride = Math.ceil(n / maxPoints);
    const idx: number[] = [];
    for (let i = 0; i < n; i += stride) idx.push(i);
    if (idx[idx.length - 1] !== n - 1) idx.push(n - 1);
    return idx;
  };
  const cols = pick(grid.cols);
  const rows = pick(grid.rows);
  const round = (v: number) => Number(v.toPrecision(6));
  const z: number[] = [];
  for (const r of rows) for (const c of cols) z.push(round(grid.values[r * grid.cols + c]));
  const data: Surface3DData = {
    title,
    x: cols.map((c) => round(grid.x[c])),
    y: rows.map((r) => round(grid.y[r])),
    z,
    xTitle: checkOptionalText('xTitle', options.xTitle) ?? 'x',
    yTitle: checkOptionalText('yTitle', options.yTitle) ?? 'y',
    valueTitle: checkOptionalText('valueTitle', options.valueTitle) ?? 'value',
    scale,
    width: checkSize('width', options.width, 640),
    height: checkSize('height', options.height, 460),
    yaw: angle('yaw', options.yaw, 0.6),
    pitch: angle('pitch', options.pitch, 0.55),
  };

  let best = 0;
  let worst = 0;
  for (let i = 1; i < grid.values.length; i++) {
    if (grid.values[i] < grid.values[best]) best = i;
    if (grid.values[i] > grid.values[worst]) worst = i;
  }
  const at = (i: number) => `(${formatValue(grid.x[i % grid.cols])}, ${formatValue(grid.y[Math.floor(i / grid.cols)])})`;
  const thinned = rows.length < grid.rows || cols.length < grid.cols ? ` (drawn thinned to ${cols.length} × ${rows.length})` : '';
  const description =
    `${data.valueTitle} over a ${grid.cols} × ${grid.rows} grid of ${data.xTitle} ∈ [${formatValue(grid.x[0])}, ${formatValue(grid.x[grid.cols - 1])}] ` +
    `and ${data.yTitle} ∈ [${formatValue(grid.y[0])}, ${formatValue(grid.y[grid.rows - 1])}]${thinned}; ` +
    `minimum ${formatValue(grid.values[best])} at ${at(best)}, maximum ${formatValue(grid.values[worst])} at ${at(worst)}` +
    `${scale === 'log' ? '; height and colour on a log scale' : ''}.`;

  return {
    kind: 'surface3d',
    title,
    data,
    toJSON: () => data,
    toHtml(id: string): string {
      if (typeof id !== 'string' || !/^[A-Za-z][\w-]*$/.test(id)) throw new InvalidParameterError('id', id, 'an HTML id (letters, digits, - and _)');
      return [
        `<figure class="plot surface3d" id="${id}" aria-label="${escapeHtml(title)}">`,
        `<div class="surface3d-title">${escapeHtml(title)}</div>`,
        subtitle ? `<div class="surface3d-subtitle">${escapeHtml(subtitle)}</div>` : '',
        `<canvas width="${data.width}" height="${data.height}" tabindex="0" role="img" data-yaw="${data.yaw}" data-pitch="${data.pitch}" data-draws="0" ` +
          `aria-label="${escapeHtml(`3-D surface: ${description} Drag or use the arrow keys to rotate.`)}"></canvas>`,
        `<figcaption>${escapeHtml(description)} <span class="surface3d-hint">Drag, or focus and use the arrow keys, to rotate.</span></figcaption>`,
        '<noscript><p class="surface3d-fallback">The rotatable 3-D view needs JavaScript; the text above describes the surface.</p></noscript>',
        `<script type="application/json" class="surface3d-data">${scriptJson(data)}</script>`,
        '</figure>',
      ].join('');
    },
  };
}

/**
 * The one script a page with 3-D surfaces carries (inline, about 4 kB). Written by hand because
 * Vega has no 3-D marks and a plotting library such as plotly.js would add megabytes to every
 * report. It draws each surface's quads back to front (painter's algorithm) under an orthographic
 * projection, filled with the viridis colour of their height and shaded by their tilt towards the
 * light, then a base frame, axis names and a colour bar.
 */
export const SURFACE3D_SCRIPT = String.raw`(function () {
  'use strict';
  var STOPS = [[68,1,84],[72,40,120],[62,74,137],[49,104,142],[38,130,142],[31,158,137],[53,183,121],[109,205,89],[180,222,44],[253,231,37]];
  function colour(t, shade) {
    t = Math.max(0, Math.min(1, t)) * (STOPS.length - 1);
    var i = Math.min(STOPS.length - 2, Math.floor(t)), f = t - i, a = STOPS[i], b = STOPS[i + 1];
    return 'rgb(' + [0, 1, 2].map(function (k) { return Math.round((a[k] + f * (b[k] - a[k])) * shade); }).join(',') + ')';
  }
  function fmt(v) { return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : String(+v.toPrecision(4)); }
  function setup(figure) {
    var d = JSON.parse(figure.querySelector('script.surface3d-data').textContent);
    var canvas = figure.querySelector('canvas'), ctx = canvas.getContext('2d');
    var nx = d.x.length, ny = d.y.length, log = d.scale === 'log';
    var h = d.z.map(function (v) { return log ? Math.log10(v) : v; });
    var lo = Math.min.apply(null, h), hi = Math.max.apply(null, h), span = hi - lo || 1;
    var sx = function (c) { return 2 * (d.x[c] - d.x[0]) / (d.x[nx - 1] - d.x[0]) - 1; };
    var sy = function (r) { return 2 * (d.y[r] - d.y[0]) / (d.y[ny - 1] - d.y[0]) - 1; };
    var sz = function (v) { return 1.2 * (v - lo) / span - 0.6; };
    var yaw = d.yaw, pitch = d.pitch, draws = 0;
    var ratio = window.devicePixelRatio || 1;
    canvas.width = d.width * ratio; canvas.height = d.height * ratio;
    canvas.style.width = d.width + 'px';
    function draw() {
      var W = d.width, H = d.height, cy = Math.cos(yaw), syw = Math.sin(yaw), cp = Math.cos(pitch), sp = Math.sin(pitch);
      // Projected points stay within ±1.45 across and ±1.55 up and down at any angle: never clipped.
      var s = Math.min((W - 90) / 2.9, (H - 24) / 3.1), ox = (W - 70) / 2, oy = H / 2;
      // World (x, y horizontal, z up) to screen, with the depth used for sorting (larger = farther).
      function project(x, y, z) {
        var u = x * cy - y * syw, v = x * syw + y * cy;
        return [ox + s * u, oy - s * (z * cp + v * sp), v * cp - z * sp];
      }
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, W, H);
      ctx.lineWidth = 1; ctx.strokeStyle = '#999'; ctx.fillStyle = '#333'; ctx.font = '12px system-ui, sans-serif';
      var base = [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(function (p) { return project(p[0], p[1], -0.6); });
      ctx.beginPath(); base.forEach(function (p, i) { i ? ctx.lineTo(p[0], p[1]) : ctx.moveTo(p[0], p[1]); }); ctx.closePath(); ctx.stroke();
      var quads = [];
      for (var r = 0; r + 1 < ny; r++) for (var c = 0; c + 1 < nx; c++) {
        var k = [r * nx + c, r * nx + c + 1, (r + 1) * nx + c + 1, (r + 1) * nx + c];
        var w = [[sx(c), sy(r)], [sx(c + 1), sy(r)], [sx(c + 1), sy(r + 1)], [sx(c), sy(r + 1)]].map(function (p, j) { return [p[0], p[1], sz(h[k[j]])]; });
        var pts = w.map(function (p) { return project(p[0], p[1], p[2]); });
        // Normal from the diagonals; light from above and a little in front.
        var ax = w[2][0] - w[0][0], ay = w[2][1] - w[0][1], az = w[2][2] - w[0][2], bx = w[3][0] - w[1][0], by = w[3][1] - w[1][1], bz = w[3][2] - w[1][2];
        var n = [ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx], len = Math.hypot(n[0], n[1], n[2]) || 1;
        var light = Math.abs(n[2] * 0.85 + n[0] * 0.3 + n[1] * 0.43) / len;
        // The underside (normal turned away from the viewer) is drawn darker.
        var back = -n[0] * syw * cp - n[1] * cy * cp + n[2] * sp < 0;
        var mean = (h[k[0]] + h[k[1]] + h[k[2]] + h[k[3]]) / 4;
        quads.push({ pts: pts, depth: (pts[0][2] + pts[1][2] + pts[2][2] + pts[3][2]) / 4, fill: colour((mean - lo) / span, back ? 0.35 + 0.25 * light : 0.55 + 0.45 * light) });
      }
      quads.sort(function (a, b) { return b.depth - a.depth; });
      ctx.lineWidth = 0.5; ctx.strokeStyle = 'rgba(0,0,0,0.28)';
      quads.forEach(function (q) {
        ctx.beginPath(); q.pts.forEach(function (p, i) { i ? ctx.lineTo(p[0], p[1]) : ctx.moveTo(p[0], p[1]); }); ctx.closePath();
        ctx.fillStyle = q.fill; ctx.fill(); ctx.stroke();
      });
      // Axis names at the middle of two base edges, the height's name on the colour bar.
      ctx.textAlign = 'center'; ctx.lineWidth = 3; ctx.strokeStyle = 'rgba(255,255,255,0.85)'; ctx.fillStyle = '#222';
      var ex = project(0, -1.2, -0.6), ey = project(1.2, 0, -0.6);
      [[d.xTitle, ex], [d.yTitle, ey]].forEach(function (l) {
        ctx.strokeText(l[0].slice(0, 40), l[1][0], l[1][1]); ctx.fillText(l[0].slice(0, 40), l[1][0], l[1][1]);
      });
      var bx0 = W - 60, by0 = 40, bh = H - 100;
      for (var i = 0; i < bh; i++) { ctx.fillStyle = colour(1 - i / bh, 1); ctx.fillRect(bx0, by0 + i, 14, 1); }
      ctx.fillStyle = '#333'; ctx.textAlign = 'left';
      ctx.fillText(fmt(log ? Math.pow(10, hi) : hi), bx0 - 4, by0 - 6); ctx.fillText(fmt(log ? Math.pow(10, lo) : lo), bx0 - 4, by0 + bh + 16);
      ctx.fillText(d.valueTitle.slice(0, 12), bx0 - 4, by0 + bh + 32);
      canvas.dataset.yaw = yaw.toFixed(4); canvas.dataset.pitch = pitch.toFixed(4); canvas.dataset.draws = String(++draws);
    }
    function rotate(dyaw, dpitch) {
      yaw = (yaw + dyaw) % (2 * Math.PI);
      pitch = Math.max(0.05, Math.min(1.5, pitch + dpitch));
      draw();
    }
    var last = null;
    canvas.addEventListener('pointerdown', function (e) { last = [e.clientX, e.clientY]; canvas.setPointerCapture(e.pointerId); });
    canvas.addEventListener('pointermove', function (e) {
      if (!last) return;
      rotate((e.clientX - last[0]) * 0.01, (e.clientY - last[1]) * 0.01);
      last = [e.clientX, e.clientY];
    });
    canvas.addEventListener('pointerup', function () { last = null; });
    canvas.addEventListener('pointercancel', function () { last = null; });
    canvas.addEventListener('keydown', function (e) {
      var step = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, -0.1], ArrowDown: [0, 0.1] }[e.key];
      if (step) { e.preventDefault(); rotate(step[0], step[1]); }
    });
    draw();
  }
  Array.prototype.forEach.call(document.querySelectorAll('figure.surface3d'), setup);
})();`;

/** Styles of the 3-D figures (added to the page with the script). */
export const SURFACE3D_CSS = `
figure.surface3d canvas { display: block; max-width: 100%; height: auto; cursor: grab; touch-action: none; border: 1px solid var(--line, #e3e3e6); border-radius: 6px; }
figure.surface3d canvas:active { cursor: grabbing; }
figure.surface3d canvas:focus-visible { outline: 2px solid var(--accent, #2f6fb0); outline-offset: 2px; }
.surface3d-title { font-size: 15px; font-weight: 600; margin: 0 0 2px; }
.surface3d-subtitle { font-size: 12px; color: var(--muted, #5f6368); margin: 0 0 8px; }
figure.surface3d figcaption { font-size: 13px; color: var(--muted, #5f6368); max-width: 80ch; margin-top: 6px; }
`.trim();
