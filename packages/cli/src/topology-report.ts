import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { bettiCurve, type PersistencePair } from '@descent/topology';
import { persistenceDiagram, barcode, bettiCurves, htmlReport, writeReport, table, type Plot } from '@descent/report';
import { writeFileAtomic } from '@descent/train';
import { reportVersions } from './versions';
import { UsageError } from './errors';
import { readSavedJson } from './saved-json';

/** The summaries `descent topology` prints and saves. */
export interface TopologySummary {
  grid: string;
  h0: number;
  h1: number;
  basins: number;
  barrierDepth: number | null;
  totalPersistenceH0: number;
  totalPersistenceH1: number;
  entropyH0: number;
}

/** What `descent topology --out` saves as diagram.json (essential classes die at null). */
export interface SavedTopology {
  source: string;
  /** The --threshold the basins were counted with (absent in folders written before it was saved). */
  threshold?: number;
  summary: TopologySummary;
  diagram: Array<{ dimension: number; birth: number; death: number | null }>;
}

/** The files of a topology folder that its report links to. */
const FILES = ['diagram.json', 'diagram.svg', 'barcode.svg', 'betti.svg'];

/** diagram.json of a `descent topology --out` folder, or undefined when the folder has none. */
export function readSavedTopology(dir: string): SavedTopology | undefined {
  const path = join(dir, 'diagram.json');
  const saved = readSavedJson<SavedTopology>(path);
  if (saved === undefined) return undefined;
  if (!saved || typeof saved !== 'object' || !Array.isArray(saved.diagram) || typeof saved.summary !== 'object' || saved.summary === null) {
    throw new UsageError(`${path} is not a diagram.json of \`descent topology --out\` (expected source, summary and diagram)`);
  }
  return saved;
}

/** The persistence diagram, the barcode and the Betti curves of a diagram. */
export function topologyPlots(diagram: readonly PersistencePair[]): { diagram: Plot; barcode: Plot; betti: Plot } {
  const levels = Array.from({ length: 101 }, (_, i) => i / 100);
  return {
    diagram: persistenceDiagram({
      title: 'Persistence diagram',
      subtitle: 'sublevel sets of the min-max normalised grid; height above the diagonal = persistence',
      pairs: diagram,
    }),
    barcode: barcode({ title: 'Barcode', subtitle: 'one bar per class, from birth to death', pairs: diagram }),
    betti: bettiCurves({
      title: 'Betti curves',
      subtitle: 'classes alive at each level: β0 components (basins), β1 loops',
      x: { title: 'filtration level (normalised)' },
      curves: [0, 1].map((dimension) => ({ dimension, ...bettiCurve(diagram, { dimension, grid: levels }) })),
    }),
  };
}

/**
 * Writes report.html (or `options.file`) of a topology folder from its saved diagram.json: the
 * summary table, the diagram, barcode and Betti curves. `descent topology --out` calls it with
 * `svgs: true` to write the plots beside it too; `descent report` calls it on a saved folder.
 */
export async function renderTopologyReport(dir: string, saved: SavedTopology, options: { file?: string; svgs?: boolean } = {}): Promise<string> {
  const pairs: PersistencePair[] = saved.diagram.map((p) => ({ dimension: p.dimension, birth: p.birth, death: p.death === null ? Infinity : p.death }));
  const plots = topologyPlots(pairs);
  if (options.svgs) {
    writeFileAtomic(join(dir, 'diagram.svg'), await plots.diagram.toSvg());
    writeFileAtomic(join(dir, 'barcode.svg'), await plots.barcode.toSvg());
    writeFileAtomic(join(dir, 'betti.svg'), await plots.betti.toSvg());
  }
  const { summary } = saved;
  const file = options.file ?? join(dir, 'report.html');
  const html = await htmlReport({
    title: `descent topology — ${saved.source}`,
    summary: { grid: summary.grid, basins: summary.basins, 'barrier depth': summary.barrierDepth },
    config: { command: 'descent topology', source: saved.source, ...(saved.threshold !== undefined ? { threshold: saved.threshold } : {}) },
    versions: reportVersions(),
    links: FILES.filter((f) => existsSync(join(dir, f))).map((f) => ({ href: relative(dirname(file), join(dir, f)).split('\\').join('/'), label: f })),
    sections: [
      { heading: 'Summary', tableHtml: table(Object.entries(summary).map(([quantity, value]) => ({ quantity, value: value ?? '—' }))) },
      { heading: 'Diagram, barcode and Betti curves', plots: [plots.diagram, plots.barcode, plots.betti] },
    ],
  });
  await writeReport(file, html);
  return file;
}
