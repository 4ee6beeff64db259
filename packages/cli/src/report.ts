import { join } from 'node:path';
import { metricsPanels, htmlReport, writeReport, table, type Column } from '@descent/report';
import type { TrainResult } from '@descent/train';

const EPOCH_COLUMNS: Column[] = [
  { key: 'epoch', title: 'epoch', format: 'integer' },
  { key: 'trainLoss', title: 'train loss', format: { digits: 4 } },
  { key: 'trainAccuracy', title: 'train accuracy', format: 'percent' },
  { key: 'testLoss', title: 'test loss', format: { digits: 4 } },
  { key: 'testAccuracy', title: 'test accuracy', format: 'percent' },
  { key: 'gradNorm', title: 'gradient norm', format: { digits: 3 } },
  { key: 'lr', title: 'learning rate', format: 'exponent' },
  { key: 'seconds', title: 's / epoch', format: { digits: 1 } },
  { key: 'msPerStep', title: 'ms / step', format: { digits: 1 } },
  { key: 'optimizerStateBytes', title: 'optimizer state', format: 'bytes' },
];

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
    { heading: 'Summary', text: status, tableHtml: records.length ? table(records as never, EPOCH_COLUMNS) : undefined },
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
