import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf, useBackend, Rng, paramsOf } from '@descent/tensor';
import { randomDirection, surface2d, curve1d, interpolate, evaluatePoint, snapshot, saveSurface, loadSurface, type LandscapeProblem } from '@descent/landscape';

let k = 0;
function problem(): LandscapeProblem & { model: tf.LayersModel; dispose(): void } {
  const rng = new Rng(1);
  const name = `ls${k++}`;
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, inputShape: [5], activation: 'relu', name: `${name}_a`, kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }),
      tf.layers.dense({ units: 3, name: `${name}_b`, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }),
    ],
  });
  const inputs = rng.randomNormal([32, 5]);
  const labels = tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 3), 'int32');
  return { model, inputs, labels, dispose: () => { model.dispose(); tf.dispose([inputs, labels]); } };
}

describe('surfaces', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  it('the grid centre is the model itself; weights are restored; no tensors leak', () => {
    const p = problem();
    const base = evaluatePoint(p);
    const theta = paramsOf(p.model);
    const rng = new Rng(3);
    const d1 = randomDirection(theta, { rng });
    const d2 = randomDirection(theta, { rng });
    const before = tf.memory().numTensors;
    const s = surface2d(p, [d1, d2], { xRange: [-1, 1], xPoints: 5 });
    expect(tf.memory().numTensors).toBe(before);
    expect(s.loss[2 * 5 + 2]).toBeCloseTo(base.loss, 5);
    expect(evaluatePoint(p).loss).toBeCloseTo(base.loss, 6);
    expect(s.loss.every(Number.isFinite)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'surface-'));
    const { json } = saveSurface(dir, 'surface', s, { note: 'test' });
    const back = loadSurface(json);
    expect(Array.from(back.loss)).toEqual(Array.from(s.loss));
    expect(back.meta.note).toBe('test');
    p.dispose();
  });
  it('interpolation hits both endpoints at α = 0 and α = 1', () => {
    const p = problem();
    const a = snapshot(p);
    const la = evaluatePoint(p).loss;
    const b = Object.fromEntries(Object.entries(a).map(([n, t]) => [n, tf.mul(t, 0.5)]));
    const c = interpolate(p, a, b, { range: [0, 1], points: 3 });
    expect(c.loss[0]).toBeCloseTo(la, 5);
    const line = curve1d(p, Object.fromEntries(Object.entries(a).map(([n, t]) => [n, tf.mul(t, -0.5)])), { range: [0, 1], points: 2 });
    expect(line.loss[1]).toBeCloseTo(c.loss[2], 5);
    expect(() => interpolate(p, a, b, { range: [1, 0] })).toThrow(/range/);
    p.dispose();
  });
});
