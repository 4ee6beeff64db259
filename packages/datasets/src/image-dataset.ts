import { tf, Rng, InvalidParameterError, checkNumber, gatherRows } from '@descent/tensor';
import { type Augmentation, Augmenter, resolveAugmentation } from './augment';
import { type Normalization, BOOK_NORMALIZATION, normalizationTable } from './normalize';
import type { DataSource } from './locate';

export type Split = 'train' | 'test';

export interface ImageDatasetInit {
  /** e.g. 'fashion-mnist', 'cifar-10'. */
  name: string;
  /** The role of the data: augmentation is refused on 'test'. */
  split: Split;
  /** N×H×W×C bytes, channels last (the tfjs layout). Kept by reference, not copied. */
  images: Uint8Array;
  /** N labels in 0..numClasses-1. */
  labels: Uint8Array | Int32Array;
  /** [H, W, C]. */
  shape: readonly [number, number, number];
  numClasses: number;
  classNames?: readonly string[];
  /** What `normalize: true` means for this data set; default the book's mean 0.5, std 0.5. */
  normalization?: Normalization;
  source?: DataSource;
}

export interface TensorOptions {
  /** x as [B, H·W·C] (channels-last order) instead of [B, H, W, C]. Default false. */
  flatten?: boolean;
  /** y as float32 one-hot [B, numClasses] instead of int32 class indices [B]. Default false. */
  oneHot?: boolean;
  /**
   * true (default): the data set's normalisation, (x/255 − mean)/std per channel;
   * false: x/255 only; or an explicit { mean, std } (one number or one per channel).
   */
  normalize?: boolean | Normalization;
}

export interface BatchOptions extends TensorOptions {
  /** Examples per batch; the last batch may be smaller unless dropRemainder. Default 128 (the book's). */
  batchSize?: number;
  /** Visit the examples in a random order drawn from `rng`. Default false. */
  shuffle?: boolean;
  /**
   * The random source of shuffle and augment; required when either is on. Pass one Rng and call
   * batches() once per epoch: each call advances it, so every epoch gets a new order. A number
   * seeds a fresh Rng, so the same number gives the same order every time.
   */
  rng?: Rng | number;
  /** Train-time augmentation (refused on a test split). true = the book's: flip + rotation ±10°. Default false. */
  augment?: boolean | Augmentation;
  /** Skip a last, smaller batch. Default false. */
  dropRemainder?: boolean;
}

/** One batch. Its tensors belong to the caller: call dispose() (or tf.dispose([x, y])) when done. */
export interface Batch<X extends tf.Tensor = tf.Tensor4D | tf.Tensor2D, Y extends tf.Tensor = tf.Tensor1D | tf.Tensor2D> {
  x: X;
  y: Y;
  /** Number of examples in this batch. */
  size: number;
  /** The data-set index of each example, in batch order. */
  indices: Int32Array;
  dispose(): void;
}

// Literal options give exact tensor types; absent ones the defaults; a plain boolean the union.
type XOf<O> = O extends { flatten: true } ? tf.Tensor2D : 'flatten' extends keyof O ? (O extends { flatten?: false } ? tf.Tensor4D : tf.Tensor4D | tf.Tensor2D) : tf.Tensor4D;
type YOf<O> = O extends { oneHot: true } ? tf.Tensor2D : 'oneHot' extends keyof O ? (O extends { oneHot?: false } ? tf.Tensor1D : tf.Tensor1D | tf.Tensor2D) : tf.Tensor1D;

/** The batches of one pass over a data set; tensors are made only when next() is called. */
export class BatchIterator<X extends tf.Tensor = tf.Tensor4D | tf.Tensor2D, Y extends tf.Tensor = tf.Tensor1D | tf.Tensor2D> implements IterableIterator<Batch<X, Y>> {
  private position = 0;
  /** Number of batches this pass yields. */
  readonly numBatches: number;
  constructor(
    private readonly order: Int32Array,
    private readonly batchSize: number,
    dropRemainder: boolean,
    private readonly make: (indices: Int32Array) => Batch<X, Y>,
  ) {
    this.numBatches = dropRemainder ? Math.floor(order.length / batchSize) : Math.ceil(order.length / batchSize);
  }

