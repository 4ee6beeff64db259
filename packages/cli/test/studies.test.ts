import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initializeModel, Rng, useBackend } from '@descent/tensor';
import { simpleNetwork } from '@descent/models';
import { ImageDataset } from '@descent/datasets';
import { orthogonal } from '@descent/init-orthogonal';
import { scaledOrthogonal } from '@descent/init-scaled-orthogonal';
import { lMomentum } from '@descent/init-lmomentum';
import { kaimingNormal } from '@descent/init-kaiming';
import { metaInitInitializer } from '@descent/init-metainit';
import { sgd } from '@descent/optim-sgd';
import { adam } from '@descent/optim-adam';
import { convergenceSpeed, initSpectrum, depthProfile, runInitStudy, initTableRows } from '../src/studies/init';
import { runOptimizerStudy, optimizerTableRows } from '../src/studies/optimizers';
import { SURFACES, runSurfaceStudy, sophiaSurfaceExtras } from '../src/studies/surfaces';
import { optimizerPath } from '@descent/landscape';
import { extractSettings, stat, showStat, downsample } from '../src/studies/common';

beforeAll(async () => {
  await useBackend('auto');
});

/** n images of shape [8, 8, 1] whose brightness pattern depends on the label, so a network can learn. */
function synthetic(n: number, split: 'train' | 'test', seed: number): ImageDataset {
  const rng = new Rng(seed);
  const images = new Uint8Array(n * 64);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng.int(10);
    for (let p = 0; p < 64; p++) images[i * 64 + p] = Math.min(255, Math.floor(rng.next() * 60 + (p % 10 === labels[i] ? 190 : 0)));
  }
  return new ImageDataset({ name: 'synthetic', split, images, labels, shape: [8, 8, 1], numClasses: 10 });
}

describe("the book's convergence speed", () => {
  it('reproduces the published values: 0.33 when every epoch improves, 1.00 when only the first does, 0.00 when never finite', () => {
    expect(convergenceSpeed([0.6, 0.52, 0.48], 3)).toBeCloseTo(1 / 3, 12);
    expect(convergenceSpeed([2.3026, 2.3026, 2.3025], 3)).toBe(1);
    expect(convergenceSpeed([NaN, NaN, NaN], 3)).toBe(0);
  });
  it('needs more than 1 % to count, compares with the best so far, and treats epochs never reached as NaN', () => {
    expect(convergenceSpeed([1, 0.995, 0.991], 3)).toBe(1); // neither later epoch beats 0.99
    expect(convergenceSpeed([1, 0.98, 0.975], 3)).toBeCloseTo(2 / 3, 12); // 0.975 > 0.99·0.98
    expect(convergenceSpeed([0.9], 3)).toBe(1); // diverged in epoch 2: only epoch 0 counts
    expect(convergenceSpeed([0.9, 1.2, 0.5, 0.4951], 4)).toBe(0.5); // 0.4951 is not below 0.99·0.5
    expect(convergenceSpeed([0.9, 1.2, 0.5, 0.49], 4)).toBe(0.25);
  });
});

describe('spectrum at initialisation, as the book computes it', () => {
  const build = (init: Parameters<typeof initializeModel>[1]) => {
    const model = simpleNetwork({ activation: 'prelu', seed: 1 });
    initializeModel(model, init, { rng: new Rng(1) });
    return model;
  };
  it('orthogonal: condition 1.00, spectral norm 0.875 (5 kernels at 1, slope 0.25), book rank ratio 0.947; scaled orthogonal: 0.132', () => {
    const model = build(orthogonal());
    const s = initSpectrum(model);
    expect(s.layers.map((l) => l.name)).toHaveLength(6);
    expect(s.condition).toBeCloseTo(1, 4);
    expect(s.spectralNorm).toBeCloseTo(5.25 / 6, 4);
    // (243/256 + 182/192 + 121/128 + 60/64 + 9/10 + 1) / 6
    expect(s.rankRatioBook).toBeCloseTo((243 / 256 + 182 / 192 + 121 / 128 + 60 / 64 + 9 / 10 + 1) / 6, 4);
    expect(s.rankRatioEntropy).toBeCloseTo(1, 4);
    model.dispose();
    const scaled = build(scaledOrthogonal());
    const t = initSpectrum(scaled);
    const expected = ([784, 256, 192, 128, 64].reduce((a, fanIn) => a + Math.sqrt(2 / fanIn), 0) + 0.25) / 6;
    expect(t.spectralNorm).toBeCloseTo(expected, 4);
    expect(t.spectralNorm.toFixed(2)).toBe('0.13');
    scaled.dispose();
  });
  it('l-momentum: spectral norm in the book\'s 19–20.3; kaiming: about 1.97, rank ratio 0.89', () => {
    const lm = build(lMomentum());
    const s = initSpectrum(lm);
    expect(s.spectralNorm).toBeGreaterThan(18.5);
    expect(s.spectralNorm).toBeLessThan(20.8);
    lm.dispose();
    const k = build(kaimingNormal());
    const t = initSpectrum(k);
    expect(t.spectralNorm).toBeGreaterThan(1.9);
    expect(t.spectralNorm).toBeLessThan(2.05);
    expect(t.rankRatioBook.toFixed(2)).toBe('0.89');
    k.dispose();
  });
});

