import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { loadSurface, type Surface } from '@descent/landscape';
import { htmlReport, surface3d, table, writeReport, type ReportSection, type ScatterPoint } from '@descent/report';
import { reportVersions } from '../versions';
import { surfaceContour, surfaceMinimum } from './plots';

/** A surface saved by `descent landscape surface` (its .json beside a .bin), with the meta stored with it. */
export interface SavedSurface {
  name: string;
  surface: Surface;
  meta: Record<string, unknown>;
}

/** The surfaces saved in a folder (files `<name>.json` of format 1 with their `.bin`), by name. */
export function readSavedSurfaces(dir: string): SavedSurface[] {
  const out: SavedSurface[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    let head: { format?: unknown; binary?: unknown };
    try {
      head = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    } catch {
      continue;
    }
    if (head?.format !== 1 || typeof head.binary !== 'string') continue;
    const { meta, ...surface } = loadSurface(join(dir, f));
    out.push({ name: basename(f, '.json'), surface, meta: meta ?? {} });
  }
  return out;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The landscape surface report: per surface a contour (θ, the grid minimum and any path marked)
 * next to a rotatable 3-D view of the same grid, a summary table, the command's configuration,
 * versions and links to the saved grids. Everything comes from the saved surfaces and their meta,
 * so `descent report <folder>` rebuilds the same page.
 */
export async function renderSurfaceReport(out: string, surfaces: SavedSurface[], options: { config?: unknown; file?: string } = {}): Promise<string> {
  const path = options.file ?? join(out, 'report.html');
  const href = (f: string) => relative(dirname(path), join(out, f)).split('\\').join('/');
  const rows: Array<Record<string, unknown>> = [];
  const sections: ReportSection[] = [];
  for (const { name, surface: s, meta } of surfaces) {
    const m = surfaceMinimum(s);
    const axes = Array.isArray(meta.axes) ? (meta.axes as string[]) : ['λ₁', 'λ₂'];
    const kind = typeof meta.kind === 'string' ? meta.kind : 'surface';
    const grid = `${s.x.length}×${s.y.length} grid`;
    const about = [meta.model ? `${meta.model}${meta.activation ? ` ${meta.activation}` : ''}` : '', num(meta.checkpoint) !== undefined ? `epoch ${meta.checkpoint}` : '', grid, num(meta.samples) !== undefined ? `${meta.samples} ${meta.split ?? ''} images` : '']
      .filter(Boolean)
      .join(', ');
    const subtitle = `${about}; minimum ${m.loss.toFixed(4)} at (${m.x.toFixed(3)}, ${m.y.toFixed(3)})`;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of s.loss) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const pair = surfaces.length > 1 ? ` (${name})` : '';
    sections.push({
      heading: surfaces.length > 1 ? `Surface ${name}` : 'Surface',
      text: `${name}: ${kind} directions. Axes: ${axes[0]}; ${axes[1]}.${Array.isArray(meta.eigenvalues) ? ` Eigenvalues ${(meta.eigenvalues as number[]).map((v) => v.toFixed(4)).join(', ')}.` : ''}`,
      plots: [surfaceContour(s, { title: `Loss surface — ${kind} directions${pair}`, subtitle, xTitle: axes[0], yTitle: axes[1], paths: Array.isArray(meta.path) ? (meta.path as ScatterPoint[]) : undefined })],
      surfaces3d: [
        surface3d({
          title: `Loss surface in 3-D — ${kind} directions${pair}`,
          subtitle,
          grid: { values: s.loss, rows: s.y.length, cols: s.x.length },
          x: s.x,
          y: s.y,
          xTitle: axes[0].split(' (')[0],
          yTitle: axes[1].split(' (')[0],
          valueTitle: 'loss',
          scale: lo > 0 && hi / lo > 20 ? 'log' : 'linear',
        }),
      ],
    });
    rows.push({ surface: name, directions: kind, grid, 'minimum loss': m.loss, 'at (x, y)': `(${m.x.toFixed(3)}, ${m.y.toFixed(3)})`, 'loss at θ': m.centreLoss, 'seconds': num(meta.seconds) ?? null });
  }
  const first = surfaces[0]?.meta ?? {};
  const links = surfaces.flatMap(({ name }) => [`${name}.json`, `${name}.bin`, `${name}.svg`]);
  const html = await htmlReport({
    title: 'descent landscape surface',
    subtitle: typeof first.run === 'string' ? `run ${first.run}` : undefined,
    summary: { surfaces: surfaces.length, directions: first.kind ?? null, checkpoint: first.checkpoint ?? null, samples: first.samples ?? null, split: first.split ?? null, 'lowest loss': Math.min(...surfaces.map((x) => surfaceMinimum(x.surface).loss)) },
    sections: [{ heading: 'Summary', tableHtml: table(rows as never) }, ...sections],
    config: options.config ?? { surfaces: surfaces.map((x) => ({ name: x.name, ...x.meta, path: undefined })) },
    versions: reportVersions(typeof first.backend === 'string' ? first.backend : undefined),
    links: [...links, 'config.json'].filter((f) => existsSync(join(out, f))).map((f) => ({ href: href(f), label: f })),
  });
  await writeReport(path, html);
  return path;
}
