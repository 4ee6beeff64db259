import { join } from 'node:path';
import { metricsPanels, htmlReport, writeReport, table } from '@descent/report';
import type { TrainResult } from '@descent/train';

/** Writes report.html beside the run's results: the metric panels and the table, inline, offline. */
export async function renderTrainReport(out: string, args: { title: string; config: Record<string, unknown>; result: TrainResult }): Promise<string> {
  const { result } = args;
  const records = result.epochs;
  const status =
    result.status === 'completed'
      ? `Completed ${records.length} epochs in ${result.seconds.toFixed(1)} s.`
      : result.status === 'diverged'
        ? `Diverged at epoch ${result.diverged!.epoch}, batch ${result.diverged!.batch} (${result.diverged!.reason}).`
        : `Interrupted after ${records.length} completed epochs.`;
  const sections = [
    { heading: 'Summary', text: status, tableHtml: records.length ? table(records as never, ['epoch', 'trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy', 'gradNorm', 'lr', 'seconds', 'msPerStep']) : undefined },
    ...(records.length ? [{ heading: 'Training curves', plots: [metricsPanels([{ name: String((args.config.optimizer as { id?: string })?.id ?? 'run'), records: records as never }])] }] : []),
  ];
  const html = await htmlReport({
    title: args.title,
    sections,
    config: args.config,
    links: [
      { href: 'results.csv', label: 'results.csv' },
      { href: 'results.jsonl', label: 'results.jsonl' },
      { href: 'config.json', label: 'config.json' },
    ],
  });
  const path = join(out, 'report.html');
  writeReport(path, html);
  return path;
}