describe('depth profile', () => {
  it('records one activation variance per hidden layer and one gradient variance per kernel, without leaking', () => {
    const model = simpleNetwork({ activation: 'relu', hiddenSizes: [32, 32, 32], inputShape: [8, 8, 1], seed: 2 });
    initializeModel(model, kaimingNormal(), { rng: new Rng(2) });
    const data = synthetic(64, 'train', 3);
    const batch = data.toTensors();
    const before = tf.memory().numTensors;
    const p = depthProfile(model, batch);
    expect(tf.memory().numTensors).toBe(before);
    expect(p.activationVariance).toHaveLength(3);
    expect(p.preActivationVariance).toHaveLength(4);
    expect(p.gradientVariance).toHaveLength(4);
    for (const v of [...p.activationVariance, ...p.gradientVariance]) expect(v).toBeGreaterThan(0);
    batch.dispose();
    model.dispose();
  });
});

describe('runInitStudy', () => {
  it('trains each method, reports divergence as such, runs MetaInit before training, and leaks no tensors', async () => {
    const train = synthetic(256, 'train', 4);
    const test = synthetic(64, 'test', 5);
    const before = tf.memory().numTensors;
    const result = await runInitStudy({
      methods: [
        { name: 'orthogonal', id: 'orthogonal', config: {}, create: () => orthogonal() },
        { name: 'l-momentum', id: 'l-momentum', config: {}, create: () => lMomentum() },
        { name: 'metainit', id: 'metainit', config: {}, create: () => metaInitInitializer({ steps: 2 }) },
      ],
      train,
      test,
      optimizer: { id: 'sgd', config: { lr: 0.05, momentum: 0.9 }, create: () => sgd.create({ lr: 0.05, momentum: 0.9 }) },
      epochs: 2,
      batchSize: 32,
      seed: 0,
      hiddenSizes: [64, 32, 32, 16],
      probeSize: 64,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.rows.map((r) => r.method)).toEqual(['orthogonal', 'l-momentum', 'metainit']);
    const [orth, lm, meta] = result.rows;
    expect(orth.completed).toBe(1);
    expect(orth.testLoss!.mean).toBeLessThan(2.3);
    expect(orth.errorRate!.mean).toBeGreaterThanOrEqual(0);
    expect(orth.condition!.mean).toBeCloseTo(1, 3);
    // l-momentum's RMS-0.9 kernels through 5 layers: SGD at lr 0.05 blows up at once.
    expect(lm.divergedEpochs).toEqual([1]);
    expect(lm.testLoss).toBeNull();
    expect(lm.convergenceSpeed!.mean).toBe(0);
    expect(meta.gradientQuotientBefore).not.toBeNull();
    expect(meta.gradientQuotientAfter).not.toBeNull();
    const cells = initTableRows(result.rows);
    expect(cells[1]['test loss']).toBe('diverged (epoch 1)');
    expect(cells[1]['error rate (%)']).toBe('—');
    expect(cells[2]['GQ before → after']).toMatch(/^\d+\.\d{3} → \d+\.\d{3}$/);
    expect(result.plots.spectra).toHaveLength(3);
    expect(result.plots.depth).toHaveLength(2);
    expect(result.plots.loss.length).toBeGreaterThan(0);
  }, 120_000);
});

describe('runOptimizerStudy', () => {
  it('runs each optimizer from the same weights and summarises the per-epoch metrics', async () => {
    const train = synthetic(256, 'train', 6);
    const test = synthetic(64, 'test', 7);
    const before = tf.memory().numTensors;
    const result = await runOptimizerStudy({
      runs: [
        { name: 'sgd', id: 'sgd', config: { lr: 0.01, momentum: 0.9 }, create: () => sgd.create({ lr: 0.01, momentum: 0.9 }) },
        { name: 'adam', id: 'adam', config: { lr: 1e-3 }, create: () => adam.create({ lr: 1e-3 }) },
      ],
      buildModel: () => simpleNetwork({ activation: 'gelu', hiddenSizes: [32, 16], inputShape: [8, 8, 1], seed: 3 }),
      train,
      test,
      epochs: 2,
      batchSize: 32,
      seed: 0,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.rows.map((r) => r.name)).toEqual(['sgd', 'adam']);
    const [s, a] = result.rows;
    expect(s.epochs).toBe(2);
    // Adam keeps two moments per parameter, SGD one buffer: twice the state.
    expect(a.optimizerStateBytes).toBe(2 * s.optimizerStateBytes!);
    expect(s.gradNorm).toBeGreaterThan(0);
    expect(result.runs[0].batchLosses).toHaveLength(16);
    expect(result.plots).toHaveLength(3);
    const cells = optimizerTableRows(result.rows);
    expect(cells[0].settings).toBe('sgd lr=0.01 momentum=0.9');
  }, 60_000);
});

describe('optimizers on 2-D surfaces', () => {
  it('runs the landscape paths on the study surfaces: SGD descends the bowl, Adam the Rosenbrock valley', () => {
    const before = tf.memory().numTensors;
    const { bowl: b, rosenbrock: r } = SURFACES;
    const bowl = optimizerPath(b.fn, sgd.create({ lr: 0.5 }), { start: b.start, steps: 200, domain: b.domain });
    expect(bowl.points[0].z).toBeCloseTo(1 - Math.exp(-1), 6);
    expect(bowl.points.at(-1)!.z).toBeLessThan(1e-3);
    const rb = optimizerPath(r.fn, adam.create({ lr: 0.02 }), { start: r.start, steps: 500, domain: r.domain });
    expect(rb.points.at(-1)!.z).toBeLessThan(rb.points[0].z / 10);
    expect(tf.memory().numTensors).toBe(before);
  });
  it('stops a path that leaves the plot (the saddle) or diverges; Sophia gets the exact Hessian diagonal', () => {
    const { saddle: s, rosenbrock: r } = SURFACES;
    const saddle = optimizerPath(s.fn, sgd.create({ lr: 0.2 }), { start: s.start, steps: 200, domain: s.domain });
    expect(saddle.leftAt).toBeGreaterThan(0);
    const blowup = optimizerPath(r.fn, sgd.create({ lr: 0.1 }), { start: r.start, steps: 200, domain: r.domain });
    expect(blowup.divergedAt ?? blowup.leftAt).toBeGreaterThan(0);
    const extras = sophiaSurfaceExtras(r, 10);
    expect(extras(3, { x: 1, y: 1 })).toBeUndefined();
    const h = extras(10, { x: 1, y: 1 })!.hessianDiag!;
    // ∂²f/∂x² = 2 − 400(y − 3x²) = 802 and ∂²f/∂y² = 200 at (1, 1).
    expect(h.x.dataSync()[0]).toBeCloseTo(802, 0);
    expect(h.y.dataSync()[0]).toBeCloseTo(200, 0);
    tf.dispose([h.x, h.y]);
  });
  it('runSurfaceStudy summarises the paths and draws them over the contour', () => {
    const r = runSurfaceStudy({
      surface: SURFACES.bowl,
      runs: [
        { name: 'sgd', id: 'sgd', config: { lr: 0.1, momentum: 0.9 }, create: () => sgd.create({ lr: 0.1, momentum: 0.9 }) },
        { name: 'adam', id: 'adam', config: { lr: 0.05 }, create: () => adam.create({ lr: 0.05 }) },
      ],
    });
    expect(r.rows.map((x) => x.status)).toEqual(['ran', 'ran']);
    expect(r.rows[0].distance).toBeLessThan(0.1);
    expect(r.plot.kind).toBe('heatmap');
  });
});

describe('study helpers', () => {
  it('pulls repeated --set options out of argv', () => {
    const { rest, settings } = extractSettings(['--epochs', '3', '--set', 'adam.lr=3e-4', '--set=sophia.weight-decay=0', '--json']);
    expect(rest).toEqual(['--epochs', '3', '--json']);
    expect(settings).toEqual([
      { target: 'adam', key: 'lr', raw: '3e-4' },
      { target: 'sophia', key: 'weightDecay', raw: '0' },
    ]);
    expect(() => extractSettings(['--set', 'lr=1'])).toThrow(/<name>\.<key>=<value>/);
  });
  it('formats mean ± sd and downsamples long series', () => {
    expect(showStat(stat([0.45]), 2)).toBe('0.45');
    expect(showStat(stat([1, 3]), 2)).toBe('2.00 ± 1.41');
    expect(showStat(stat([NaN]), 2)).toBe('—');
    expect(downsample([1, 2, 3, 4, 5, 6], 3).map((p) => p.value)).toEqual([1.5, 3.5, 5.5]);
  });
});
