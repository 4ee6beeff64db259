import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, Rng, step, stateTensors, type ParamMap } from '@descent/tensor';
import { adam } from '@descent/optim-adam';
import { connectModes, bezierPoint, moveTo, snapshot, lossTensor, variablesOf, evaluatePoint, type LandscapeProblem } from '@descent/landscape';

/** Two-moons-like data: 2-D points, 2 classes separated by a curved boundary. */
function moons(n: number, seed: number) {
  const rng = new Rng(seed);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const a = Math.PI * rng.next();
    x.push(c ? 1 - Math.cos(a) + 0.1 * rng.normal() : Math.cos(a) + 0.1 * rng.normal(), c ? 0.5 - Math.sin(a) + 0.1 * rng.normal() : Math.sin(a) + 0.1 * rng.normal());
    y.push(c);
  }
  return { inputs: tf.tensor2d(x, [n, 2]), labels: tf.tensor1d(y, 'int32') };
}

let k = 0;
function mlp(seed: number) {
  const name = `mc${k++}`;
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 16, inputShape: [2], activation: 'relu', name: `${name}_a`, kernelInitializer: tf.initializers.glorotNormal({ seed }) }),
      tf.layers.dense({ units: 16, activation: 'relu', name: `${name}_b`, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 100 }) }),
      tf.layers.dense({ units: 2, name: `${name}_c`, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 200 }) }),
    ],
  });
}

/** Full-batch Adam on the problem's data; returns the trained weights. */
function fit(problem: LandscapeProblem, steps: number): ParamMap {
  const t = adam.create({ lr: 0.02 });
  let params = snapshot(problem);
  let state = t.init(params);
  for (let s = 0; s < steps; s++) {
    const { value, grads } = tf.variableGrads(() => lossTensor(problem), variablesOf(problem));
    const next = step(t, params, grads, state);
    tf.dispose([value, ...Object.values(grads), ...Object.values(params)]);
    params = next.params;
    state = next.state;
    moveTo(problem, params, [], []);
  }
  tf.dispose(stateTensors(state));
  return params;
}

describe('mode connectivity (quadratic Bézier curve, Garipov et al. 2018)', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  it('θ(t) hits the endpoints and the control point weight', () => {
    const a = { w: tf.tensor1d([0, 0]) };
    const c = { w: tf.tensor1d([1, 1]) };
    const b = { w: tf.tensor1d([2, 0]) };
    expect(Array.from(bezierPoint(a, c, b, 0).w.dataSync())).toEqual([0, 0]);
    expect(Array.from(bezierPoint(a, c, b, 1).w.dataSync())).toEqual([2, 0]);
    expect(Array.from(bezierPoint(a, c, b, 0.5).w.dataSync())).toEqual([1, 0.5]);
  });
  it('between two independently trained MLPs the trained curve stays lower than the straight line', () => {
    const data = moons(256, 1);
    const m1 = mlp(1);
    const m2 = mlp(7);
    const p1: LandscapeProblem = { model: m1, ...data };
    const p2: LandscapeProblem = { model: m2, ...data };
    const theta1 = fit(p1, 300);
    const theta2Raw = fit(p2, 300);
    expect(evaluatePoint(p1).loss).toBeLessThan(0.15);
    expect(evaluatePoint(p2).loss).toBeLessThan(0.15);
    // Both endpoints live in m1's weights (same shapes, m1's names).
    const names1 = variablesOf(p1).map((v) => v.name);
    const theta2: ParamMap = Object.fromEntries(variablesOf(p2).map((v, i) => [names1[i], theta2Raw[v.name]]));
    const before = tf.memory().numTensors;
    const r = connectModes(p1, theta1, theta2, { optimizer: adam.create({ lr: 0.01 }), epochs: 40, batchSize: 64, seed: 3, points: 11 });
    expect(tf.memory().numTensors).toBe(before + Object.keys(theta1).length); // only the control point is new
    expect(r.line.loss[0]).toBeCloseTo(r.curve.loss[0], 5);
    expect(r.line.loss[10]).toBeCloseTo(r.curve.loss[10], 5);
    expect(r.lineBarrier).toBeGreaterThan(0.1);
    expect(r.curveMax).toBeLessThan(r.lineMax);
    expect(r.curveBarrier).toBeLessThan(0.5 * r.lineBarrier);
    expect(r.history[r.history.length - 1]).toBeLessThan(r.history[0]);
    tf.dispose([...Object.values(r.control), ...Object.values(theta1), ...Object.values(theta2Raw), data.inputs, data.labels]);
    m1.dispose();
    m2.dispose();
  });
});
