import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend } from '@descent/tensor';
import { trainingDynamics, snapshot, evaluatePoint, lossTensor, variablesOf } from '@descent/landscape';
import { mlpProblem } from './helpers';

describe('training dynamics from a list of points', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  it('loss, gradient norm, parameter change, weight norm and improvement per point; weights restored; no leaks', () => {
    const p = mlpProblem(3);
    const t0 = snapshot(p);
    const scaled = (f: number) => Object.fromEntries(Object.entries(t0).map(([n, t]) => [n, tf.mul(t, f)]));
    const points = [t0, scaled(1.1), scaled(1.3)];
    const base = evaluatePoint(p).loss;
    const before = tf.memory().numTensors;
    const rows = trainingDynamics(p, points, { epochs: [1, 2, 3] });
    expect(tf.memory().numTensors).toBe(before);
    expect(evaluatePoint(p).loss).toBeCloseTo(base, 6);
    const flat = (m: Record<string, tf.Tensor>) => Object.values(m).flatMap((t) => Array.from(t.dataSync()));
    const w0 = flat(t0);
    const norm = (v: number[]) => Math.hypot(...v);
    expect(rows.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(rows[0].loss).toBeCloseTo(base, 5);
    expect(rows[0].paramChange).toBeNull();
    expect(rows[0].lossImprovement).toBeNull();
    expect(rows[1].weightNorm).toBeCloseTo(1.1 * norm(w0), 4);
    expect(rows[2].paramChange).toBeCloseTo(0.2 * norm(w0), 4);
    expect(rows[2].paramChangeFromStart).toBeCloseTo(0.3 * norm(w0), 4);
    expect(rows[2].lossImprovement).toBeCloseTo(rows[1].loss - rows[2].loss, 10);
    // The gradient norm at the first point, by hand.
    const { value, grads } = tf.variableGrads(() => lossTensor(p), variablesOf(p));
    expect(rows[0].gradNorm).toBeCloseTo(norm(flat(grads)), 5);
    // The book's variant: sums of per-tensor norms.
    const book = trainingDynamics(p, points, { norm: 'sum' });
    const perTensor = Object.values(t0).reduce((s, t) => s + norm(Array.from(t.dataSync())), 0);
    expect(book[0].weightNorm).toBeCloseTo(perTensor, 4);
    expect(book[0].gradNorm).toBeGreaterThan(rows[0].gradNorm);
    expect(() => trainingDynamics(p, points, { norm: 'l1' as never })).toThrow(/norm/);
    expect(() => trainingDynamics(p, [])).toThrow(/points/);
    tf.dispose([value, ...Object.values(grads)]);
    points.forEach((m) => tf.dispose(Object.values(m)));
    p.dispose();
  });
});
