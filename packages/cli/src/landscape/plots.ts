import { join } from 'node:path';
import { writeFileAtomic } from '@descent/train';
import { lineChart, contour, vegaLitePlot, PLOT_CONFIG, type Plot, type LineChartOptions, type ScatterPoint, type VegaLiteSpec } from '@descent/report';
import type { Surface } from '@descent/landscape';

/** Renders a plot to `<out>/<name>.svg` (atomically) and returns the path. */
export async function writeSvg(out: string, name: string, plot: Plot): Promise<string> {
  const path = join(out, `${name}.svg`);
  writeFileAtomic(path, await plot.toSvg());
  return path;
}

/** Several line charts side by side in one figure (Vega-Lite concat). */
export function panels(title: string, charts: LineChartOptions[], columns = 3): Plot {
  const specs = charts.map((c) => {
    const { $schema: _s, config: _c, ...rest } = lineChart(c).spec as unknown as Record<string, unknown>;
    return rest;
  });
  return vegaLitePlot({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, config: PLOT_CONFIG, columns, concat: specs } as unknown as VegaLiteSpec, title);
}

/** Minimum of a surface: value, grid indices and coordinates; whether it is within one grid step of the centre. */
export function surfaceMinimum(s: Surface): { loss: number; x: number; y: number; atCentre: boolean; centreLoss: number } {
  let best = 0;
  for (let i = 1; i < s.loss.length; i++) if (s.loss[i] < s.loss[best]) best = i;
  const nx = s.x.length;
  const x = s.x[best % nx];
  const y = s.y[Math.floor(best / nx)];
  const dx = nx > 1 ? s.x[1] - s.x[0] : Infinity;
  const dy = s.y.length > 1 ? s.y[1] - s.y[0] : Infinity;
  // The loss at the grid point nearest to the centre (0, 0).
  const ci = s.y.reduce((b, v, i) => (Math.abs(v) < Math.abs(s.y[b]) ? i : b), 0);
  const cj = s.x.reduce((b, v, j) => (Math.abs(v) < Math.abs(s.x[b]) ? j : b), 0);
  return { loss: s.loss[best], x, y, atCentre: Math.abs(x) <= dx + 1e-12 && Math.abs(y) <= dy + 1e-12, centreLoss: s.loss[ci * nx + cj] };
}

/** A filled contour of a surface's loss with θ and the grid minimum marked, and optional paths on top. */
export function surfaceContour(s: Surface, o: { title: string; subtitle?: string; xTitle: string; yTitle: string; paths?: ScatterPoint[] }): Plot {
  const m = surfaceMinimum(s);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of s.loss) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return contour({
    title: o.title,
    subtitle: o.subtitle,
    grid: { values: s.loss, rows: s.y.length, cols: s.x.length },
    x: s.x,
    y: s.y,
    xTitle: o.xTitle,
    yTitle: o.yTitle,
    valueTitle: 'loss',
    // Losses that span decades read better on a log colour scale.
    scale: lo > 0 && hi / lo > 20 ? 'log' : 'linear',
    paths: [...(o.paths ?? []), { x: 0, y: 0, group: 'θ (centre)' }, { x: m.x, y: m.y, group: 'grid minimum', label: `loss ${m.loss.toFixed(4)}` }],
    pathsTitle: 'Points',
  });
}
