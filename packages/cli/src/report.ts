import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { metricsPanels, htmlReport, writeReport, table, EPOCH_COLUMNS } from '@descent/report';
import type { TrainResult } from '@descent/train';
import { reportVersions } from './versions';

const percent = (v: number) => `${(100 * v).toFixed(2)} %`;

/** The title of a training run's report. */
export function trainReportTitle(config: Record<string, unknown>): string {
  return `descent train — ${String((config.optimizer as { id?: string } | null)?.id ?? 'run')} on ${String(config.dataset ?? 'data')}`;
}

/**
 * Writes report.html beside the run's results: a summary, the metric panels and the table, the
 * config, versions and links to the raw results, inline, offline. `descent report` calls it again
 * with what the run folder saved (results.jsonl, summary.json, config.json).
 */
export async function renderTrainReport(
  out: string,
  args: { title?: string; config: Record<string, unknown>; result: Pick<TrainResult, 'status' | 'epochs' | 'seconds' | 'diverged'>; file?: string },
): Promise<string> {
  const { result } = args;
  const records = result.epochs;
  const status =
    result.status === 'completed'
      ? `Completed ${records.length} epochs in ${result.seconds.toFixed(1)} s.`
      : result.status === 'diverged'
        ? `Diverged at epoch ${result.diverged!.epoch}, batch ${result.diverged!.batch} (${result.diverged!.reason}).`
        : `Interrupted after ${records.length} completed epochs.`;
  const sections = [
    { heading: 'Summary', text: status, tableHtml: records.length ? table(records as never, EPOCH_COLUMNS) : undefined },
    ...(records.length ? [{ heading: 'Training curves', plots: [metricsPanels([{ name: String((args.config.optimizer as { id?: string })?.id ?? 'run'), records: records as never }])] }] : []),
  ];
  const path = args.file ?? join(out, 'report.html');
  const last = records.at(-1);
  const accuracies = records.map((r) => r.testAccuracy).filter((a): a is number => typeof a === 'number');
  const html = await htmlReport({
    title: args.title ?? trainReportTitle(args.config),
    summary: {
      status: result.status,
      epochs: records.length,
      'final train loss': last ? Number(last.trainLoss.toPrecision(4)) : null,
      'final test accuracy': typeof last?.testAccuracy === 'number' ? percent(last.testAccuracy) : null,
      'best test accuracy': accuracies.length ? percent(Math.max(...accuracies)) : null,
      'time (s)': Number(result.seconds.toFixed(1)),
    },
    sections,
    config: args.config,
    versions: reportVersions(typeof args.config.backend === 'string' ? args.config.backend : undefined),
    // The raw results that are there (a study's runs keep no config.json or checkpoints).
    links: ['results.csv', 'results.jsonl', 'summary.json', 'config.json', 'checkpoints/']
      .filter((f) => existsSync(join(out, f)))
      .map((f) => ({ href: relative(dirname(path), join(out, f)).split('\\').join('/') + (f.endsWith('/') ? '/' : ''), label: f })),
  });
  await writeReport(path, html);
  return path;
}
