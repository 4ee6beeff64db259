import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { tf } from '@descent/tensor';
import { writeFileAtomic } from '@descent/train';
import { stableJson } from './stable-json';

/** Data samples an analysis evaluates the loss on (the first n test examples, one batch). */
export interface Samples {
  inputs: tf.Tensor;
  labels: tf.Tensor;
}

/** What an analysis gets: the run folder, the trained model (lazily), data samples, earlier results. */
export interface AnalysisContext {
  /** The run folder. */
  runDir: string;
  /** runDir/analyses: where results go; an analysis may write extra files here. */
  outDir: string;
  /** The output name of this analysis (its results file is `<name>.json`). */
  name: string;
  /** The run's config.json. */
  runConfig: Record<string, unknown>;
  /** The checkpoint whose weights the model holds (undefined: the weights in memory after training). */
  checkpoint?: { epoch: number; path: string };
  seed: number;
  /**
   * The model with the run's weights. Shared between analyses: an analysis that moves the weights
   * must put them back (landscape's withRestore does).
   */
  model(): Promise<tf.LayersModel>;
  /** The first n test examples as one batch; owned by the runner (do not dispose). */
  samples(n: number): Promise<Samples>;
  /** The result of an earlier analysis of this run, by output name (this call or saved). */
  result(name: string): Record<string, unknown> | undefined;
  log(line: string): void;
  signal?: AbortSignal;
}

/** An analysis: a registry plugin of kind 'analysis' creates one, or write your own. */
export interface Analysis {
  /** What it is (spectrum, hessian, ... or your own). */
  id: string;
  /** Output name (default: the id). */
  name?: string;
  /** Returns a JSON-serialisable result, written to `<outDir>/<name>.json`. */
  run(ctx: AnalysisContext): Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** An analysis ready to run: the product, its output name and its resolved config (for the record). */
export interface ResolvedAnalysis {
  name: string;
  id: string;
  config: Record<string, unknown>;
  analysis: Analysis;
}

/** What `<runDir>/analyses/<name>.json` holds. */
export interface AnalysisRecord {
  analysis: string;
  name: string;
  config: Record<string, unknown>;
  checkpoint: number | null;
  seconds: number;
  finishedAt: string;
  result: Record<string, unknown>;
}

/** Where the model and samples come from: the live run, or a saved run folder. */
export interface AnalysisSources {
  runConfig: Record<string, unknown>;
  checkpoint?: { epoch: number; path: string };
  seed: number;
  model(): Promise<tf.LayersModel>;
  /** The first n examples of the test split as one batch (the caller disposes them). */
  samples(n: number): Promise<Samples>;
}

export const ANALYSES_DIR = 'analyses';

export function readRecord(runDir: string, name: string): AnalysisRecord | undefined {
  const path = join(runDir, ANALYSES_DIR, `${name}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as AnalysisRecord) : undefined;
}

/**
 * Runs analyses in order, writing each result atomically to `<runDir>/analyses/<name>.json`. An
 * analysis whose results file exists for the same config and checkpoint is not run again (unless
 * `force`), so an interrupted run resumes where it stopped.
 */
export async function executeAnalyses(
  runDir: string,
  analyses: ResolvedAnalysis[],
  sources: AnalysisSources,
  options: { log?: (line: string) => void; signal?: AbortSignal; force?: boolean } = {},
): Promise<{ records: Record<string, AnalysisRecord>; ran: string[]; skipped: string[]; interrupted: boolean }> {
  const log = options.log ?? (() => {});
  const outDir = join(runDir, ANALYSES_DIR);
  const records: Record<string, AnalysisRecord> = {};
  const ran: string[] = [];
  const skipped: string[] = [];
  const cache = new Map<number, Samples>();
  const epoch = sources.checkpoint?.epoch ?? null;
  try {
    for (const a of analyses) {
      if (options.signal?.aborted) return { records, ran, skipped, interrupted: true };
      const saved = readRecord(runDir, a.name);
      if (!options.force && saved && saved.analysis === a.id && saved.checkpoint === epoch && stableJson(saved.config) === stableJson(a.config)) {
        records[a.name] = saved;
        skipped.push(a.name);
        continue;
      }
      const ctx: AnalysisContext = {
        runDir,
        outDir,
        name: a.name,
        runConfig: sources.runConfig,
        checkpoint: sources.checkpoint,
        seed: sources.seed,
        model: () => sources.model(),
        samples: async (n) => {
          let s = cache.get(n);
          if (!s) cache.set(n, (s = await sources.samples(n)));
          return s;
        },
        result: (name) => records[name]?.result ?? readRecord(runDir, name)?.result,
        log: (line) => log(`${a.name}: ${line}`),
        signal: options.signal,
      };
      const t0 = performance.now();
      const result = await a.analysis.run(ctx);
      const record: AnalysisRecord = { analysis: a.id, name: a.name, config: a.config, checkpoint: epoch, seconds: (performance.now() - t0) / 1000, finishedAt: new Date().toISOString(), result };
      writeFileAtomic(join(outDir, `${a.name}.json`), JSON.stringify(record, jsonReplacer, 2));
      records[a.name] = JSON.parse(JSON.stringify(record, jsonReplacer));
      ran.push(a.name);
      log(`${a.name}: done in ${record.seconds.toFixed(1)} s`);
    }
  } finally {
    for (const s of cache.values()) {
      s.inputs.dispose();
      s.labels.dispose();
    }
  }
  return { records, ran, skipped, interrupted: false };
}

/** Typed arrays as plain arrays, non-finite numbers as strings ("Infinity"), in results files. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>, (v) => (Number.isFinite(v) ? v : String(v)));
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}
