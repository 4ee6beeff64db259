import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf, useBackend, clipByGlobalNorm } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { adam } from '@descent/optim-adam';
import { sgd } from '@descent/optim-sgd';
import { kaimingNormalPlugin } from '@descent/init-kaiming';
import { definePipeline, runPipeline, runAnalyses, syntheticImages, type Analysis } from '../src/index';

const plugins = [adam, sgd, kaimingNormalPlugin];

beforeAll(async () => {
  await useBackend('cpu');
});

const study = definePipeline({
  name: 'tiny',
  data: { id: 'synthetic', config: { trainSize: 64, testSize: 32, shape: [4, 4, 1] } },
  model: { id: 'simple-mlp', config: { hiddenSizes: [8] } },
  init: { id: 'kaiming-normal' },
  optimizer: { id: 'adam', config: { lr: 0.02 }, transforms: [{ id: 'clip-by-global-norm', config: { maxNorm: 5 } }], schedule: { id: 'step', config: { stepSize: 1, gamma: 0.5 } } },
  training: { epochs: 2, batchSize: 16, seed: 3 },
  analyses: [
    { id: 'spectrum' },
    { id: 'hessian', config: { top: 2, maxIterations: 10, samples: 32 } },
    { id: 'landscape', config: { grid: 6, samples: 32 } },
    { id: 'topology' },
    { id: 'wavelet', config: { level: 1 } },
  ],
});

