import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadSurface } from '@descent/landscape';
import { bettiCurve } from '@descent/topology';
import { bars, barcode, bettiCurves, contour, lineChart, persistenceDiagram, surface3d, waveletCoefficientMaps, type MatrixLike, type Plot, type PersistencePoint, type ReportSection } from '@descent/report';
import { ANALYSES_DIR, type AnalysisRecord } from './analyses';

type Json = Record<string, any>;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const fmt = (v: unknown, d = 4) => (isNum(v) ? v.toPrecision(d) : String(v));

/** Rows (number[][]) as a row-major matrix. */
function matrix(rows: unknown): MatrixLike | undefined {
  if (!Array.isArray(rows) || rows.length === 0 || !Array.isArray(rows[0]) || rows[0].length === 0) return undefined;
  const cols = (rows[0] as unknown[]).length;
  if (!rows.every((r) => Array.isArray(r) && r.length === cols && r.every(isNum))) return undefined;
  return { data: (rows as number[][]).flat(), rows: rows.length, cols };
}

function spectrumSection(x: Json): Omit<ReportSection, 'heading'> {
  const layers = (Array.isArray(x.layers) ? x.layers : []) as Json[];
  if (!layers.length) return {};
  const label = (l: Json, i: number) => String(l.name ?? `weight ${i + 1}`);
  // Linear value axes: bars start at 0, which a log axis cannot show.
  const perLayer = (key: string, title: string): Plot[] => {
    const data = layers.map((l, i) => ({ label: label(l, i), value: l[key] })).filter((b) => isNum(b.value));
    return data.length ? [bars({ title, bars: data, x: { title: 'weight' }, y: { title: title.split(' per ')[0] }, width: 260, height: 180 })] : [];
  };
  const sv = layers.flatMap((l, i) => (Array.isArray(l.singularValues) ? (l.singularValues as number[]).map((s, k) => ({ weight: label(l, i), index: k + 1, sigma: s })) : [])).filter((p) => isNum(p.sigma) && p.sigma > 0);
  return {
    plots: [
      ...perLayer('spectralNorm', 'Spectral norm per weight'),
      ...perLayer('condition', 'Condition number per weight'),
      ...perLayer('stableRank', 'Stable rank per weight'),
      ...(sv.length
        ? [lineChart({ title: 'Singular-value spectrum', subtitle: 'σ_k of each weight matrix, largest first', x: { field: 'index', title: 'k' }, y: { field: 'sigma', title: 'σ_k', scale: 'log' }, series: { field: 'weight', title: 'weight' }, data: sv, width: 420, height: 240 })]
        : []),
    ],
  };
}

function hessianSection(x: Json): Omit<ReportSection, 'heading'> {
  const ev = (Array.isArray(x.eigenvalues) ? x.eigenvalues : []).filter(isNum) as number[];
  const plots: Plot[] = [];
  if (ev.length) plots.push(bars({ title: 'Top Hessian eigenvalues', subtitle: isNum(x.trace) ? `trace ≈ ${fmt(x.trace)} (Hutchinson)` : undefined, x: { title: 'index (largest |λ| first)' }, y: { title: 'eigenvalue' }, bars: ev.map((value, i) => ({ label: i + 1, value })), width: 320, height: 200 }));
  // A spectral density, when an analysis saved one as { grid, density }.
  const d = x.density as Json | undefined;
  if (d && Array.isArray(d.grid) && Array.isArray(d.density) && d.grid.length === d.density.length && d.grid.length > 1) {
    plots.push(lineChart({ title: 'Hessian eigenvalue density', x: { field: 'lambda', title: 'λ' }, y: { field: 'density', title: 'density' }, data: (d.grid as number[]).map((lambda, i) => ({ lambda, density: (d.density as number[])[i] })) }));
  }
  return { plots };
}

function landscapeSection(x: Json, analysesDir: string): Omit<ReportSection, 'heading'> {
  if (x.dims === 1 && Array.isArray(x.alphas) && Array.isArray(x.loss)) {
    const data = (x.alphas as number[]).map((alpha, i) => ({ alpha, loss: (x.loss as number[])[i] })).filter((p) => isNum(p.loss));
    return { plots: [lineChart({ title: 'Loss along a random direction', subtitle: `minimum ${fmt(x.minLoss)} at α = ${fmt(x.argmin, 3)}`, x: { field: 'alpha', title: 'α' }, y: { field: 'loss', title: 'loss' }, data, points: true })] };
  }
  const file = typeof x.file === 'string' ? join(analysesDir, x.file) : undefined;
  if (x.dims !== 2 || !file || !existsSync(file)) return { text: 'The surface file is missing; no plot.' };
  const s = loadSurface(file);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of s.loss) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const grid = { values: s.loss, rows: s.y.length, cols: s.x.length };
  const scale = lo > 0 && hi / lo > 20 ? 'log' : 'linear';
  const subtitle = `${s.x.length}×${s.y.length} grid; minimum ${fmt(x.minLoss)} at (${fmt(x.argmin?.x, 3)}, ${fmt(x.argmin?.y, 3)}); loss at θ ${fmt(x.centreLoss)}`;
  const argmin = isNum(x.argmin?.x) && isNum(x.argmin?.y) ? [{ x: x.argmin.x as number, y: x.argmin.y as number, group: 'grid minimum' }] : undefined;
  return {
    plots: [contour({ title: 'Loss surface (contour)', subtitle, grid, x: s.x, y: s.y, xTitle: 'δ₁', yTitle: 'δ₂', valueTitle: 'loss', scale, paths: argmin })],
    surfaces3d: [surface3d({ title: 'Loss surface in 3-D (drag to rotate)', subtitle, grid, x: s.x, y: s.y, xTitle: 'δ₁', yTitle: 'δ₂', valueTitle: 'loss', scale })],
  };
}

