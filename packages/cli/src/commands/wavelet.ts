import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { multiscaleAnalysis, toRows } from '@descent/wavelet';
import { heatmap, htmlReport, writeReport, textTable, table, waveletCoefficientMaps, type Plot, type ReportSection } from '@descent/report';
import { writeFileAtomic } from '@descent/train';
import { parse, helpText, type OptionSpec } from '../args';
import { readGrid } from '../grid-file';
import { cwtProfile, gridProfile, parseScales, readSignalFile, type CwtProfile } from '../cwt-profile';
import { reportVersions } from '../versions';
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

const axis = (n: number) => Array.from({ length: n }, (_, i) => i);

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
    writeCwt(out, positionals[0], c);
    writeFileAtomic(join(out, 'scalogram.svg'), await c.plot.toSvg());
    await writeReport(join(out, 'report.html'), await htmlReport({ title: `descent wavelet — ${positionals[0]}`, summary: { samples: series.length, wavelet: c.wavelet, scales: scales.spec, 'dominant scale': c.dominantScale }, config: { command: 'descent wavelet', source: positionals[0], cwt: c.wavelet, scales: scales.spec }, versions: reportVersions(), links: ['cwt.json', 'scalogram.svg'].map((f) => ({ href: f, label: f })), sections: [cwtSection(c)] }));
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
    writeFileAtomic(join(out, 'multiscale.json'), JSON.stringify({ source: grid.source, wavelet: values.wavelet, level, roughness: r.roughness, bands: rows, approximation: toRows(r.approximation), magnitudes: r.details.map((d) => ({ level: d.level, map: toRows(d.magnitude) })) }, null, 2));
    const map = (title: string, a: typeof r.approximation) => heatmap({ title, grid: toRows(a), x: axis(a.cols), y: axis(a.rows), valueTitle: 'value' });
    const plots = [map(`Approximation (level ${level})`, r.approximation), ...r.details.map((d) => map(`Detail magnitude, level ${d.level}`, d.magnitude))];
    for (const [i, p] of plots.entries()) writeFileAtomic(join(out, i === 0 ? 'approximation.svg' : `details-level-${r.details[i - 1].level}.svg`), await p.toSvg());
    const coefficients = waveletCoefficientMaps({ title: `Wavelet coefficients per level (${String(values.wavelet)})`, approximation: r.approximation, details: r.details });
    writeFileAtomic(join(out, 'coefficients.svg'), await coefficients.toSvg());
    const extra: Plot[] = [coefficients];
    if (c) {
      writeCwt(out, grid.source, c);
      writeFileAtomic(join(out, 'scalogram.svg'), await c.plot.toSvg());
    }
    await writeReport(join(out, 'report.html'), await htmlReport({ title: `descent wavelet — ${grid.source}`, summary: { grid: `${grid.rows.length} × ${grid.rows[0].length}`, wavelet: String(values.wavelet), level, 'roughness index': r.roughness }, config: { command: 'descent wavelet', source: grid.source, wavelet: values.wavelet, level, mode: values.mode }, versions: reportVersions(), links: ['multiscale.json', 'approximation.svg', ...r.details.map((d) => `details-level-${d.level}.svg`), 'coefficients.svg', ...(c ? ['cwt.json', 'scalogram.svg'] : [])].map((f) => ({ href: f, label: f })), sections: [{ heading: 'Energy per scale', text: `roughness index ${r.roughness.toFixed(4)}`, tableHtml: table(rows, ['band', 'energy', { key: 'share', format: 'percent' }]) }, { heading: 'Maps', plots }, { heading: 'Coefficients per level', plots: extra }, ...(c ? [cwtSection(c)] : [])] }));
  }
  if (values.json) process.stdout.write(JSON.stringify({ roughness: r.roughness, bands: rows, ...(c ? { cwt: cwtSummary(c) } : {}), out: out ?? null }, null, 2) + '\n');
  else {
    process.stdout.write(textTable(rows.map((b) => ({ band: b.band, energy: +b.energy.toPrecision(6), share: `${(100 * b.share).toFixed(2)} %` }))) + `\nroughness index: ${r.roughness.toFixed(4)}\n`);
    if (c) process.stdout.write(cwtText(c));
    if (out) process.stdout.write(`wrote ${out}\n`);
  }
  return EXIT.ok;
}

function writeCwt(out: string, source: string, c: CwtProfile): void {
  const { plot: _plot, ...data } = c;
  writeFileAtomic(join(out, 'cwt.json'), JSON.stringify({ source, method: 'fft', ...data }));
}

function cwtSummary(c: CwtProfile): Record<string, unknown> {
  return { wavelet: c.wavelet, profile: c.profile, scales: c.scales, dominantScale: c.dominantScale, meanAbs: c.meanAbs };
}

function cwtText(c: CwtProfile): string {
  return `CWT (${c.wavelet}) of ${c.profile}: ${c.scales.length} scales ${+c.scales[0].toPrecision(4)} … ${+c.scales[c.scales.length - 1].toPrecision(4)}, largest mean |W| at scale ${+c.dominantScale.toPrecision(4)}\n`;
}

function cwtSection(c: CwtProfile): ReportSection {
  return {
    heading: 'Continuous wavelet transform',
    text: `The CWT of ${c.profile} with ${c.wavelet} (pywt.cwt semantics, FFT convolution): |W| per scale and position. Large scales respond to broad features, small scales to fine ones.`,
    plots: [c.plot],
  };
}