  next(): IteratorResult<Batch<X, Y>, undefined> {
    if (this.position >= this.numBatches) return { done: true, value: undefined };
    const start = this.position++ * this.batchSize;
    return { done: false, value: this.make(this.order.slice(start, start + this.batchSize)) };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

/**
 * An image classification data set held as bytes: N×H×W×C uint8 images (channels last) and N
 * labels. Tensors are made per batch — normalised, optionally shuffled, augmented, flattened,
 * one-hot — straight from the bytes, one tf.tensor call per batch.
 */
export class ImageDataset {
  readonly name: string;
  readonly split: Split;
  readonly images: Uint8Array;
  readonly labels: Uint8Array | Int32Array;
  /** [H, W, C]. */
  readonly shape: readonly [number, number, number];
  readonly numClasses: number;
  readonly classNames?: readonly string[];
  readonly normalization: Normalization;
  /** Where the data came from (set by the loaders). */
  readonly source?: DataSource;

  constructor(init: ImageDatasetInit) {
    const [h, w, c] = init.shape ?? [];
    [h, w, c].forEach((d, i) => checkNumber(`shape[${i}]`, d, { min: 1, integer: true }));
    checkNumber('numClasses', init.numClasses, { min: 1, integer: true });
    if (!(init.images instanceof Uint8Array)) throw new InvalidParameterError('images', typeof init.images, 'a Uint8Array of N×H×W×C bytes');
    if (!(init.labels instanceof Uint8Array || init.labels instanceof Int32Array)) {
      throw new InvalidParameterError('labels', typeof init.labels, 'a Uint8Array or Int32Array');
    }
    if (init.images.length !== init.labels.length * h * w * c) {
      throw new InvalidParameterError('images', `${init.images.length} bytes`, `${init.labels.length} labels × ${h}×${w}×${c} = ${init.labels.length * h * w * c} bytes`);
    }
    if (init.split !== 'train' && init.split !== 'test') throw new InvalidParameterError('split', init.split, "'train' or 'test'");
    const bad = init.labels.findIndex((l) => l < 0 || l >= init.numClasses);
    if (bad >= 0) throw new InvalidParameterError(`labels[${bad}]`, init.labels[bad], `an integer in 0..${init.numClasses - 1}`);
    if (init.classNames !== undefined && init.classNames.length !== init.numClasses) {
      throw new InvalidParameterError('classNames', init.classNames.length, `${init.numClasses} names`);
    }
    if (init.normalization) normalizationTable(init.normalization, c); // validates
    this.name = init.name;
    this.split = init.split;
    this.images = init.images;
    this.labels = init.labels;
    this.shape = [h, w, c];
    this.numClasses = init.numClasses;
    if (init.classNames) this.classNames = init.classNames;
    this.normalization = init.normalization ?? BOOK_NORMALIZATION;
    if (init.source) this.source = init.source;
  }

  /** Number of examples. */
  get size(): number {
    return this.labels.length;
  }

  /** Examples start..end-1 (views, no copy), e.g. subset(0, 256) for the book's landscape batch. */
  subset(start: number, end: number = this.size): ImageDataset {
    checkNumber('start', start, { min: 0, max: this.size, integer: true });
    checkNumber('end', end, { min: start, max: this.size, integer: true });
    const pixels = this.shape[0] * this.shape[1] * this.shape[2];
    return new ImageDataset({ ...this.init(), images: this.images.subarray(start * pixels, end * pixels), labels: this.labels.subarray(start, end) });
  }

  /** How many examples each class has. */
  classCounts(): number[] {
    const counts = new Array<number>(this.numClasses).fill(0);
    for (const l of this.labels) counts[l]++;
    return counts;
  }

  /**
   * One pass over the data in batches. The permutation and the augmentation stream are drawn from
   * `rng` when batches() is called, so the pass is fixed by the rng state at that moment.
   */
  batches<O extends BatchOptions>(options: O = {} as O): BatchIterator<XOf<O>, YOf<O>> {
    const batchSize = checkNumber('batchSize', options.batchSize ?? 128, { min: 1, integer: true });
    const augmentation = resolveAugmentation(options.augment, this.shape[0], this.shape[1]);
    if (augmentation && this.split === 'test') {
      throw new InvalidParameterError(
        'augment',
        options.augment,
        "false on a test split: augmentation is for training data only (the book's CIFAR-100 loader also augments its test set, a bug not repeated here)",
      );
    }
    const shuffle = flag('shuffle', options.shuffle);
    const rng = shuffle || augmentation ? toRng(options.rng) : undefined;
    const order = rng && shuffle ? rng.permutation(this.size) : Int32Array.from({ length: this.size }, (_, i) => i);
    const augmenter = augmentation && rng ? new Augmenter(augmentation, this.shape[0], this.shape[1], this.shape[2], new Rng(rng.nextUint32())) : undefined;
    const make = this.maker(options, augmenter);
    return new BatchIterator(order, batchSize, flag('dropRemainder', options.dropRemainder), make as (indices: Int32Array) => Batch<XOf<O>, YOf<O>>);
  }

  /** The whole data set as one batch, in order (no shuffling, no augmentation). Mind the memory: N·H·W·C float32s. */
  toTensors<O extends TensorOptions>(options: O = {} as O): Batch<XOf<O>, YOf<O>> {
    const all = Int32Array.from({ length: this.size }, (_, i) => i);
    return this.maker(options, undefined)(all) as Batch<XOf<O>, YOf<O>>;
  }

  private init(): ImageDatasetInit {
    const { name, split, images, labels, shape, numClasses, classNames, normalization, source } = this;
    return { name, split, images, labels, shape, numClasses, classNames, normalization, source };
  }

  private maker(options: TensorOptions, augmenter: Augmenter | undefined): (indices: Int32Array) => Batch {
    const [h, w, c] = this.shape;
    const pixels = h * w * c;
    const normalize = options.normalize ?? true;
    if (typeof normalize !== 'boolean' && (typeof normalize !== 'object' || normalize === null)) {
      throw new InvalidParameterError('normalize', normalize, 'true, false, or { mean, std }');
    }
    const table = normalizationTable(normalize === true ? this.normalization : normalize, c);
    const flatten = flag('flatten', options.flatten);
    const oneHot = flag('oneHot', options.oneHot);
    const { images, labels, numClasses } = this;
    return (indices) => {
      const n = indices.length;
      const shape = flatten ? [n, pixels] : [n, h, w, c];
      // Without augmentation, one native pass straight onto the wasm heap where available.
      let xt = augmenter ? undefined : gatherRows(images, pixels, indices, table, c, shape);
      if (!xt) {
        const x = new Float32Array(n * pixels);
        for (let b = 0; b < n; b++) {
          const from = indices[b] * pixels;
          if (augmenter) writeNormalized(x, b * pixels, augmenter.apply(images.subarray(from, from + pixels)), 0, pixels, c, table);
          else writeNormalized(x, b * pixels, images, from, pixels, c, table);
        }
        xt = tf.tensor(x, shape, 'float32');
      }
      let y: tf.Tensor1D | tf.Tensor2D;
      if (oneHot) {
        const hot = new Float32Array(n * numClasses);
        for (let b = 0; b < n; b++) hot[b * numClasses + labels[indices[b]]] = 1;
        y = tf.tensor2d(hot, [n, numClasses], 'float32');
      } else {
        y = tf.tensor1d(Int32Array.from(indices, (i) => labels[i]), 'int32');
      }
      const x = xt as tf.Tensor2D | tf.Tensor4D;
      return { x, y, size: n, indices, dispose: () => tf.dispose([x, y]) };
    };
  }
}

/** x[to..] = table lookups of src[from..from+count], channel-interleaved. Kept monomorphic and unrolled: it is the hot loop. */
function writeNormalized(x: Float32Array, to: number, src: Uint8Array, from: number, count: number, channels: number, table: Float32Array): void {
  const end = from + count;
  if (channels === 1) {
    for (let i = from; i < end; i++) x[to++] = table[src[i]];
  } else if (channels === 3) {
    for (let i = from; i < end; i += 3, to += 3) {
      x[to] = table[src[i]];
      x[to + 1] = table[256 + src[i + 1]];
      x[to + 2] = table[512 + src[i + 2]];
    }
  } else {
    for (let i = from; i < end; i += channels) for (let k = 0; k < channels; k++) x[to++] = table[k * 256 + src[i + k]];
  }
}

/** A boolean option, false when absent. */
function flag(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new InvalidParameterError(name, value, 'true or false');
  return value;
}

function toRng(rng: Rng | number | undefined): Rng {
  // Duck-typed: an Rng from another copy of @descent/tensor (src vs dist) is still an Rng.
  if (typeof rng === 'object' && rng !== null && typeof rng.permutation === 'function' && typeof rng.nextUint32 === 'function') return rng;
  if (typeof rng === 'number') return new Rng(rng);
  throw new InvalidParameterError('rng', rng, 'an Rng or an integer seed (required when shuffle or augment is on, so that the run is reproducible)');
}