function topologySection(x: Json): Omit<ReportSection, 'heading'> {
  const raw = (Array.isArray(x.diagram) ? x.diagram : []) as Json[];
  const pairs: PersistencePoint[] = raw.filter((p) => isNum(p.dimension) && isNum(p.birth)).map((p) => ({ dimension: p.dimension, birth: p.birth, death: isNum(p.death) ? p.death : null }));
  if (!pairs.length) return {};
  const levels = Array.from({ length: 101 }, (_, i) => i / 100);
  const dims = [...new Set(pairs.map((p) => p.dimension))].sort();
  const diagram = pairs.map((p) => ({ dimension: p.dimension, birth: p.birth, death: p.death ?? Infinity }));
  return {
    plots: [
      persistenceDiagram({ title: 'Persistence diagram', subtitle: 'sublevel sets of the min-max normalised loss; height above the diagonal = persistence', pairs }),
      barcode({ title: 'Barcode', subtitle: 'one bar per class, from birth to death', pairs }),
      bettiCurves({ title: 'Betti curves', subtitle: 'classes alive at each level: β0 basins, β1 loops', x: { title: 'filtration level (normalised)' }, curves: dims.map((dimension) => ({ dimension, ...bettiCurve(diagram, { dimension, grid: levels }) })) }),
    ],
  };
}

function waveletSection(x: Json): Omit<ReportSection, 'heading'> {
  const bands = (Array.isArray(x.bands) ? x.bands : []) as Json[];
  const plots: Plot[] = [];
  const energy = [
    ...(isNum(x.approximationShare) ? [{ label: 'approximation', value: x.approximationShare as number }] : []),
    ...bands.filter((b) => isNum(b.share)).map((b) => ({ label: `level ${b.level}`, value: b.share as number })),
  ];
  if (energy.length) plots.push(bars({ title: 'Wavelet energy per level', subtitle: `share of the energy of grid − mean; roughness ${fmt(x.roughness)} (${x.wavelet ?? ''})`, x: { title: 'band' }, y: { title: 'share of energy', format: '.0%' }, bars: energy, width: 300, height: 200 }));
  const approximation = matrix(x.approximation);
  const details = Array.isArray(x.details)
    ? (x.details as Json[]).map((d) => ({ level: d.level as number, horizontal: matrix(d.horizontal), vertical: matrix(d.vertical), diagonal: matrix(d.diagonal) }))
    : [];
  if (approximation && details.length && details.every((d) => d.horizontal && d.vertical && d.diagonal)) {
    plots.push(waveletCoefficientMaps({ title: `Wavelet coefficients per level (${x.wavelet ?? 'wavelet'})`, approximation, details: details as Array<{ level: number; horizontal: MatrixLike; vertical: MatrixLike; diagonal: MatrixLike }> }));
  }
  return { plots, text: details.length ? undefined : 'The saved result holds no detail coefficients (grids over 101×101 leave them out), so no coefficient maps.' };
}

/**
 * A figure section per analysis, built from its saved result (and, for a 2-D landscape, the
 * surface file it saved beside it): spectrum, hessian, landscape, topology, wavelet. Other
 * analyses get no section (their one-line summary is in the report's text).
 */
export function analysisSections(runDir: string, records: ReadonlyArray<AnalysisRecord>): ReportSection[] {
  const out: ReportSection[] = [];
  for (const r of records) {
    const x = (r.result ?? {}) as Json;
    const heading = r.name === r.analysis ? `Analysis: ${r.name}` : `Analysis: ${r.name} (${r.analysis})`;
    let body: Omit<ReportSection, 'heading'>;
    try {
      switch (r.analysis) {
        case 'spectrum':
          body = spectrumSection(x);
          break;
        case 'hessian':
          body = hessianSection(x);
          break;
        case 'landscape':
          body = landscapeSection(x, join(runDir, ANALYSES_DIR));
          break;
        case 'topology':
          body = topologySection(x);
          break;
        case 'wavelet':
          body = waveletSection(x);
          break;
        default:
          continue;
      }
    } catch (e) {
      // A result the plots cannot show should not cost the whole report.
      body = { text: `No figures: ${(e as Error).message}` };
    }
    if (body.plots?.length || body.surfaces3d?.length || body.text) out.push({ heading, ...body });
  }
  return out;
}
