import { readFileSync } from 'node:fs';
import { tf, Rng } from '@descent/tensor';
import type { LandscapeProblem } from '@descent/landscape';

/** A golden file from tools/golden/fixtures/landscape (written by tools/golden/landscape.py). */
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../../tools/golden/fixtures/landscape/${name}`, import.meta.url), 'utf8')) as T;
}

let k = 0;
/** A small MLP classifier on Gaussian inputs: 5 → 8 (relu) → 3. */
export function mlpProblem(seed = 1, n = 32): LandscapeProblem & { model: tf.LayersModel; dispose(): void } {
  const rng = new Rng(seed);
  const name = `lt${k++}`;
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, inputShape: [5], activation: 'relu', name: `${name}_a`, kernelInitializer: tf.initializers.glorotNormal({ seed }) }),
      tf.layers.dense({ units: 3, name: `${name}_b`, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }),
    ],
  });
  const inputs = rng.randomNormal([n, 5]);
  const labels = tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'int32');
  return { model, inputs, labels, dispose: () => { model.dispose(); tf.dispose([inputs, labels]); } };
}

export const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
