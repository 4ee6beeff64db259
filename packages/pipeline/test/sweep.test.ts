import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf, useBackend } from '@descent/tensor';
import { adam } from '@descent/optim-adam';
import { sgd } from '@descent/optim-sgd';
import { kaimingNormalPlugin } from '@descent/init-kaiming';
import { expandSweep, runSweep, pipelineRegistry, type PipelineConfig, type SweepManifest } from '../src/index';

const plugins = [adam, sgd, kaimingNormalPlugin];
const registry = await pipelineRegistry(plugins);

beforeAll(async () => {
  await useBackend('cpu');
});

const base: PipelineConfig = {
  name: 'tiny-sweep',
  data: { id: 'synthetic', config: { trainSize: 48, testSize: 16, shape: [4, 4, 1] } },
  model: { id: 'simple-mlp', config: { hiddenSizes: [4] } },
  optimizer: { id: 'adam', config: { lr: 0.01, betas: [0.9, 0.99] } },
  training: { epochs: 2, batchSize: 16 },
  analyses: [{ id: 'spectrum' }],
};

describe('expandSweep', () => {
  it('crosses the grid in order with deterministic names', () => {
    const runs = expandSweep({ ...base, sweep: { grid: { lr: [0.01, 0.1], 'training.seed': [0, 1] } } }, registry);
    expect(runs.map((r) => r.name)).toEqual(['lr=0.01_seed=0', 'lr=0.01_seed=1', 'lr=0.1_seed=0', 'lr=0.1_seed=1']);
    expect(runs[3].config.optimizer.config).toEqual({ lr: 0.1, betas: [0.9, 0.99] });
    expect(runs[3].config.training.seed).toBe(1);
    expect(runs[0].config).not.toHaveProperty('sweep');
    expect(expandSweep({ ...base, sweep: { grid: { lr: [0.01, 0.1], 'training.seed': [0, 1] } } }, registry).map((r) => r.name)).toEqual(runs.map((r) => r.name));
  });

  it('switches optimizers and initializers by id, keeping the settings the new plugin has', () => {
    const runs = expandSweep({ ...base, sweep: { list: [{ optimizer: 'adam' }, { optimizer: 'sgd', 'optimizer.config.momentum': 0.9 }], grid: { init: [null, 'kaiming-normal'] } } }, registry);
    expect(runs.map((r) => r.name)).toEqual(['optimizer=adam_init=none', 'optimizer=adam_init=kaiming-normal', 'optimizer=sgd_momentum=0.9_init=none', 'optimizer=sgd_momentum=0.9_init=kaiming-normal']);
    expect(runs[2].config.optimizer).toEqual({ id: 'sgd', config: { lr: 0.01, momentum: 0.9 } });
    expect(runs[1].config.init).toEqual({ id: 'kaiming-normal', config: {} });
  });

  it('names a bad setting by its place in the sweep', () => {
    expect(() => expandSweep({ ...base, sweep: { grid: { 'optimizer.config.betas': [[0.9, 0.99], [0.9, 2]] } } }, registry)).toThrow(/sweep\.grid\["optimizer\.config\.betas"\]\[1\].*optimizer\.config\.betas\[1\]/);
    expect(() => expandSweep({ ...base, sweep: { list: [{ optimizer: 'lion' }] } }, registry)).toThrow(/sweep\.list\[0\].*optimizer\.id/);
  });
});

describe('runSweep', () => {
  it('resumes an interrupted sweep without redoing finished runs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pipeline-sweep-'));
    const config: PipelineConfig = { ...base, sweep: { grid: { lr: [0.01, 0.02], seed: [0, 1] } } };
    const before = tf.memory().numTensors;

    // First pass: stop during the second run, after its first epoch.
    const controller = new AbortController();
    const started: string[] = [];
    let ended = 0;
    const first = await runSweep(config, {
      outDir: out,
      plugins,
      signal: controller.signal,
      onRunStart: (r) => started.push(r.name),
      onRunEnd: () => ended++,
      callbacks: {
        onEpochEnd: () => {
          if (ended === 1) controller.abort();
        },
      },
    });
    expect(first.status).toBe('interrupted');
    expect(started).toEqual(['lr=0.01_seed=0', 'lr=0.01_seed=1']);
    const manifest = () => JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as SweepManifest;
    expect(manifest().runs.map((r) => r.status)).toEqual(['completed', 'interrupted', 'pending', 'pending']);
    const done = join(out, 'runs', 'lr=0.01_seed=0');
    const files = ['results.jsonl', 'summary.json', 'pipeline.json', 'config.json', 'analyses/spectrum.json', 'checkpoints/latest'];
    const snapshot = () => Object.fromEntries(files.map((f) => [f, { mtime: statSync(join(done, f)).mtimeMs, text: readFileSync(join(done, f), 'utf8') }]));
    const finished = snapshot();
    const interrupted = JSON.parse(readFileSync(join(out, 'runs', 'lr=0.01_seed=1', 'summary.json'), 'utf8'));
    expect(interrupted).toMatchObject({ status: 'interrupted', epochs: 1 });

    // Second pass: the finished run is skipped untouched, the interrupted one resumes after epoch 1.
    const again: string[] = [];
    const skipped: string[] = [];
    let batches = 0;
    const second = await runSweep(config, { outDir: out, plugins, onRunStart: (r) => again.push(r.name), onRunSkipped: (r) => skipped.push(r.name), callbacks: { onBatchEnd: () => batches++ } });
    expect(second.status).toBe('completed');
    expect(skipped).toEqual(['lr=0.01_seed=0']);
    expect(again).toEqual(['lr=0.01_seed=1', 'lr=0.02_seed=0', 'lr=0.02_seed=1']);
    // 3 batches an epoch: 1 epoch left of the resumed run, 2 of each new one.
    expect(batches).toBe(3 * (1 + 2 + 2));
    expect(snapshot()).toEqual(finished);
    const resumed = JSON.parse(readFileSync(join(out, 'runs', 'lr=0.01_seed=1', 'summary.json'), 'utf8'));
    expect(resumed).toMatchObject({ status: 'completed', epochs: 2, resumedFrom: 1 });
    expect(manifest().runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(readdirSync(join(out, 'runs')).sort()).toEqual(['lr=0.01_seed=0', 'lr=0.01_seed=1', 'lr=0.02_seed=0', 'lr=0.02_seed=1']);

    // Third pass: nothing left to do.
    const third: string[] = [];
    expect((await runSweep(config, { outDir: out, plugins, onRunStart: (r) => third.push(r.name) })).status).toBe('completed');
    expect(third).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
