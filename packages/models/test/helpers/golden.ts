import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { tf } from '@descent/tensor';

/** A tensor exported by tools/golden/models.py. */
export interface Entry {
  shape: number[];
  values: number[];
}

/** Reads tools/golden/fixtures/models/<file>. */
export function fixture<T = any>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../../../../tools/golden/fixtures/models/${file}`, import.meta.url), 'utf8')) as T;
}

export function tensorOf(e: Entry): tf.Tensor {
  return tf.tensor(e.values, e.shape);
}

/** The name of a weight without its model prefix: "mlp_3_dense_1/kernel" → "dense_1/kernel". */
export function relativeName(model: { name: string }, weight: { name: string }): string {
  const prefix = `${model.name}_`;
  expect(weight.name.startsWith(prefix), `${weight.name} starts with ${prefix}`).toBe(true);
  return weight.name.slice(prefix.length);
}

/** Writes every weight of `model` (trainable or not) from `weights`, which must hold exactly these names and shapes. */
export function loadWeights(model: tf.LayersModel, weights: Record<string, Entry>): void {
  expect(model.weights.map((w) => relativeName(model, w)).sort()).toEqual(Object.keys(weights).sort());
  for (const w of model.weights) {
    const e = weights[relativeName(model, w)];
    expect(w.shape).toEqual(e.shape);
    const t = tensorOf(e);
    w.write(t);
    t.dispose();
  }
}

/** |actual − expected| ≤ atol + rtol·|expected|, element by element, with the worst offender in the message. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-4, rtol = 0): void {
  expect(actual.length).toBe(expected.length);
  let worst = -1;
  let excess = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(actual[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
    if (!(e <= excess)) {
      excess = Number.isNaN(e) ? Infinity : e;
      worst = i;
    }
  }
  if (worst >= 0) expect.fail(`entry ${worst}: ${actual[worst]} vs ${expected[worst]} (tolerance ${atol} + ${rtol}·|expected|)`);
}

/** Runs `fn` `times` times after a warm-up call and checks that the number of live tensors stays flat. */
export function expectNoLeak(fn: () => void, times = 3): void {
  fn();
  const before = tf.memory().numTensors;
  for (let i = 0; i < times; i++) fn();
  expect(tf.memory().numTensors).toBe(before);
}
