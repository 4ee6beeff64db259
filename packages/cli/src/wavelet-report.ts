import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fromRows } from '@descent/wavelet';
import { heatmap, htmlReport, writeReport, table, waveletCoefficientMaps, type Plot, type ReportSection } from '@descent/report';
import { writeFileAtomic } from '@descent/train';
import { cwtPlot, type CwtData } from './cwt-profile';
import { reportVersions } from './versions';
import { UsageError } from './errors';
import { readSavedJson } from './saved-json';

/** What `descent wavelet --out` saves of a grid's multiscale analysis (multiscale.json). */
export interface SavedMultiscale {
  source: string;
  /** The grid's size, 'rows × cols' (absent in folders written before it was saved). */
  grid?: string;
  wavelet: string;
  level: number;
  /** The boundary mode (absent in folders written before it was saved). */
  mode?: string;
  roughness: number;
  bands: Array<{ band: string; energy: number; share: number }>;
  approximation: number[][];
  magnitudes: Array<{ level: number; map: number[][] }>;
  /** The detail coefficients per level (absent in folders written before they were saved: no coefficient maps then). */
  details?: Array<{ level: number; horizontal: number[][]; vertical: number[][]; diagonal: number[][] }>;
}

/** What `descent wavelet --cwt --out` saves of a CWT (cwt.json). */
export interface SavedCwt extends CwtData {
  source: string;
  method: string;
}

/** A wavelet folder's saved results: the multiscale analysis of a grid and/or the CWT of a profile or series. */
export interface SavedWavelet {
  multiscale?: SavedMultiscale;
  cwt?: SavedCwt;
}

/** multiscale.json and/or cwt.json of a `descent wavelet --out` folder, or undefined when it has neither. */
export function readSavedWavelet(dir: string): SavedWavelet | undefined {
  const multiscale = readSavedJson<SavedMultiscale>(join(dir, 'multiscale.json'));
  const cwt = readSavedJson<SavedCwt>(join(dir, 'cwt.json'));
  if (multiscale !== undefined && (typeof multiscale !== 'object' || multiscale === null || !Array.isArray(multiscale.bands) || !Array.isArray(multiscale.approximation) || !Array.isArray(multiscale.magnitudes))) {
    throw new UsageError(`${join(dir, 'multiscale.json')} is not a multiscale.json of \`descent wavelet --out\` (expected bands, approximation and magnitudes)`);
  }
  if (cwt !== undefined && (typeof cwt !== 'object' || cwt === null || !Array.isArray(cwt.magnitude) || !Array.isArray(cwt.scales))) {
    throw new UsageError(`${join(dir, 'cwt.json')} is not a cwt.json of \`descent wavelet --out\` (expected scales and magnitude)`);
  }
  if (!multiscale && !cwt) return undefined;
  return { ...(multiscale ? { multiscale } : {}), ...(cwt ? { cwt } : {}) };
}

/** The report's section on a CWT. */
export function cwtSection(c: CwtData, plot: Plot = cwtPlot(c)): ReportSection {
  return {
    heading: 'Continuous wavelet transform',
    text: `The CWT of ${c.profile} with ${c.wavelet} (pywt.cwt semantics, FFT convolution): |W| per scale and position. Large scales respond to broad features, small scales to fine ones.`,
    plots: [plot],
  };
}

const axis = (n: number) => Array.from({ length: n }, (_, i) => i);
const rows = (m: number[][]) => ({ rows: m.length, cols: m[0]?.length ?? 0 });

/**
 * Writes report.html (or `options.file`) of a wavelet folder from its saved multiscale.json and/or
 * cwt.json: the energy per scale, the maps and coefficients per level, the scalogram. `descent
 * wavelet --out` calls it with `svgs: true` to write the plots beside it too; `descent report` calls
 * it on a saved folder.
 */
export async function renderWaveletReport(dir: string, saved: SavedWavelet, options: { file?: string; svgs?: boolean } = {}): Promise<string> {
  const { multiscale: m, cwt: c } = saved;
  if (!m && !c) throw new UsageError(`${dir} holds neither multiscale.json nor cwt.json of \`descent wavelet --out\``);
  const file = options.file ?? join(dir, 'report.html');
  const svg = async (name: string, plot: Plot) => {
    if (options.svgs) writeFileAtomic(join(dir, name), await plot.toSvg());
  };
  const sections: ReportSection[] = [];
  const files: string[] = [];
  if (m) {
    const map = (title: string, grid: number[][]) => heatmap({ title, grid, x: axis(rows(grid).cols), y: axis(rows(grid).rows), valueTitle: 'value' });
    const plots = [map(`Approximation (level ${m.level})`, m.approximation), ...m.magnitudes.map((d) => map(`Detail magnitude, level ${d.level}`, d.map))];
    const names = ['approximation.svg', ...m.magnitudes.map((d) => `details-level-${d.level}.svg`)];
    for (const [i, p] of plots.entries()) await svg(names[i], p);
    files.push('multiscale.json', ...names);
    sections.push(
      { heading: 'Energy per scale', text: `roughness index ${m.roughness.toFixed(4)}`, tableHtml: table(m.bands, ['band', 'energy', { key: 'share', format: 'percent' }]) },
      { heading: 'Maps', plots },
    );
    if (m.details) {
      const coefficients = waveletCoefficientMaps({
        title: `Wavelet coefficients per level (${m.wavelet})`,
        approximation: fromRows(m.approximation),
        details: m.details.map((d) => ({ level: d.level, horizontal: fromRows(d.horizontal), vertical: fromRows(d.vertical), diagonal: fromRows(d.diagonal) })),
      });
      await svg('coefficients.svg', coefficients);
      files.push('coefficients.svg');
      sections.push({ heading: 'Coefficients per level', plots: [coefficients] });
    }
  }
  if (c) {
    const plot = cwtPlot(c);
    await svg('scalogram.svg', plot);
    files.push('cwt.json', 'scalogram.svg');
    sections.push(cwtSection(c, plot));
  }
  const source = m?.source ?? c!.source;
  const html = await htmlReport({
    title: `descent wavelet — ${source}`,
    summary: m
      ? { grid: m.grid ?? 'unknown', wavelet: m.wavelet, level: m.level, 'roughness index': m.roughness }
      : { samples: c!.magnitude[0]?.length ?? 0, wavelet: c!.wavelet, scales: c!.scalesSpec ?? `${c!.scales.length} scales`, 'dominant scale': c!.dominantScale },
    config: m
      ? { command: 'descent wavelet', source, wavelet: m.wavelet, level: m.level, ...(m.mode !== undefined ? { mode: m.mode } : {}) }
      : { command: 'descent wavelet', source, cwt: c!.wavelet, ...(c!.scalesSpec !== undefined ? { scales: c!.scalesSpec } : {}) },
    versions: reportVersions(),
    links: files.filter((f) => existsSync(join(dir, f))).map((f) => ({ href: relative(dirname(file), join(dir, f)).split('\\').join('/'), label: f })),
    sections,
  });
  await writeReport(file, html);
  return file;
}
