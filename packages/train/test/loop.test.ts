import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf, useBackend, Rng, perParameter, type GradientTransform } from '@descent/tensor';
import { train, type DataSource, type Batch } from '@descent/train';

// A separable 3-class problem in 10 dimensions, served like an image data set.
function toyData(n: number, seed: number): DataSource {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 10);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < 10; j++) x[i * 10 + j] = rng.normal() * 0.5 + (j === y[i] ? 2 : 0);
  }
  return {
    size: n,
    *batches({ batchSize, shuffle, rng: r }): Iterable<Batch> {
      const order = shuffle && r ? r.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
      for (let s = 0; s < n; s += batchSize) {
        const idx = Array.from(order.subarray(s, s + batchSize));
        const bx = new Float32Array(idx.length * 10);
        idx.forEach((k, i) => bx.set(x.subarray(k * 10, k * 10 + 10), i * 10));
        yield { x: tf.tensor2d(bx, [idx.length, 10]), y: tf.tensor1d(idx.map((k) => y[k]), 'int32'), size: idx.length };
      }
    },
  };
}

let modelCount = 0;
function mlp(seed: number) {
  const prefix = `toy${modelCount++}`;
  const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
  return tf.sequential({
    name: prefix,
    layers: [
      tf.layers.dense({ units: 16, inputShape: [10], activation: 'relu', kernelInitializer: init(seed), name: `${prefix}_d1` }),
      tf.layers.dense({ units: 3, kernelInitializer: init(seed + 1), name: `${prefix}_d2` }),
    ],
  });
}

const sgd = (lr: number): GradientTransform<any> =>
  perParameter<{ v: tf.Tensor }>({
    hyper: { lr, momentum: 0.9 },
    init: (p) => ({ v: tf.zerosLike(p) }),
    update: (g, s, { hyper }) => {
      const v = tf.add(tf.mul(s.v, hyper.momentum), g);
      return { update: tf.mul(v, -hyper.lr), slot: { v } };
    },
  });

describe('train', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('learns, records sample-weighted metrics and writes results atomically', async () => {
    const out = mkdtempSync(join(tmpdir(), 'descent-train-'));
    const model = mlp(1);
    const result = await train({ model, optimizer: sgd(0.05), train: toyData(300, 1), test: toyData(90, 2), epochs: 3, batchSize: 32, seed: 4, outDir: out, progress: 'none' });
    expect(result.status).toBe('completed');
    expect(result.epochs).toHaveLength(3);
    const [first, , last] = result.epochs;
    expect(last.trainLoss).toBeLessThan(first.trainLoss);
    expect(last.testAccuracy).toBeGreaterThan(0.9);
    expect(last.gradNorm).toBeGreaterThan(0);
    expect(last.lr).toBeCloseTo(0.05);
    expect(last.optimizerStateBytes).toBe((10 * 16 + 16 + 16 * 3 + 3) * 4);
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[2]).testAccuracy).toBe(last.testAccuracy);
    expect(readFileSync(join(out, 'results.csv'), 'utf8').split('\n')[0]).toContain('trainLoss');
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).status).toBe('completed');
    expect(existsSync(join(out, 'checkpoints', 'latest'))).toBe(true);
    model.dispose();
  });

  it('keeps the newest `keep` checkpoints (Infinity keeps all), every `every` epochs, and rejects bad settings', async () => {
    const out = mkdtempSync(join(tmpdir(), 'descent-ckpt-'));
    const model = mlp(2);
    await train({ model, optimizer: sgd(0.05), train: toyData(60, 1), epochs: 4, batchSize: 30, outDir: join(out, 'all'), progress: 'none', checkpoint: { keep: Number.POSITIVE_INFINITY } });
    expect(readdirSync(join(out, 'all', 'checkpoints')).filter((f) => f.startsWith('epoch-')).sort()).toEqual(['epoch-0001', 'epoch-0002', 'epoch-0003', 'epoch-0004']);
    await train({ model, optimizer: sgd(0.05), train: toyData(60, 1), epochs: 4, batchSize: 30, outDir: join(out, 'two'), progress: 'none', checkpoint: { every: 2, keep: 1 } });
    expect(readdirSync(join(out, 'two', 'checkpoints')).filter((f) => f.startsWith('epoch-'))).toEqual(['epoch-0004']);
    const bad = (checkpoint: { every?: number; keep?: number }) => train({ model, optimizer: sgd(0.05), train: toyData(60, 1), epochs: 1, batchSize: 30, outDir: join(out, 'bad'), progress: 'none', checkpoint });
    await expect(bad({ keep: 0 })).rejects.toThrow(/checkpoint\.keep/);
    await expect(bad({ every: 1.5 })).rejects.toThrow(/checkpoint\.every/);
    model.dispose();
  });

  it('resumes from a checkpoint to the same result as an uninterrupted run', async () => {
    const full = mlp(7);
    const a = await train({ model: full, optimizer: sgd(0.05), train: toyData(200, 3), epochs: 4, batchSize: 25, seed: 9, progress: 'none', checkpoint: false });
    const out = mkdtempSync(join(tmpdir(), 'descent-resume-'));
    const first = mlp(7);
    await train({ model: first, optimizer: sgd(0.05), train: toyData(200, 3), epochs: 2, batchSize: 25, seed: 9, outDir: out, progress: 'none' });
    first.dispose();
    const second = mlp(7); // fresh weights, overwritten by the checkpoint
    const b = await train({ model: second, optimizer: sgd(0.05), train: toyData(200, 3), epochs: 4, batchSize: 25, seed: 9, outDir: out, resume: true, progress: 'none' });
    expect(b.resumedFrom).toBe(2);
    expect(b.epochs.map((r) => r.trainLoss)).toEqual(a.epochs.map((r) => r.trainLoss));
    const wa = full.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = second.getWeights().map((w) => Array.from(w.dataSync()));
    expect(wb).toEqual(wa);
    full.dispose();
    second.dispose();
  });

  it('reports divergence instead of a table of NaN', async () => {
    const model = mlp(3);
    const r = await train({ model, optimizer: sgd(1e6), train: toyData(300, 1), epochs: 3, batchSize: 30, seed: 1, progress: 'none', checkpoint: false });
    expect(r.status).toBe('diverged');
    expect(r.diverged!.epoch).toBe(1);
    expect(r.diverged!.batch).toBeGreaterThan(1);
    expect(r.epochs).toHaveLength(0);
    model.dispose();
  });

  it('does not leak tensors across epochs', async () => {
    const model = mlp(5);
    const data = toyData(64, 1);
    await train({ model, optimizer: sgd(0.01), train: data, epochs: 1, batchSize: 16, progress: 'none', checkpoint: false });
    const before = tf.memory().numTensors;
    const r = await train({ model, optimizer: sgd(0.01), train: data, epochs: 2, batchSize: 16, progress: 'none', checkpoint: false });
    r.optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('applies a learning-rate schedule and rejects bad options', async () => {
    const model = mlp(6);
    const r = await train({ model, optimizer: sgd(0.1), train: toyData(60, 1), epochs: 2, batchSize: 30, progress: 'none', checkpoint: false, lrSchedule: (e) => 0.1 / (e + 1) });
    expect(r.epochs.map((e) => e.lr)).toEqual([0.1, 0.05]);
    await expect(train({ model, optimizer: sgd(0.1), train: toyData(60, 1), epochs: 0, batchSize: 30 })).rejects.toThrow(/epochs/);
    await expect(train({ model, optimizer: sgd(0.1), train: toyData(60, 1), epochs: 1, batchSize: 2.5 })).rejects.toThrow(/batchSize/);
    model.dispose();
  });
});
