import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { multiscaleAnalysis, toRows } from '@descent/wavelet';
import { textTable } from '@descent/report';
import { writeFileAtomic } from '@descent/train';
import { parse, helpText, type OptionSpec } from '../args';
import { readGrid } from '../grid-file';
import { cwtProfile, gridProfile, parseScales, readSignalFile, type CwtProfile } from '../cwt-profile';
import { renderWaveletReport, type SavedCwt, type SavedMultiscale } from '../wavelet-report';
import { EXIT, UsageError } from '../errors';

const OPTIONS: Record<string, OptionSpec> = {
  wavelet: { type: 'string', description: 'discrete wavelet (haar, db4, sym8, ...)', default: 'haar', value: '<name>' },
  level: { type: 'string', description: 'decomposition levels', default: '2', value: '<n>' },
  mode: { type: 'string', description: "boundary mode (PyWavelets' names)", default: 'symmetric', value: '<mode>' },
  cwt: { type: 'string', description: 'also a continuous wavelet transform of a 1-D profile, drawn as a scalogram: mexh, morl, gausN, cgauN, cmorB-C, shanB-C, fbspM-B-C (a series file gets morl by default)', value: '<wavelet>' },
  scales: { type: 'string', description: 'CWT scales: a:b every integer from a to b, a:b:n n scales spaced geometrically (log axis); default 1:<length/2>:32', value: '<a:b[:n]>' },
  profile: { type: 'string', description: 'the grid slice the CWT analyses: row:<i> (along x) or col:<j> (along y); default the middle row', value: '<row:i|col:j>' },
  out: { type: 'string', description: 'folder for multiscale.json, cwt.json, the maps and report.html', value: '<dir>' },
  json: { type: 'boolean', description: 'print the result as JSON' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/** `descent wavelet <grid>`: the book's multiscale analysis (wavedec2, haar, level 2) of a loss surface. */
export async function waveletCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS, false);
  if (values.help) {
    process.stdout.write(
      helpText(
        'descent wavelet <grid.json|grid.csv|surface.json|series.json|series.csv> [options]',
        'Multiscale analysis of a loss surface (or any grid): wavedec2 (PyWavelets semantics), the approximation and the detail magnitude √(H²+V²+D²) per level, energy per scale and a roughness index; with --out the maps, the coefficient maps per level (cA, H, V, D) and report.html. With --cwt, the continuous wavelet transform (pywt.cwt semantics) of one row or column of the grid (--profile) over --scales, drawn as a scalogram. A 1-D series (a JSON array of numbers, {"signal": [...]}, or a one-row or one-column CSV) gets only the CWT.',
        OPTIONS,
        'Examples:\n  descent wavelet surface.json --wavelet db2 --level 3 --out runs/wavelet\n  descent wavelet surface.json --cwt mexh --scales 1:16 --profile col:20 --out runs/wavelet\n  descent wavelet loss-curve.json --cwt morl --scales 1:64:48 --out runs/cwt\n',
      ),
    );
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('give one grid file (see --help)');
  const level = Number(values.level);
  if (!Number.isInteger(level) || level < 1) throw new UsageError(`--level must be an integer ≥ 1, got "${values.level}"`);
  const series = readSignalFile(positionals[0]);
  if (series === null) return gridAnalysis(values, positionals[0], level);
  // A 1-D series: the CWT only.
  const scales = parseScales(values.scales, series.length);
  const c = cwtProfile(series, series.map((_, i) => i), String(values.cwt ?? 'morl'), scales, basename(positionals[0]), 'sample');
  const out = values.out ? resolve(String(values.out)) : undefined;
  if (out) {
    mkdirSync(out, { recursive: true });
    await renderWaveletReport(out, { cwt: writeCwt(out, positionals[0], c) }, { svgs: true });
  }
  if (values.json) process.stdout.write(JSON.stringify({ cwt: cwtSummary(c), out: out ?? null }, null, 2) + '\n');
  else {
    process.stdout.write(cwtText(c));
    if (out) process.stdout.write(`wrote ${out}\n`);
  }
  return EXIT.ok;
}

/** The 2-D multiscale analysis of a grid, plus the CWT of one profile with --cwt. */
async function gridAnalysis(values: Record<string, unknown>, path: string, level: number): Promise<number> {
  const grid = readGrid(path);
  const r = multiscaleAnalysis(grid.rows, { wavelet: String(values.wavelet), level, mode: String(values.mode) as never });
  const rows = [
    { band: `approximation (level ${level})`, energy: r.approximationEnergy, share: r.approximationShare },
    ...r.details.map((d) => ({ band: `details level ${d.level}`, energy: d.energy, share: d.share })),
  ];
  let c: CwtProfile | undefined;
  if (values.cwt !== undefined) {
    const profile = gridProfile(grid, values.profile);
    c = cwtProfile(profile.signal, profile.positions, String(values.cwt), parseScales(values.scales, profile.signal.length), profile.label, profile.axis);
  } else if (values.scales !== undefined || values.profile !== undefined) throw new UsageError('--scales and --profile choose the CWT: give --cwt <wavelet> too');
  const out = values.out ? resolve(String(values.out)) : undefined;
  if (out) {
    mkdirSync(out, { recursive: true });
    const multiscale: SavedMultiscale = {
      source: grid.source,
      grid: `${grid.rows.length} × ${grid.rows[0].length}`,
      wavelet: String(values.wavelet),
      level,
      mode: String(values.mode),
      roughness: r.roughness,
      bands: rows,
      approximation: toRows(r.approximation),
      magnitudes: r.details.map((d) => ({ level: d.level, map: toRows(d.magnitude) })),
      details: r.details.map((d) => ({ level: d.level, horizontal: toRows(d.horizontal), vertical: toRows(d.vertical), diagonal: toRows(d.diagonal) })),
    };
    writeFileAtomic(join(out, 'multiscale.json'), JSON.stringify(multiscale, null, 2));
    const cwt = c ? writeCwt(out, grid.source, c) : undefined;
    await renderWaveletReport(out, { multiscale, ...(cwt ? { cwt } : {}) }, { svgs: true });
  }
  if (values.json) process.stdout.write(JSON.stringify({ roughness: r.roughness, bands: rows, ...(c ? { cwt: cwtSummary(c) } : {}), out: out ?? null }, null, 2) + '\n');
  else {
    process.stdout.write(textTable(rows.map((b) => ({ band: b.band, energy: +b.energy.toPrecision(6), share: `${(100 * b.share).toFixed(2)} %` }))) + `\nroughness index: ${r.roughness.toFixed(4)}\n`);
    if (c) process.stdout.write(cwtText(c));
    if (out) process.stdout.write(`wrote ${out}\n`);
  }
  return EXIT.ok;
}

/** Writes cwt.json (everything but the plot, which the report draws again from it) and returns what it holds. */
function writeCwt(out: string, source: string, c: CwtProfile): SavedCwt {
  const { plot: _plot, ...data } = c;
  const saved: SavedCwt = { source, method: 'fft', ...data };
  writeFileAtomic(join(out, 'cwt.json'), JSON.stringify(saved));
  return saved;
}

function cwtSummary(c: CwtProfile): Record<string, unknown> {
  return { wavelet: c.wavelet, profile: c.profile, scales: c.scales, dominantScale: c.dominantScale, meanAbs: c.meanAbs };
}

function cwtText(c: CwtProfile): string {
  return `CWT (${c.wavelet}) of ${c.profile}: ${c.scales.length} scales ${+c.scales[0].toPrecision(4)} … ${+c.scales[c.scales.length - 1].toPrecision(4)}, largest mean |W| at scale ${+c.dominantScale.toPrecision(4)}\n`;
}
