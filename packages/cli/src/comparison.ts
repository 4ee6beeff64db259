import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { htmlReport, metricsPanels, table, writeReport, type MetricKey } from '@descent/report';
import type { EpochRecord } from '@descent/train';
import { UsageError } from './errors';
import { readSavedJson } from './saved-json';
import { reportVersions } from './versions';

/** What a run folder of `descent train --out` (or a study's runs/<name>) saved. */
export interface SavedRun {
  dir: string;
  name: string;
  records: EpochRecord[];
  /** summary.json: status, diverged, final record, meta (the run's config). */
  summary: Record<string, unknown> | null;
  /** config.json, else summary.json's meta. */
  config: Record<string, unknown> | null;
}

const readJson = (path: string): Record<string, unknown> | null => readSavedJson<Record<string, unknown>>(path) ?? null;

/** Reads a run folder's results.jsonl, summary.json and config.json. */
export function readSavedRun(dir: string): SavedRun {
  const path = resolve(dir);
  const jsonl = join(path, 'results.jsonl');
  if (!existsSync(jsonl)) throw new UsageError(`${dir} has no results.jsonl (not a run folder of descent train --out)`);
  const records = readFileSync(jsonl, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as EpochRecord;
      } catch (e) {
        throw new UsageError(`${jsonl}, line ${i + 1}: ${(e as Error).message}`);
      }
    });
  const summary = readJson(join(path, 'summary.json'));
  const config = readJson(join(path, 'config.json')) ?? ((summary?.meta as Record<string, unknown> | undefined) ?? null);
  return { dir: path, name: basename(path), records, summary, config };
}

/** The result a run's report is drawn from, as far as the folder tells: status, epochs, time. */
export function savedResult(run: SavedRun): { status: 'completed' | 'diverged' | 'interrupted'; epochs: EpochRecord[]; seconds: number; diverged?: { epoch: number; batch: number; reason: string } } {
  const status = (run.summary?.status as 'completed' | 'diverged' | 'interrupted' | undefined) ?? 'completed';
  const diverged = (run.summary?.diverged ?? undefined) as { epoch: number; batch: number; reason: string } | undefined;
  return { status, epochs: run.records, seconds: run.records.reduce((a, r) => a + (Number(r.seconds) || 0), 0), ...(diverged ? { diverged } : {}) };
}

const PANELS: MetricKey[] = ['trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy', 'gradNorm', 'lr', 'msPerStep', 'optimizerStateBytes'];

/**
 * A comparison of several runs on one page: the curves of every metric the runs recorded,
 * overlaid (one line per run), a table of final and best values, and each run's configuration.
 */
export async function renderComparisonReport(file: string, runs: SavedRun[]): Promise<string> {
  // Names: folder names, or paths where two folders share a name.
  const names = runs.map((r) => r.name);
  const unique = runs.map((r, i) => (names.indexOf(r.name) !== names.lastIndexOf(r.name) ? relative(process.cwd(), r.dir) || r.name : names[i]));
  const withRecords = runs.map((r, i) => ({ name: unique[i], records: r.records })).filter((r) => r.records.length > 0);
  const present = PANELS.filter((m) => withRecords.some((r) => r.records.some((e) => typeof (e as unknown as Record<string, unknown>)[m] === 'number' && Number.isFinite((e as unknown as Record<string, number>)[m]))));
  const optimizerOf = (r: SavedRun) => String(((r.config?.optimizer as { id?: string } | undefined)?.id ?? '—'));
  const rows = runs.map((r, i) => {
    const last = r.records.at(-1);
    const acc = r.records.map((e) => e.testAccuracy).filter((a): a is number => typeof a === 'number');
    const losses = r.records.map((e) => e.testLoss).filter((a): a is number => typeof a === 'number');
    const best = acc.length ? Math.max(...acc) : null;
    return {
      run: unique[i],
      optimizer: optimizerOf(r),
      status: String(r.summary?.status ?? (r.records.length ? 'completed' : '—')),
      epochs: r.records.length,
      'final test loss': last?.testLoss ?? null,
      'best test loss': losses.length ? Math.min(...losses) : null,
      'final test accuracy': last?.testAccuracy ?? null,
      'best test accuracy': best,
      'best epoch': best === null ? null : r.records.find((e) => e.testAccuracy === best)!.epoch,
      seconds: Number(savedResult(r).seconds.toFixed(1)),
    };
  });
  const pct = { format: 'percent' as const };
  const columns = [
    'run',
    'optimizer',
    'status',
    { key: 'epochs', format: 'integer' as const },
    { key: 'final test loss', format: { digits: 4 } },
    { key: 'best test loss', format: { digits: 4 } },
    { key: 'final test accuracy', ...pct },
    { key: 'best test accuracy', ...pct },
    { key: 'best epoch', format: 'integer' as const },
    { key: 'seconds', format: { digits: 1 } },
  ];
  const bestRun = rows.filter((r) => r['best test accuracy'] !== null).sort((a, b) => b['best test accuracy']! - a['best test accuracy']!)[0];
  const href = (dir: string, f: string) => relative(dirname(file), join(dir, f)).split('\\').join('/');
  const backends = [...new Set(runs.map((r) => r.config?.backend).filter((b): b is string => typeof b === 'string'))];
  const html = await htmlReport({
    title: `descent report — ${runs.length} runs compared`,
    summary: {
      runs: runs.length,
      datasets: [...new Set(runs.map((r) => String(r.config?.dataset ?? '—')))].join(', '),
      optimizers: [...new Set(runs.map(optimizerOf))].join(', '),
      'best test accuracy': bestRun ? `${(100 * bestRun['best test accuracy']!).toFixed(2)} % (${bestRun.run})` : null,
    },
    sections: [
      { heading: 'Runs', text: 'Final values are those of the last recorded epoch; best values are over all epochs.', tableHtml: table(rows as never, columns) },
      ...(withRecords.length && present.length
        ? [{ heading: 'Curves', plots: [metricsPanels(withRecords as never, present, { title: 'Metrics per epoch', seriesTitle: 'Run' })] }]
        : []),
    ],
    config: Object.fromEntries(runs.map((r, i) => [unique[i], r.config ?? null])),
    versions: reportVersions(backends.join(', ') || undefined),
    links: runs.flatMap((r, i) =>
      ['results.jsonl', 'results.csv', 'summary.json', 'config.json', 'report.html']
        .filter((f) => existsSync(join(r.dir, f)))
        .map((f) => ({ href: href(r.dir, f), label: `${unique[i]}: ${f}` })),
    ),
  });
  await writeReport(file, html);
  return file;
}
