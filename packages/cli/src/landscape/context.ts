import type { tf } from '@descent/tensor';
import type { LandscapeProblem } from '@descent/landscape';
import { UsageError } from '../errors';
import { openRun, pickCheckpoint, loadSamples, buildRunModel, loadWeights, type RunFolder, type Checkpoint, type Samples } from './run-folder';

/** What a landscape subcommand gets from the dispatcher. */
export interface LandscapeContext {
  name: string;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  extra: Record<string, string | boolean>;
  log: (line: string) => void;
  /** The available cores (the default number of workers). */
  workers: number;
  /** --out, or <defaultBase>/landscape/<subcommand>; created. */
  outDir(defaultBase: string): string;
}

export function intOpt(ctx: LandscapeContext, name: string, min: number): number {
  const raw = ctx.values[name];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

export function numOpt(ctx: LandscapeContext, name: string, check: (x: number) => boolean = Number.isFinite, allowed = 'a finite number'): number {
  const raw = ctx.values[name];
  const n = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(n) || !check(n)) throw new UsageError(`--${name} must be ${allowed}, got "${raw}"`);
  return n;
}

export function choiceOpt<T extends string>(ctx: LandscapeContext, name: string, choices: readonly T[]): T {
  const v = String(ctx.values[name]);
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got "${v}"`);
  return v as T;
}

/** "a,b" → [a, b] (two finite numbers). */
export function pairOpt(ctx: LandscapeContext, name: string): [number, number] {
  const raw = String(ctx.values[name]);
  const parts = raw.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || !parts.every(Number.isFinite)) throw new UsageError(`--${name} must be two numbers "a,b", got "${raw}"`);
  return [parts[0], parts[1]];
}

/** A run's model rebuilt at one checkpoint, with the data samples it is evaluated on. */
export interface LoadedProblem {
  run: RunFolder;
  checkpoint: Checkpoint;
  problem: LandscapeProblem & { model: tf.LayersModel };
  samples: Samples;
  dispose(): void;
}

export async function loadProblem(ctx: LandscapeContext, runArg: string, options: { checkpoint?: string; split?: 'train' | 'test'; samples?: number } = {}): Promise<LoadedProblem> {
  const run = openRun(runArg);
  const checkpoint = pickCheckpoint(run, options.checkpoint);
  const samples = await loadSamples(run.config, {
    split: options.split ?? 'test',
    samples: options.samples ?? 256,
    dataDir: ctx.values['data-dir'] as string | undefined,
  });
  samples.notes.forEach(ctx.log);
  const model = buildRunModel(run.config, samples);
  await loadWeights(model, checkpoint);
  ctx.log(`model: ${run.config.model}${run.config.activation ? ` (${run.config.activation})` : ''}, ${model.countParams().toLocaleString('en')} parameters, checkpoint epoch ${checkpoint.epoch} of ${run.dir}`);
  return {
    run,
    checkpoint,
    samples,
    problem: { model, inputs: samples.inputs, labels: samples.labels },
    dispose() {
      model.dispose();
      samples.inputs.dispose();
      samples.labels.dispose();
    },
  };
}
