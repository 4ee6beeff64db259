import { tf, Rng } from '@descent/tensor';
import type { Batch, DataSource } from '@descent/train';

export interface ToyClassificationOptions {
  /** Input dimensions; also the number of directions a class can shift (≥ classes). Default 10. */
  dims?: number;
  /** Number of classes; example i has class i mod classes. Default 3. */
  classes?: number;
  /** Shift of the coordinate j = class; the noise is N(0, 0.5²). Default 2. */
  signal?: number;
}

/**
 * A separable classification problem served like an image data set (a @descent/train
 * `DataSource`): n examples of `dims` features, N(0, 0.5²) noise plus `signal` on the feature
 * whose index is the class. Deterministic in `seed`. For optimizer and training-loop tests.
 */
export function toyClassification(n: number, seed: number, options: ToyClassificationOptions = {}): DataSource {
  const dims = options.dims ?? 10;
  const classes = options.classes ?? 3;
  const signal = options.signal ?? 2;
  const rng = new Rng(seed);
  const x = new Float32Array(n * dims);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % classes;
    for (let j = 0; j < dims; j++) x[i * dims + j] = rng.normal() * 0.5 + (j === y[i] ? signal : 0);
  }
  return {
    size: n,
    *batches({ batchSize, shuffle, rng: r }): Iterable<Batch> {
      const order = shuffle && r ? r.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
      for (let s = 0; s < n; s += batchSize) {
        const idx = Array.from(order.subarray(s, s + batchSize));
        const bx = new Float32Array(idx.length * dims);
        idx.forEach((k, i) => bx.set(x.subarray(k * dims, k * dims + dims), i * dims));
        yield { x: tf.tensor2d(bx, [idx.length, dims]), y: tf.tensor1d(idx.map((k) => y[k]), 'int32'), size: idx.length };
      }
    },
  };
}

let toyModels = 0;

/**
 * A small MLP for `toyClassification`: dense 16 (activation, default tanh) → dense `classes`
 * logits, Glorot-uniform kernels seeded by `seed`. Layer names are unique per call.
 */
export function toyMlp(seed: number, options: { inputs?: number; classes?: number; activation?: 'tanh' | 'relu'; prefix?: string } = {}): tf.LayersModel {
  const prefix = `${options.prefix ?? 'toy_mlp'}${toyModels++}`;
  const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
  return tf.sequential({
    name: prefix,
    layers: [
      tf.layers.dense({ units: 16, inputShape: [options.inputs ?? 10], activation: options.activation ?? 'tanh', kernelInitializer: init(seed), name: `${prefix}_d1` }),
      tf.layers.dense({ units: options.classes ?? 3, kernelInitializer: init(seed + 1), name: `${prefix}_d2` }),
    ],
  });
}

/** Mean softmax cross-entropy of the model's logits over every example of the data source. */
export function toyLoss(model: tf.LayersModel, data: DataSource, classes = 3): number {
  let sum = 0;
  for (const batch of data.batches({ batchSize: 256, shuffle: false })) {
    sum += tf.tidy(() => {
      const logits = model.predict(batch.x) as tf.Tensor;
      return tf.losses.softmaxCrossEntropy(tf.oneHot(batch.y as tf.Tensor1D, classes), logits, undefined, undefined, tf.Reduction.SUM).dataSync()[0];
    });
    tf.dispose([batch.x, batch.y]);
  }
  return sum / data.size;
}
