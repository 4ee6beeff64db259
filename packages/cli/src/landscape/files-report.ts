import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { writeFileAtomic } from '@descent/train';
import { htmlReport, writeReport, type ReportSection } from '@descent/report';
import { UsageError } from '../errors';
import { readSavedJson } from '../saved-json';
import { reportVersions } from '../versions';

/** What a landscape subcommand's report is built from; saved as report.json beside it. */
export interface FilesReportInput {
  title: string;
  /** The command's one-line result. */
  text?: string;
  /** Key facts for the summary table. */
  summary?: Record<string, unknown>;
  config?: unknown;
  backend?: string;
  /** The files the command wrote, relative to the folder (plots: .svg; results: .json, .bin). */
  files: string[];
}

/** The name of the saved inputs of a report. */
export const REPORT_INPUT = 'report.json';

/**
 * The report of a landscape subcommand (interp, hessian, trajectory, fit, dynamics, connect): its
 * plots (the SVG files it wrote, inlined), a summary, the command's options, versions and links to
 * the results. The inputs go to report.json, from which `descent report <folder>` rebuilds it.
 */
export async function renderFilesReport(out: string, input: FilesReportInput, file?: string): Promise<string> {
  const path = file ?? join(out, 'report.html');
  const href = (f: string) => relative(dirname(path), join(out, f)).split('\\').join('/');
  const sections: ReportSection[] = [];
  if (input.text) sections.push({ heading: 'Result', text: input.text });
  for (const f of input.files.filter((f) => f.endsWith('.svg') && existsSync(join(out, f)))) {
    sections.push({ heading: basename(f, '.svg').replace(/[-_]+/g, ' ').replace(/^./, (c) => c.toUpperCase()), svg: readFileSync(join(out, f), 'utf8') });
  }
  const html = await htmlReport({
    title: input.title,
    summary: input.summary,
    sections,
    config: input.config,
    versions: reportVersions(input.backend),
    links: [...input.files, REPORT_INPUT].filter((f) => existsSync(join(out, f))).map((f) => ({ href: href(f), label: f })),
  });
  await writeReport(path, html);
  return path;
}

/** Saves the inputs (report.json) and writes report.html; returns both paths. */
export async function writeFilesReport(out: string, input: FilesReportInput): Promise<string[]> {
  const inputs = join(out, REPORT_INPUT);
  writeFileAtomic(inputs, JSON.stringify(input, null, 2));
  return [inputs, await renderFilesReport(out, input)];
}

/** Reads report.json of a folder, or undefined when there is none. */
export function readFilesReportInput(dir: string): FilesReportInput | undefined {
  const path = join(dir, REPORT_INPUT);
  const input = readSavedJson<FilesReportInput>(path);
  if (input === undefined) return undefined;
  if (typeof input?.title !== 'string' || !Array.isArray(input.files)) throw new UsageError(`${path} is not the input of a report (no title or files)`);
  return input;
}
