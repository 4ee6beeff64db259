import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@descent/train';
import { ConfigError, type Registry } from '@descent/registry';
import { checkStructure, under } from './config-schema';
import { resolvePipeline, isStepRef } from './resolve';
import { pipelineRegistry } from './plugins';
import { runPipeline, readMarker, isFinished, type RunPipelineOptions, type PipelineResult } from './pipeline';
import { DATA_STEPS } from './data';
import { MODEL_STEPS } from './steps';
import { hashOf } from './stable-json';
import type { PipelineConfig } from './types';

/** Short names for the settings swept most. */
export const SWEEP_ALIASES: Record<string, string> = {
  seed: 'training.seed',
  lr: 'optimizer.config.lr',
  epochs: 'training.epochs',
  batchSize: 'training.batchSize',
  optimizer: 'optimizer',
  init: 'init',
  data: 'data',
  model: 'model',
};

/** One run of a sweep: its folder name, the settings it changes, and its whole config. */
export interface SweepRun {
  name: string;
  overrides: Record<string, unknown>;
  config: PipelineConfig;
}

const STEP_KINDS: Record<string, 'optimizer' | 'initializer' | 'data' | 'model'> = { optimizer: 'optimizer', init: 'initializer', data: 'data', model: 'model' };

function schemaKeys(kind: string, id: string, registry: Registry): string[] | undefined {
  const s = kind === 'data' ? DATA_STEPS[id]?.schema : kind === 'model' ? MODEL_STEPS[id]?.schema : registry.has(id) ? registry.get(id).schema : undefined;
  const props = (s as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : undefined;
}

/**
 * Sets one sweep setting in a copy of the config. A dotted path sets that key (numbers index
 * arrays: analyses.1.config.grid); a step path (optimizer, init, data, model) given a string
 * switches the step's id and keeps the config keys the new step also has (so `optimizer: [adam,
 * sgd]` with lr set trains both at that lr); null removes the initializer.
 */
export function applySetting(config: PipelineConfig, key: string, value: unknown, registry: Registry): PipelineConfig {
  const path = SWEEP_ALIASES[key] ?? key;
  const out = structuredClone(config) as unknown as Record<string, any>;
  if (path in STEP_KINDS && typeof value === 'string') {
    const old = isStepRef(out[path]) ? out[path] : { id: value };
    const keys = schemaKeys(STEP_KINDS[path], value, registry) ?? [];
    const kept = Object.fromEntries(Object.entries((old.config ?? {}) as Record<string, unknown>).filter(([k]) => keys.includes(k)));
    out[path] = { ...old, id: value, config: kept };
    return out as PipelineConfig;
  }
  const segments = path.split('.');
  let node: any = out;
  segments.slice(0, -1).forEach((seg, i) => {
    if (node[seg] === undefined || node[seg] === null) node[seg] = /^\d+$/.test(segments[i + 1]) ? [] : {};
    if (typeof node[seg] !== 'object') throw new ConfigError(segments.slice(0, i + 1).join('.'), node[seg], `an object (the sweep sets ${path} inside it)`);
    node = node[seg];
  });
  node[segments.at(-1)!] = structuredClone(value);
  return out as PipelineConfig;
}

function label(key: string, all: string[]): string {
  const path = SWEEP_ALIASES[key] ?? key;
  const alias = Object.entries(SWEEP_ALIASES).find(([, p]) => p === path)?.[0];
  if (alias) return alias;
  const last = path.split('.').at(-1)!;
  const clash = all.filter((k) => (SWEEP_ALIASES[k] ?? k).split('.').at(-1) === last).length > 1;
  return clash ? path.replace(/\./g, '-') : last;
}

function valueLabel(v: unknown): string {
  if (v === null) return 'none';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return String(v);
  if (isStepRef(v)) return Object.keys(v.config ?? {}).length ? `${v.id}-${hashOf(v.config).slice(0, 6)}` : v.id;
  return hashOf(v).slice(0, 8);
}

/** The folder name of a run: its settings as key=value joined by "_" (e.g. lr=0.01_seed=1), safe for any file system. */
export function runName(overrides: Record<string, unknown>): string {
  const keys = Object.keys(overrides);
  if (keys.length === 0) return 'run';
  const raw = keys.map((k) => `${label(k, keys)}=${valueLabel(overrides[k])}`).join('_');
  const safe = raw.replace(/[^A-Za-z0-9._=+-]/g, '-');
  return safe.length <= 96 ? safe : `${safe.slice(0, 80)}-${hashOf(overrides)}`;
}

function validateRun(config: PipelineConfig, registry: Registry, where: string, value: unknown): void {
  try {
    resolvePipeline(checkStructure(config), registry);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(where, value, `a value that makes a valid run (${e.path}: ${e.allowed})`);
    throw e;
  }
}

/**
 * The runs a config's sweep expands into: every combination of the grid, crossed with each entry
 * of the list, in a fixed order with deterministic, unique names. Every setting is checked by
 * validating the run it makes; a bad one is a ConfigError naming it (`sweep.grid["lr"][1]`).
 */
export function expandSweep(config: PipelineConfig, registry: Registry): SweepRun[] {
  const { sweep, ...base } = config;
  if (!sweep || (!sweep.grid && !sweep.list)) return [{ name: runName({}), overrides: {}, config: base }];
  const grid = Object.entries(sweep.grid ?? {});
  for (const [key, values] of grid) {
    values.forEach((v, i) => {
      const at = `sweep.grid[${JSON.stringify(key)}][${i}]`;
      validateRun(under(at, () => applySetting(base, key, v, registry)), registry, at, v);
    });
  }
  let combos: Array<Record<string, unknown>> = [{}];
  for (const [key, values] of grid) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  const list = sweep.list ?? [{}];
  const runs: SweepRun[] = [];
  list.forEach((item, li) => {
    for (const combo of combos) {
      const overrides = { ...item, ...combo };
      let cfg = base as PipelineConfig;
      for (const [k, v] of Object.entries(overrides)) cfg = under(`sweep.list[${li}]`, () => applySetting(cfg, k, v, registry));
      validateRun(cfg, registry, sweep.list ? `sweep.list[${li}]` : 'sweep.grid', sweep.list ? item : combo);
      runs.push({ name: runName(overrides), overrides, config: cfg });
    }
  });
  const seen = new Map<string, number>();
  for (const r of runs) {
    const n = seen.get(r.name) ?? 0;
    seen.set(r.name, n + 1);
    if (n > 0) r.name = `${r.name}-${hashOf(r.overrides).slice(0, 6)}`;
  }
  return runs;
}

export type SweepRunStatus = 'pending' | 'running' | 'completed' | 'diverged' | 'interrupted' | 'failed';

/** outDir/sweep.json: every run, its folder and status (rewritten atomically at each change). */
export interface SweepManifest {
  format: 1;
  name: string | null;
  runs: Array<{ name: string; dir: string; overrides: Record<string, unknown>; status: SweepRunStatus; seconds: number | null; error: string | null }>;
  updatedAt: string;
}

export interface RunSweepOptions extends Omit<RunPipelineOptions, 'outDir'> {
  /** The sweep folder: sweep.json and runs/<name>/. */
  outDir: string;
  onRunStart?(run: SweepRun): void;
  onRunEnd?(run: SweepRun, result: PipelineResult): void;
  onRunSkipped?(run: SweepRun): void;
}

export interface SweepResult {
  status: 'completed' | 'interrupted';
  outDir: string;
  runs: Array<{ name: string; dir: string; status: SweepRunStatus; skipped: boolean }>;
}

/**
 * Runs every run of a sweep into `<outDir>/runs/<name>`, one after another. A run whose folder
 * holds it finished (completed, or diverged) is skipped without touching its files; an
 * interrupted one resumes from its checkpoint; after an abort the sweep stops and a rerun
 * continues where it stopped.
 */
export async function runSweep(config: PipelineConfig, options: RunSweepOptions): Promise<SweepResult> {
  const registry = await pipelineRegistry(options.plugins);
  const runs = expandSweep(checkStructure(config), registry);
  const outDir = resolve(options.outDir);
  const manifestPath = join(outDir, 'sweep.json');
  const previous = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as SweepManifest) : undefined;
  const manifest: SweepManifest = {
    format: 1,
    name: config.name ?? null,
    runs: runs.map((r) => {
      const old = previous?.runs.find((p) => p.name === r.name);
      return { name: r.name, dir: `runs/${r.name}`, overrides: r.overrides, status: old?.status === 'running' ? 'interrupted' : (old?.status ?? 'pending'), seconds: old?.seconds ?? null, error: old?.error ?? null };
    }),
    updatedAt: new Date().toISOString(),
  };
  const save = () => writeFileAtomic(manifestPath, JSON.stringify({ ...manifest, updatedAt: new Date().toISOString() }, null, 2));
  save();
  const out: SweepResult['runs'] = [];
  const { onRunStart, onRunEnd, onRunSkipped, ...pipelineOptions } = options;
  for (const [i, run] of runs.entries()) {
    const entry = manifest.runs[i];
    const dir = join(outDir, 'runs', run.name);
    const marker = readMarker(dir);
    const resolved = resolvePipeline(run.config, registry);
    if (isFinished(dir, resolved) || (marker?.status === 'diverged' && entry.status === 'diverged')) {
      if (entry.status !== marker!.status) {
        entry.status = marker!.status as SweepRunStatus;
        save();
      }
      out.push({ name: run.name, dir, status: entry.status, skipped: true });
      onRunSkipped?.(run);
      continue;
    }
    if (options.signal?.aborted) break;
    entry.status = 'running';
    save();
    onRunStart?.(run);
    let result: PipelineResult;
    try {
      result = await runPipeline(run.config, { ...pipelineOptions, plugins: registry, outDir: dir });
    } catch (e) {
      entry.status = 'failed';
      entry.error = (e as Error).message;
      save();
      throw e;
    }
    entry.status = result.status;
    entry.seconds = result.seconds;
    entry.error = null;
    save();
    onRunEnd?.(run, result);
    out.push({ name: run.name, dir, status: result.status, skipped: false });
    if (result.status === 'interrupted') break;
  }
  const complete = out.length === runs.length && out.every((r) => r.status === 'completed' || r.status === 'diverged');
  return { status: complete ? 'completed' : 'interrupted', outDir, runs: out };
}
