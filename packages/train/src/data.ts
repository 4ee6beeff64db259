import type { tf, Rng } from '@descent/tensor';

/** One batch; the loop disposes `x` and `y` after use. `y` holds integer labels (rank 1) or one-hot rows. */
export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
  size: number;
}

/** What the loop needs from a data set (@descent/datasets' ImageDataset is one). */
export interface DataSource {
  readonly size: number;
  batches(options: { batchSize: number; shuffle: boolean; rng?: Rng; augment?: boolean }): Iterable<Batch>;
}
