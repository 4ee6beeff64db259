import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { surfaceDiagram, countBasins, minimaBarrier, totalPersistence, persistenceEntropy, bettiCurve, type PersistencePair } from '@descent/topology';
import { persistenceDiagram, barcode, bettiCurves, htmlReport, writeReport, textTable, table } from '@descent/report';
import { writeFileAtomic } from '@descent/train';
import { parse, helpText, type OptionSpec } from '../args';
import { readGrid } from '../grid-file';
import { reportVersions } from '../versions';
import { EXIT, UsageError } from '../errors';

const OPTIONS: Record<string, OptionSpec> = {
  out: { type: 'string', description: 'folder for diagram.json, the plots and report.html', value: '<dir>' },
  threshold: { type: 'string', description: 'basins count when their H0 persistence exceeds this (normalised units)', default: '0.05', value: '<t>' },
  json: { type: 'boolean', description: 'print the result as JSON' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

const finite = (p: PersistencePair) => Number.isFinite(p.death);

/** `descent topology <grid>`: the book's pipeline (min-max normalise, cubical persistence) and its summaries. */
export async function topologyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS, false);
  if (values.help) {
    process.stdout.write(helpText('descent topology <grid.json|grid.csv|surface.json> [options]', 'Sublevel-set persistent homology of a loss surface (or any grid): the diagram (GUDHI CubicalComplex semantics, top-dimensional cells, after min-max normalisation as in the book), basins, the barrier between the two lowest minima, total persistence and entropy. With --out: diagram.json, plots of the persistence diagram (the diagonal; essential classes on the ∞ line), the barcode and the Betti curves (diagram.svg, barcode.svg, betti.svg) and report.html.', OPTIONS));
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('give one grid file (see --help)');
  const threshold = Number(values.threshold);
  if (!(threshold >= 0)) throw new UsageError(`--threshold must be a number ≥ 0, got "${values.threshold}"`);
  const grid = readGrid(positionals[0]);
  const diagram = surfaceDiagram(grid.rows);
  const barrier = minimaBarrier(grid.rows, { normalize: true });
  const summary = {
    grid: `${grid.rows.length} × ${grid.rows[0].length}`,
    h0: diagram.filter((p) => p.dimension === 0).length,
    h1: diagram.filter((p) => p.dimension === 1).length,
    basins: countBasins(grid.rows, { threshold }),
    barrierDepth: barrier?.depth ?? null,
    totalPersistenceH0: totalPersistence(diagram.filter((p) => p.dimension === 0 && finite(p))),
    totalPersistenceH1: totalPersistence(diagram.filter((p) => p.dimension === 1 && finite(p))),
    entropyH0: persistenceEntropy(diagram.filter((p) => p.dimension === 0 && finite(p))),
  };
  const out = values.out ? resolve(String(values.out)) : undefined;
  if (out) {
    mkdirSync(out, { recursive: true });
    writeFileAtomic(join(out, 'diagram.json'), JSON.stringify({ source: grid.source, summary, diagram: diagram.map((p) => ({ dimension: p.dimension, birth: p.birth, death: Number.isFinite(p.death) ? p.death : null })) }, null, 2));
    const diagramPlot = persistenceDiagram({
      title: 'Persistence diagram',
      subtitle: 'sublevel sets of the min-max normalised grid; height above the diagonal = persistence',
      pairs: diagram,
    });
    const barcodePlot = barcode({ title: 'Barcode', subtitle: 'one bar per class, from birth to death', pairs: diagram });
    const levels = Array.from({ length: 101 }, (_, i) => i / 100);
    const bettiPlot = bettiCurves({
      title: 'Betti curves',
      subtitle: 'classes alive at each level: β0 components (basins), β1 loops',
      x: { title: 'filtration level (normalised)' },
      curves: [0, 1].map((dimension) => ({ dimension, ...bettiCurve(diagram, { dimension, grid: levels }) })),
    });
    writeFileAtomic(join(out, 'diagram.svg'), await diagramPlot.toSvg());
    writeFileAtomic(join(out, 'barcode.svg'), await barcodePlot.toSvg());
    writeFileAtomic(join(out, 'betti.svg'), await bettiPlot.toSvg());
    await writeReport(join(out, 'report.html'), await htmlReport({ title: `descent topology — ${grid.source}`, summary: { grid: summary.grid, basins: summary.basins, 'barrier depth': summary.barrierDepth }, config: { command: 'descent topology', source: grid.source, threshold }, versions: reportVersions(), links: ['diagram.json', 'diagram.svg', 'barcode.svg', 'betti.svg'].map((f) => ({ href: f, label: f })), sections: [{ heading: 'Summary', tableHtml: table(Object.entries(summary).map(([quantity, value]) => ({ quantity, value: value ?? '—' }))) }, { heading: 'Diagram, barcode and Betti curves', plots: [diagramPlot, barcodePlot, bettiPlot] }] }));
  }
  if (values.json) process.stdout.write(JSON.stringify({ summary, diagram: diagram.map((p) => ({ ...p, death: Number.isFinite(p.death) ? p.death : null })), out: out ?? null }, null, 2) + '\n');
  else {
    process.stdout.write(textTable(Object.entries(summary).map(([k, v]) => ({ quantity: k, value: v === null ? '—' : typeof v === 'number' ? +v.toPrecision(6) : v }))) + '\n');
    if (out) process.stdout.write(`wrote ${out}/{diagram.json,diagram.svg,barcode.svg,betti.svg,report.html}\n`);
  }
  return EXIT.ok;
}
