import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '@descent/tensor';
import { metricsPanels, htmlReport, writeReport, table, EPOCH_COLUMNS } from '@descent/report';
import type { EpochRecord } from '@descent/train';
import type { AnalysisRecord } from './analyses';
import { analysisSections } from './report-plots';
import { reportVersions } from './versions';

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

/**
 * Writes report.html in the run folder: status, epoch table, training curves, one line per analysis,
 * then a figure section per analysis (report-plots.ts), the config, versions and links to the raw results.
 */
export async function writeRunReport(dir: string, args: { title: string; status: string; config: Record<string, unknown>; epochs: EpochRecord[]; analyses: AnalysisRecord[] }): Promise<string> {
  const { epochs } = args;
  const sections = [
    { heading: 'Summary', text: args.status, tableHtml: epochs.length ? table(epochs as never, EPOCH_COLUMNS) : undefined },
    ...(epochs.length ? [{ heading: 'Training curves', plots: [metricsPanels([{ name: String((args.config.optimizer as { id?: string })?.id ?? 'run'), records: epochs as never }])] }] : []),
    ...(args.analyses.length ? [{ heading: 'Analyses', text: args.analyses.map(analysisLine).join('\n\n') + '\n\nResults: analyses/<name>.json.' }] : []),
    ...analysisSections(dir, args.analyses),
  ];
  const last = epochs[epochs.length - 1];
  const html = await htmlReport({
    title: args.title,
    summary: {
      status: args.status,
      epochs: epochs.length,
      'final train loss': last?.trainLoss ?? null,
      'final test loss': last?.testLoss ?? null,
      'final test accuracy': last?.testAccuracy ?? null,
      analyses: args.analyses.map((a) => a.name).join(', ') || '—',
    },
    sections,
    config: args.config,
    versions: reportVersions(tf.getBackend()),
    links: [
      { href: 'results.csv', label: 'results.csv' },
      { href: 'config.json', label: 'config.json' },
      ...['results.jsonl', 'summary.json', 'pipeline.json'].filter((f) => existsSync(join(dir, f))).map((f) => ({ href: f, label: f })),
      ...args.analyses.flatMap((a) => [`${a.name}.json`, ...savedFiles(a)].map((f) => ({ href: `analyses/${f}`, label: f }))),
    ].filter((l, i, all) => all.findIndex((m) => m.href === l.href) === i),
  });
  const path = join(dir, 'report.html');
  await writeReport(path, html);
  return path;
}

/** Extra files an analysis saved beside its result (a landscape's surface .json/.bin or curve .json). */
function savedFiles(a: AnalysisRecord): string[] {
  const file = (a.result as { file?: unknown }).file;
  if (typeof file !== 'string') return [];
  return file.endsWith('-surface.json') ? [file, file.replace(/\.json$/, '.bin')] : [file];
}