describe('runPipeline', () => {
  it('trains, writes the descent train layout and every analysis, and leaks no tensors', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pipeline-run-'));
    const before = tf.memory().numTensors;
    const r = await runPipeline(study, { outDir: out, plugins });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.status).toBe('completed');
    expect(r.epochs).toHaveLength(2);
    // The schedule halves the rate each epoch.
    expect(r.epochs.map((e) => e.lr)).toEqual([0.02, 0.01]);
    for (const f of ['config.json', 'results.csv', 'results.jsonl', 'summary.json', 'report.html', 'pipeline.json', 'checkpoints/latest']) expect(existsSync(join(out, f)), f).toBe(true);
    for (const a of ['spectrum', 'hessian', 'landscape', 'topology', 'wavelet']) expect(existsSync(join(out, 'analyses', `${a}.json`)), a).toBe(true);
    expect(existsSync(join(out, 'analyses', 'landscape-surface.bin'))).toBe(true);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ dataset: 'synthetic', model: 'simple-mlp', hidden: '8', seed: 3, inputShape: [4, 4, 1], numClasses: 2 });
    expect(config.optimizer).toMatchObject({ id: 'adam', config: expect.objectContaining({ lr: 0.02 }), transforms: [{ id: 'clip-by-global-norm', config: { maxNorm: 5 } }] });
    const h = r.analyses.hessian as { eigenvalues: number[]; trace: number };
    expect(h.eigenvalues).toHaveLength(2);
    expect(Math.abs(h.eigenvalues[0])).toBeGreaterThanOrEqual(Math.abs(h.eigenvalues[1]));
    expect(Number.isFinite(h.trace)).toBe(true);
    expect((r.analyses.spectrum as { layers: unknown[] }).layers).toHaveLength(2);
    expect((r.analyses.landscape as { x: number[] }).x).toHaveLength(6);
    expect((r.analyses.topology as { basins: number }).basins).toBeGreaterThanOrEqual(1);
    expect((r.analyses.wavelet as { roughness: number }).roughness).toBeGreaterThanOrEqual(0);
    expect((r.analyses.wavelet as { details: unknown[] }).details).toHaveLength(1);

    // The report: a figure per analysis, the rotatable 3-D surface, versions and links to the raw results.
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const title of [
      'Spectral norm per weight',
      'Condition number per weight',
      'Stable rank per weight',
      'Singular-value spectrum',
      'Top Hessian eigenvalues',
      'Loss surface (contour)',
      'Loss surface in 3-D (drag to rotate)',
      'Persistence diagram',
      'Barcode',
      'Betti curves',
      'Wavelet energy per level',
      'Wavelet coefficients per level (haar)',
    ]) {
      expect(html, title).toContain(title);
    }
    expect(html).toContain('<canvas');
    expect(html).toMatch(/Versions[\s\S]*@descent\/pipeline[\s\S]*TensorFlow\.js/);
    for (const f of ['analyses/landscape.json', 'analyses/landscape-surface.bin', 'analyses/wavelet.json', 'results.csv']) expect(html).toContain(`href="${f}"`);
    expect(html).not.toContain('No figures:');

    // Rerun: finished, so nothing runs and no file changes.
    const mtime = statSync(join(out, 'analyses', 'hessian.json')).mtimeMs;
    const again = await runPipeline(study, { outDir: out, plugins });
    expect(again.skipped).toBe(true);
    expect(again.analyses.hessian).toEqual(JSON.parse(readFileSync(join(out, 'analyses', 'hessian.json'), 'utf8')).result);
    expect(statSync(join(out, 'analyses', 'hessian.json')).mtimeMs).toBe(mtime);

    // Analyses on the saved folder alone: a new one runs, the saved ones are found done.
    const before2 = tf.memory().numTensors;
    const own: Analysis = { id: 'weight-count', run: async (ctx) => ({ parameters: (await ctx.model()).countParams(), epoch: ctx.checkpoint?.epoch }) };
    const saved = await runAnalyses(out, [{ id: 'hessian', config: { top: 2, maxIterations: 10, samples: 32 } }, { id: 'landscape', name: 'curve', config: { dims: 1, grid: 5, samples: 32 } }, own], { plugins });
    expect(tf.memory().numTensors).toBe(before2);
    expect(saved.ranAnalyses).toEqual(['curve', 'weight-count']);
    expect(saved.analyses.hessian).toEqual(h);
    expect(saved.analyses['weight-count']).toEqual({ parameters: config.parameters, epoch: 2 });
    expect((saved.analyses.curve as { loss: number[] }).loss).toHaveLength(5);
    // The same weights give the same Hessian when recomputed from the checkpoint.
    const forced = await runAnalyses(out, [{ id: 'hessian', config: { top: 2, maxIterations: 10, samples: 32 } }], { plugins, force: true });
    expect((forced.analyses.hessian as { eigenvalues: number[] }).eigenvalues[0]).toBeCloseTo(h.eigenvalues[0], 3);
  });

  it('takes your own data, model, optimizer and analysis functions', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pipeline-own-'));
    let seen = 0;
    const r = await runPipeline(
      {
        data: () => ({ train: syntheticImages({ size: 32, shape: [2, 2, 1] }), test: syntheticImages({ size: 16, shape: [2, 2, 1], split: 'test' }) }),
        model: ({ inputShape, numClasses }) => tf.sequential({ layers: [tf.layers.flatten({ inputShape }), tf.layers.dense({ units: numClasses })] }),
        optimizer: { id: 'sgd', config: { lr: 0.1 }, transforms: [clipByGlobalNorm(1)], schedule: (epoch) => 0.1 / (epoch + 1) },
        training: { epochs: 1, batchSize: 8 },
        analyses: [{ id: 'mine', name: 'mine', run: (ctx) => ({ seen: ++seen, dir: ctx.runDir }) }],
      },
      { outDir: out, plugins },
    );
    expect(r.status).toBe('completed');
    expect(r.analyses.mine).toEqual({ seen: 1, dir: out });
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).pipeline.data).toEqual({ custom: 'data function' });
  });

  it('runs analyses on a folder with only the keys descent train writes', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pipeline-train-folder-'));
    await runPipeline(
      { data: { id: 'fashion-mnist', config: { source: 'embedded', trainSize: 256, testSize: 64 } }, model: { id: 'simple-mlp', config: { hiddenSizes: [16] } }, optimizer: { id: 'sgd', config: { lr: 0.05 } }, training: { epochs: 1, batchSize: 64 } },
      { outDir: out, plugins, report: false },
    );
    // What `descent train` writes: no pipeline record, no input shape.
    const { pipeline: _p, inputShape: _s, numClasses: _n, ...trainKeys } = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    writeFileSync(join(out, 'config.json'), JSON.stringify(trainKeys));
    const before = tf.memory().numTensors;
    const r = await runAnalyses(out, [{ id: 'spectrum' }, { id: 'hessian', config: { top: 1, maxIterations: 3, samples: 32, trace: false } }], { plugins });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.checkpoint).toBe(1);
    expect((r.analyses.spectrum as { layers: Array<{ shape: number[] }> }).layers.map((l) => l.shape)).toEqual([[784, 16], [16, 10]]);
    expect((r.analyses.hessian as { samples: number }).samples).toBe(32);
    await expect(runAnalyses(out, [{ id: 'spectrum' }], { plugins, checkpoint: 7 })).rejects.toMatchObject({ path: 'checkpoint' });
  });

  it('refuses a folder that holds another run, and bad steps with their path', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pipeline-taken-'));
    const small = { ...study, training: { epochs: 1, batchSize: 16 }, analyses: [] };
    await runPipeline(small, { outDir: out, plugins });
    await expect(runPipeline({ ...small, optimizer: { id: 'sgd', config: { lr: 0.1 } } }, { outDir: out, plugins })).rejects.toThrow(/holds another run/);
    await expect(runPipeline({ ...small, optimizer: { id: 'adam', config: { lr: 0.1, betas: [0.9, 1.5] } } }, { outDir: out, plugins })).rejects.toMatchObject({ path: 'optimizer.config.betas[1]' });
    await expect(runPipeline({ ...small, optimizer: { id: 'adam', schedule: { id: 'warmup-cosine', config: { warmupEpochs: 3 } } } }, { outDir: out, plugins })).rejects.toBeInstanceOf(ConfigError);
  });
});
