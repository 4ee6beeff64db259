import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { surfaceDiagram, countBasins, minimaBarrier, totalPersistence, persistenceEntropy, type PersistencePair } from '@descent/topology';
import { textTable } from '@descent/report';
import { writeFileAtomic } from '@descent/train';
import { parse, helpText, type OptionSpec } from '../args';
import { readGrid } from '../grid-file';
import { renderTopologyReport, type SavedTopology, type TopologySummary } from '../topology-report';
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
  const summary: TopologySummary = {
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
    const saved: SavedTopology = { source: grid.source, threshold, summary, diagram: diagram.map((p) => ({ dimension: p.dimension, birth: p.birth, death: Number.isFinite(p.death) ? p.death : null })) };
    writeFileAtomic(join(out, 'diagram.json'), JSON.stringify(saved, null, 2));
    await renderTopologyReport(out, saved, { svgs: true });
  }
  if (values.json) process.stdout.write(JSON.stringify({ summary, diagram: diagram.map((p) => ({ ...p, death: Number.isFinite(p.death) ? p.death : null })), out: out ?? null }, null, 2) + '\n');
  else {
    process.stdout.write(textTable(Object.entries(summary).map(([k, v]) => ({ quantity: k, value: v === null ? '—' : typeof v === 'number' ? +v.toPrecision(6) : v }))) + '\n');
    if (out) process.stdout.write(`wrote ${out}/{diagram.json,diagram.svg,barcode.svg,betti.svg,report.html}\n`);
  }
  return EXIT.ok;
}
