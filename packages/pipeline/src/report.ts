import { join } from 'node:path';
import { metricsPanels, htmlReport, writeReport, table, type Column } from '@descent/report';
import type { EpochRecord } from '@descent/train';
import type { AnalysisRecord } from './analyses';

const EPOCH_COLUMNS: Column[] = [
  { key: 'epoch', title: 'epoch', format: 'integer' },
  { key: 'trainLoss', title: 'train loss', format: { digits: 4 } },
  { key: 'trainAccuracy', title: 'train accuracy', format: 'percent' },
  { key: 'testLoss', title: 'test loss', format: { digits: 4 } },
  { key: 'testAccuracy', title: 'test accuracy', format: 'percent' },
  { key: 'gradNorm', title: 'gradient norm', format: { digits: 3 } },
  { key: 'lr', title: 'learning rate', format: 'exponent' },
  { key: 'seconds', title: 's / epoch', format: { digits: 1 } },
];

/** One line per analysis for the report. */
export function analysisLine(r: AnalysisRecord): string {
  const x = r.result as Record<string, any>;
  const n = (v: unknown, d = 4) => (typeof v === 'number' ? v.toPrecision(d) : String(v));
  switch (r.analysis) {
    case 'spectrum':
      return `spectrum: ${x.layers?.length} weights, mean spectral norm ${n(x.averages?.spectralNorm)}, mean condition ${n(x.averages?.condition)}, mean stable rank ${n(x.averages?.stableRank)}`;
    case 'hessian':
      return `hessian: top eigenvalues ${(x.eigenvalues as number[]).map((v) => n(v)).join(', ')}${x.trace !== null ? `; trace ${n(x.trace)}` : ''}`;
    case 'landscape':
      return `landscape (${x.dims}-D): minimum loss ${n(x.minLoss)}, loss at the centre ${n(x.centreLoss)}`;
    case 'topology':
      return `topology: ${x.basins} basin${x.basins === 1 ? '' : 's'} (persistence > ${x.threshold}), total H0 persistence ${n(x.totalPersistenceH0)}`;
    case 'wavelet':
      return `wavelet: roughness ${n(x.roughness)}; ${(x.bands as Array<{ level: number; share: number }>).map((b) => `level ${b.level} ${(100 * b.share).toFixed(1)} %`).join(', ')}`;
    default:
      return `${r.name}: ${Object.keys(x).slice(0, 6).join(', ')}`;
  }
}

/** Writes report.html in the run folder: status, epoch table, training curves, one line per analysis. */
export async function writeRunReport(dir: string, args: { title: string; status: string; config: Record<string, unknown>; epochs: EpochRecord[]; analyses: AnalysisRecord[] }): Promise<string> {
  const { epochs } = args;
  const sections = [
    { heading: 'Summary', text: args.status, tableHtml: epochs.length ? table(epochs as never, EPOCH_COLUMNS) : undefined },
    ...(epochs.length ? [{ heading: 'Training curves', plots: [metricsPanels([{ name: String((args.config.optimizer as { id?: string })?.id ?? 'run'), records: epochs as never }])] }] : []),
    ...(args.analyses.length ? [{ heading: 'Analyses', text: args.analyses.map(analysisLine).join('\n\n') + '\n\nResults: analyses/<name>.json.' }] : []),
  ];
  const html = await htmlReport({
    title: args.title,
    sections,
    config: args.config,
    links: [
      { href: 'results.csv', label: 'results.csv' },
      { href: 'config.json', label: 'config.json' },
      ...args.analyses.map((a) => ({ href: `analyses/${a.name}.json`, label: `${a.name}.json` })),
    ],
  });
  const path = join(dir, 'report.html');
  await writeReport(path, html);
  return path;
}
