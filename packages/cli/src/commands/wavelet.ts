import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { multiscaleAnalysis, toRows } from '@descent/wavelet';
import { heatmap, htmlReport, writeReport, textTable } from '@descent/report';
import { writeFileAtomic } from '@descent/train';
import { parse, helpText, type OptionSpec } from '../args';
import { readGrid } from '../grid-file';
import { EXIT, UsageError } from '../errors';

const OPTIONS: Record<string, OptionSpec> = {
  wavelet: { type: 'string', description: 'discrete wavelet (haar, db4, sym8, ...)', default: 'haar', value: '<name>' },
  level: { type: 'string', description: 'decomposition levels', default: '2', value: '<n>' },
  mode: { type: 'string', description: "boundary mode (PyWavelets' names)", default: 'symmetric', value: '<mode>' },
  out: { type: 'string', description: 'folder for multiscale.json, the maps and report.html', value: '<dir>' },
  json: { type: 'boolean', description: 'print the result as JSON' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

const axis = (n: number) => Array.from({ length: n }, (_, i) => i);

/** `descent wavelet <grid>`: the book's multiscale analysis (wavedec2, haar, level 2) of a loss surface. */
export async function waveletCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS, false);
  if (values.help) {
    process.stdout.write(helpText('descent wavelet <grid.json|grid.csv|surface.json> [options]', 'Multiscale analysis of a loss surface (or any grid): wavedec2 (PyWavelets semantics), the approximation and the detail magnitude √(H²+V²+D²) per level, energy per scale and a roughness index.', OPTIONS));
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('give one grid file (see --help)');
  const level = Number(values.level);
  if (!Number.isInteger(level) || level < 1) throw new UsageError(`--level must be an integer ≥ 1, got "${values.level}"`);
  const grid = readGrid(positionals[0]);
  const r = multiscaleAnalysis(grid.rows, { wavelet: String(values.wavelet), level, mode: String(values.mode) as never });
  const rows = [
    { band: `approximation (level ${level})`, energy: r.approximationEnergy, share: r.approximationShare },
    ...r.details.map((d) => ({ band: `details level ${d.level}`, energy: d.energy, share: d.share })),
  ];
  const out = values.out ? resolve(String(values.out)) : undefined;
  if (out) {
    mkdirSync(out, { recursive: true });
    writeFileAtomic(join(out, 'multiscale.json'), JSON.stringify({ source: grid.source, wavelet: values.wavelet, level, roughness: r.roughness, bands: rows, approximation: toRows(r.approximation), magnitudes: r.details.map((d) => ({ level: d.level, map: toRows(d.magnitude) })) }, null, 2));
    const map = (title: string, a: typeof r.approximation) => heatmap({ title, grid: toRows(a), x: axis(a.cols), y: axis(a.rows), valueTitle: 'value' });
    const plots = [map(`Approximation (level ${level})`, r.approximation), ...r.details.map((d) => map(`Detail magnitude, level ${d.level}`, d.magnitude))];
    for (const [i, p] of plots.entries()) writeFileAtomic(join(out, i === 0 ? 'approximation.svg' : `details-level-${r.details[i - 1].level}.svg`), await p.toSvg());
    writeReport(join(out, 'report.html'), await htmlReport({ title: `descent wavelet — ${grid.source}`, sections: [{ heading: 'Energy per scale', text: `roughness index ${r.roughness.toFixed(4)}` }, { heading: 'Maps', plots }] }));
  }
  if (values.json) process.stdout.write(JSON.stringify({ roughness: r.roughness, bands: rows, out: out ?? null }, null, 2) + '\n');
  else {
    process.stdout.write(textTable(rows.map((b) => ({ band: b.band, energy: +b.energy.toPrecision(6), share: `${(100 * b.share).toFixed(2)} %` }))) + `\nroughness index: ${r.roughness.toFixed(4)}\n`);
    if (out) process.stdout.write(`wrote ${out}\n`);
  }
  return EXIT.ok;
}
