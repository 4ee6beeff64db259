import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, helpText, type OptionSpec } from '../args';
import { EXIT, UsageError } from '../errors';
import { readSavedRun, renderComparisonReport, savedResult, type SavedRun } from '../comparison';
import { renderTrainReport } from '../report';
import { readSavedSurfaces, renderSurfaceReport } from '../landscape/surface-report';
import { readFilesReportInput, renderFilesReport } from '../landscape/files-report';
import { readSavedTopology, renderTopologyReport } from '../topology-report';
import { readSavedWavelet, renderWaveletReport } from '../wavelet-report';
import { readSavedJson } from '../saved-json';

const OPTIONS: Record<string, OptionSpec> = {
  out: { type: 'string', description: 'the HTML file to write (default <run>/report.html for one run, comparison.html for several)', value: '<file>' },
  json: { type: 'boolean', description: 'print what was written as JSON' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

const SUMMARY = [
  'Rebuilds a report from saved results, without computing anything again.',
  '',
  'One folder: a run of `descent train --out` (results.jsonl, summary.json, config.json) gets its',
  'report.html again; so does a folder of `descent landscape surface` (from its surface-*.json/.bin)',
  'or of another landscape subcommand (from its report.json), of `descent topology --out` (from its',
  'diagram.json) and of `descent wavelet --out` (from its multiscale.json and cwt.json). A study folder with',
  'runs/<name>/results.jsonl gets a comparison of its runs (comparison.html, beside its report.html).',
  'Several folders (runs, or study folders whose runs are taken): one comparison report with the',
  'curves of every metric overlaid, a table of final and best values, and each run\'s config.',
].join('\n');

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** The run folders of a study (runs/<name>/results.jsonl), in name order. */
function studyRuns(dir: string): string[] {
  const runs = join(dir, 'runs');
  if (!isDir(runs)) return [];
  return readdirSync(runs)
    .sort()
    .map((f) => join(runs, f))
    .filter((d) => existsSync(join(d, 'results.jsonl')));
}

function readConfig(dir: string): unknown {
  return readSavedJson(join(dir, 'config.json'));
}

/** `descent report <run-dir> [<run-dir> ...]`: rebuild a report, or compare runs. */
export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS, false);
  if (values.help) {
    process.stdout.write(
      helpText('descent report <run-dir> [<run-dir> ...] [--out <file>]', SUMMARY, OPTIONS, 'Examples:\n  descent report runs/demo\n  descent report runs/sgd runs/adam --out runs/sgd-vs-adam.html\n  descent report runs/a/landscape/surface\n  descent report runs/topology'),
    );
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('give at least one run folder (see --help)');
  const dirs = positionals.map((p) => {
    const dir = resolve(p);
    if (!isDir(dir)) throw new UsageError(`"${p}" is not a folder`);
    return dir;
  });
  const out = values.out === undefined ? undefined : resolve(String(values.out));
  let written: { kind: string; report: string; runs?: number };

  if (dirs.length === 1 && existsSync(join(dirs[0], 'results.jsonl'))) {
    const run = readSavedRun(dirs[0]);
    if (!run.config) throw new UsageError(`${positionals[0]} has neither config.json nor summary.json with the run's config`);
    written = { kind: 'train', report: await renderTrainReport(run.dir, { config: run.config, result: savedResult(run), file: out }) };
  } else if (dirs.length === 1 && readSavedSurfaces(dirs[0]).length > 0) {
    const surfaces = readSavedSurfaces(dirs[0]);
    written = { kind: 'surface', report: await renderSurfaceReport(dirs[0], surfaces, { config: readConfig(dirs[0]), file: out }) };
  } else if (dirs.length === 1 && readFilesReportInput(dirs[0])) {
    written = { kind: 'landscape', report: await renderFilesReport(dirs[0], readFilesReportInput(dirs[0])!, out) };
  } else if (dirs.length === 1 && readSavedTopology(dirs[0])) {
    written = { kind: 'topology', report: await renderTopologyReport(dirs[0], readSavedTopology(dirs[0])!, { file: out }) };
  } else if (dirs.length === 1 && readSavedWavelet(dirs[0])) {
    written = { kind: 'wavelet', report: await renderWaveletReport(dirs[0], readSavedWavelet(dirs[0])!, { file: out }) };
  } else {
    const runs: SavedRun[] = [];
    for (const [i, dir] of dirs.entries()) {
      if (existsSync(join(dir, 'results.jsonl'))) runs.push(readSavedRun(dir));
      else {
        const inner = studyRuns(dir);
        if (inner.length === 0) {
          throw new UsageError(
            `"${positionals[i]}" holds no saved results this command reads: no results.jsonl (descent train --out), no surface-*.json (descent landscape surface), no diagram.json (descent topology), no multiscale.json or cwt.json (descent wavelet), no runs/<name>/results.jsonl (a study)`,
          );
        }
        runs.push(...inner.map(readSavedRun));
      }
    }
    const file = out ?? (dirs.length === 1 ? join(dirs[0], 'comparison.html') : resolve('comparison.html'));
    written = { kind: 'comparison', report: await renderComparisonReport(file, runs), runs: runs.length };
  }
  if (values.json) process.stdout.write(JSON.stringify(written) + '\n');
  else process.stdout.write(`report (${written.kind}${written.runs ? `, ${written.runs} runs` : ''}): ${written.report}\n`);
  return EXIT.ok;
}
