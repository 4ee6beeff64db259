import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidParameterError, Rng, tf, useBackend, setNativeFusion, gatherRows, gatherRowsAvailable } from '@descent/tensor';
import { nativeBlas } from '@descent/native-blas';
import { BOOK_NORMALIZATION, ImageDataset, type ImageDatasetInit } from '@descent/datasets';
import { bytesOf, loadGolden } from './helpers';

beforeAll(async () => {
  await useBackend('wasm');
});

interface Table {
  mean: number | number[] | null;
  std: number | number[] | null;
  values: number[][];
}
const golden = loadGolden<{ tables: Table[] }>('normalize');

/** n images of h×w×c bytes with labels i % numClasses. */
function dataset(n: number, shape: [number, number, number] = [4, 4, 1], extra: Partial<ImageDatasetInit> = {}): ImageDataset {
  const [h, w, c] = shape;
  return new ImageDataset({
    name: 'synthetic',
    split: 'train',
    images: bytesOf(n * h * w * c, 42),
    labels: Uint8Array.from({ length: n }, (_, i) => i % 3),
    shape,
    numClasses: 3,
    ...extra,
  });
}

/** One image whose pixel p holds byte p in every channel: a batch of it is the whole lookup table. */
function allBytes(channels: number): ImageDataset {
  const images = new Uint8Array(256 * channels);
  for (let p = 0; p < 256; p++) for (let c = 0; c < channels; c++) images[p * channels + c] = p;
  return new ImageDataset({ name: 'bytes', split: 'test', images, labels: Uint8Array.of(0), shape: [16, 16, channels], numClasses: 1 });
}

function indicesOf(ds: ImageDataset, opts: Parameters<ImageDataset['batches']>[0]): number[] {
  const out: number[] = [];
  for (const b of ds.batches(opts)) {
    out.push(...b.indices);
    b.dispose();
  }
  return out;
}

describe('batches built natively (gatherRows) and in JavaScript', () => {
  it('are equal bit for bit: 1 and 3 channels, flat and 4-D, shuffled order', () => {
    for (const shape of [[4, 4, 1], [5, 3, 3]] as Array<[number, number, number]>) {
      const ds = dataset(37, shape);
      for (const flatten of [true, false]) {
        const build = (fused: boolean) => {
          const previous = setNativeFusion(fused);
          try {
            return [...ds.batches({ batchSize: 8, shuffle: true, rng: new Rng(5), flatten })].map((b) => {
              const values = { shape: b.x.shape, x: Array.from(b.x.dataSync()), y: Array.from(b.y.dataSync()) };
              b.dispose();
              return values;
            });
          } finally {
            setNativeFusion(previous);
          }
        };
        expect(build(true)).toEqual(build(false));
      }
    }
    expect(gatherRowsAvailable()).toBe(nativeBlas() !== null);
  });

  it.skipIf(nativeBlas() === null)('gatherRows rejects what does not fit with a clear error', () => {
    const source = new Uint8Array(12), table = new Float32Array(256);
    expect(() => gatherRows(source, 4, [0, 3], table, 1, [2, 4])).toThrow(/indices.*3.*\[0, 3\)/);
    expect(() => gatherRows(source, 4, [0], table, 3, [1, 4])).toThrow(InvalidParameterError);
    expect(() => gatherRows(source, 4, [0], new Float32Array(10), 1, [1, 4])).toThrow(/table/);
    expect(() => gatherRows(source, 4, [0, 1], table, 1, [3, 4])).toThrow(/shape/);
    const t = gatherRows(source, 4, [], table, 1, [0, 4])!;
    expect(t.shape).toEqual([0, 4]);
    t.dispose();
  });
});

describe('normalisation', () => {
  it('equals torchvision ToTensor + Normalize bit for bit (torch 1.13 golden)', () => {
    for (const t of golden.tables) {
      const channels = t.values.length;
      const normalize = t.mean === null ? false : { mean: t.mean, std: t.std! };
      const batch = allBytes(channels).toTensors({ normalize, flatten: true });
      const x = batch.x.dataSync();
      for (let p = 0; p < 256; p++) {
        for (let c = 0; c < channels; c++) {
          expect(x[p * channels + c], `byte ${p}, channel ${c}, mean ${JSON.stringify(t.mean)}`).toBe(Math.fround(t.values[c][p]));
        }
      }
      batch.dispose();
    }
  });

  it('defaults to the book: mean 0.5, std 0.5, i.e. 0 → -1 and 255 → 1', () => {
    const ds = allBytes(1);
    expect(ds.normalization).toEqual(BOOK_NORMALIZATION);
    const b = ds.toTensors();
    const x = b.x.dataSync();
    expect([x[0], x[255]]).toEqual([-1, 1]);
    expect(x[128]).toBeCloseTo((128 / 255 - 0.5) / 0.5, 6);
    b.dispose();
  });

  it('uses the dataset normalisation for normalize: true and rejects bad ones', () => {
    const ds = dataset(2, [2, 2, 3], { normalization: { mean: [0, 0.5, 1], std: [1, 0.5, 0.25] } });
    const b = ds.toTensors({ normalize: true, flatten: true });
    const x = b.x.dataSync();
    for (let i = 0; i < x.length; i++) {
      const c = i % 3;
      const mean = [0, 0.5, 1][c];
      const std = [1, 0.5, 0.25][c];
      expect(x[i]).toBeCloseTo((ds.images[i] / 255 - mean) / std, 5);
    }
    b.dispose();
    expect(() => ds.toTensors({ normalize: { mean: [0.5, 0.5], std: 0.5 } })).toThrow(/normalize\.mean/);
    expect(() => ds.toTensors({ normalize: { mean: 0.5, std: 0 } })).toThrow(InvalidParameterError);
    expect(() => ds.toTensors({ normalize: { mean: Number.NaN, std: 1 } })).toThrow(/normalize\.mean/);
    expect(() => ds.toTensors({ normalize: 'yes' as unknown as boolean })).toThrow(/normalize/);
    expect(() => dataset(1, [2, 2, 1], { normalization: { mean: 0, std: -1 } })).toThrow(/normalize\.std/);
  });
});

describe('batches', () => {
  it('covers the data in order by default, with a smaller last batch unless dropRemainder', () => {
    const ds = dataset(10);
    const it1 = ds.batches({ batchSize: 4 });
    expect(it1.numBatches).toBe(3);
    const sizes: number[] = [];
    for (const b of it1) {
      sizes.push(b.size);
      expect(b.x.shape).toEqual([b.size, 4, 4, 1]);
      b.dispose();
    }
    expect(sizes).toEqual([4, 4, 2]);
    expect(indicesOf(ds, { batchSize: 4 })).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(indicesOf(ds, { batchSize: 4, dropRemainder: true })).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(ds.batches().numBatches).toBe(1); // default batch size 128
  });

  it('builds x from the bytes and y as int32 labels or one-hot', () => {
    const ds = dataset(5, [2, 3, 2]);
    const [b] = ds.batches({ batchSize: 5, flatten: true, oneHot: true, normalize: false });
    expect(b.x.shape).toEqual([5, 12]);
    expect(b.y.shape).toEqual([5, 3]);
    expect(b.y.dtype).toBe('float32');
    expect([...b.x.dataSync()]).toEqual([...ds.images].map((v) => Math.fround(v / 255)));
    expect(b.y.arraySync()).toEqual([0, 1, 2, 0, 1].map((l) => [0, 1, 2].map((k) => (k === l ? 1 : 0))));
    b.dispose();
    const [c] = ds.batches({ batchSize: 5 });
    expect(c.x.shape).toEqual([5, 2, 3, 2]);
    expect(c.y.dtype).toBe('int32');
    expect([...c.y.dataSync()]).toEqual([0, 1, 2, 0, 1]);
    c.dispose();
  });

  it('types x and y from the options (checked by tsc)', () => {
    const ds = dataset(2);
    const [flat] = ds.batches({ flatten: true, oneHot: true });
    expectTypeOf(flat.x).toEqualTypeOf<tf.Tensor2D>();
    expectTypeOf(flat.y).toEqualTypeOf<tf.Tensor2D>();
    const [image] = ds.batches({ batchSize: 2 });
    expectTypeOf(image.x).toEqualTypeOf<tf.Tensor4D>();
    expectTypeOf(image.y).toEqualTypeOf<tf.Tensor1D>();
    const flag: boolean = Math.random() < 2;
    const [either] = ds.batches({ flatten: flag, oneHot: false });
    expectTypeOf(either.x).toEqualTypeOf<tf.Tensor4D | tf.Tensor2D>();
    expectTypeOf(either.y).toEqualTypeOf<tf.Tensor1D>();
    either.dispose();
    expect([flat.x.rank, flat.y.rank, image.x.rank, image.y.rank]).toEqual([2, 2, 4, 1]);
    tf.dispose([flat.x, flat.y, image.x, image.y]);
  });

  it('shuffles deterministically per seed, and anew on each call with one Rng', () => {
    const ds = dataset(50);
    const a = indicesOf(ds, { batchSize: 8, shuffle: true, rng: 7 });
    expect(indicesOf(ds, { batchSize: 8, shuffle: true, rng: 7 })).toEqual(a);
    expect(indicesOf(ds, { batchSize: 8, shuffle: true, rng: new Rng(7) })).toEqual(a);
    expect(indicesOf(ds, { batchSize: 8, shuffle: true, rng: 8 })).not.toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));

    const rng = new Rng(7);
    const epoch1 = indicesOf(ds, { batchSize: 8, shuffle: true, rng });
    const epoch2 = indicesOf(ds, { batchSize: 8, shuffle: true, rng });
    expect(epoch1).toEqual(a);
    expect(epoch2).not.toEqual(epoch1);
    // A checkpointed rng state replays the same epoch.
    const state = rng.state();
    expect(indicesOf(ds, { batchSize: 8, shuffle: true, rng })).toEqual(indicesOf(ds, { batchSize: 8, shuffle: true, rng: Rng.fromState(state) }));
  });

  it('labels follow their images through the shuffle', () => {
    const ds = dataset(30);
    for (const b of ds.batches({ batchSize: 7, shuffle: true, rng: 3 })) {
      expect([...b.y.dataSync()]).toEqual([...b.indices].map((i) => ds.labels[i]));
      const x = b.x.dataSync();
      b.indices.forEach((idx, k) => expect(x[k * 16]).toBe(Math.fround(Math.fround(Math.fround(ds.images[idx * 16] / 255) - 0.5) / 0.5)));
      b.dispose();
    }
  });

  it('rejects bad options with errors naming the option', () => {
    const ds = dataset(4);
    expect(() => ds.batches({ batchSize: 0 })).toThrow(/"batchSize"/);
    expect(() => ds.batches({ batchSize: 2.5 })).toThrow(/"batchSize"/);
    expect(() => ds.batches({ shuffle: true })).toThrow(/"rng".*required when shuffle or augment/);
    expect(() => ds.batches({ augment: true })).toThrow(/"rng"/);
    expect(() => ds.batches({ shuffle: true, rng: 1.5 })).toThrow(/seed/);
    expect(() => ds.batches({ shuffle: 'yes' as unknown as boolean })).toThrow(/"shuffle"/);
    expect(() => ds.batches({ flatten: 1 as unknown as boolean })).toThrow(/"flatten"/);
    expect(() => ds.batches({ oneHot: 'no' as unknown as boolean })).toThrow(/"oneHot"/);
    expect(() => ds.batches({ dropRemainder: null as unknown as boolean })).toThrow(/"dropRemainder"/);
  });

  it('does not leak tensors across repeated passes', () => {
    const ds = dataset(40, [4, 4, 3]);
    const rng = new Rng(1);
    const pass = () => {
      for (const b of ds.batches({ batchSize: 16, shuffle: true, rng, augment: { flip: true, rotate: 10, crop: 1 }, oneHot: true })) b.dispose();
      ds.toTensors({ flatten: true }).dispose();
    };
    pass();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) pass();
    expect(tf.memory().numTensors).toBe(before);
    // Breaking off a pass leaves nothing behind either: tensors exist only for batches taken.
    for (const b of ds.batches({ batchSize: 4 })) {
      b.dispose();
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('augmentation', () => {
  it('is refused on a test split (the book augments its test set; that is a bug)', () => {
    const test = dataset(4, [4, 4, 3], { split: 'test' });
    expect(() => test.batches({ augment: true, rng: 1 })).toThrow(InvalidParameterError);
    expect(() => test.batches({ augment: { flip: true }, rng: 1 })).toThrow(/"augment".*test split/);
    expect(() => test.subset(0, 2).batches({ augment: true, rng: 1 })).toThrow(/test split/);
    test.batches({ augment: false }); // explicitly off is fine
  });

  it('on train: fixed by the seed, only mirrors with flip, off by default', () => {
    const ds = dataset(64, [4, 4, 1]);
    const xs = (opts: Parameters<ImageDataset['batches']>[0]) => {
      const [b] = ds.batches({ batchSize: 64, normalize: false, ...opts });
      const x = b.x.dataSync().slice();
      b.dispose();
      return x;
    };
    const plain = xs({});
    const flipped = xs({ augment: { flip: true }, rng: 5 });
    expect(xs({ augment: { flip: true }, rng: 5 })).toEqual(flipped);
    expect(xs({ augment: { flip: true }, rng: 6 })).not.toEqual(flipped);
    let mirrored = 0;
    for (let n = 0; n < 64; n++) {
      const orig = plain.subarray(n * 16, n * 16 + 16);
      const got = flipped.subarray(n * 16, n * 16 + 16);
      const mirror = orig.map((_, i) => orig[Math.floor(i / 4) * 4 + (3 - (i % 4))]);
      const same = got.every((v, i) => v === orig[i]);
      const flip = got.every((v, i) => v === mirror[i]);
      expect(same || flip).toBe(true);
      if (flip && !same) mirrored++;
    }
    expect(mirrored).toBeGreaterThan(16);
    expect(mirrored).toBeLessThan(48);
    const book = xs({ augment: true, rng: 5 });
    expect(book).not.toEqual(plain);
    expect(xs({ augment: true, rng: 5 })).toEqual(book);
  });

  it('does not change the shuffle order (its random stream is separate)', () => {
    const ds = dataset(20);
    expect(indicesOf(ds, { batchSize: 5, shuffle: true, rng: 9, augment: true })).toEqual(indicesOf(ds, { batchSize: 5, shuffle: true, rng: 9 }));
  });
});

describe('subset and metadata', () => {
  it('subset(start, end) is a view of examples start..end-1 keeping split and normalisation', () => {
    const ds = dataset(300, [2, 2, 1], { split: 'test', normalization: { mean: 0.1, std: 0.2 } });
    const s = ds.subset(0, 256);
    expect(s.size).toBe(256);
    expect(s.split).toBe('test');
    expect(s.normalization).toEqual({ mean: 0.1, std: 0.2 });
    expect(s.images.buffer).toBe(ds.images.buffer);
    const t = ds.subset(10, 20);
    expect([...t.labels]).toEqual([...ds.labels.subarray(10, 20)]);
    expect([...t.images]).toEqual([...ds.images.subarray(40, 80)]);
    expect(ds.subset(250).size).toBe(50);
    expect(ds.subset(5, 5).batches().numBatches).toBe(0);
    expect(() => ds.subset(-1, 3)).toThrow(/"start"/);
    expect(() => ds.subset(10, 5)).toThrow(/"end"/);
    expect(() => ds.subset(0, 301)).toThrow(/"end"/);
    expect(() => ds.subset(0.5, 3)).toThrow(/"start"/);
  });

  it('reports size, shape and class counts', () => {
    const ds = dataset(10, [3, 2, 1]);
    expect(ds.size).toBe(10);
    expect(ds.shape).toEqual([3, 2, 1]);
    expect(ds.classCounts()).toEqual([4, 3, 3]);
  });

  it('validates what it is built from', () => {
    const ok: ImageDatasetInit = { name: 'x', split: 'train', images: new Uint8Array(8), labels: Uint8Array.of(0, 1), shape: [2, 2, 1], numClasses: 2 };
    expect(new ImageDataset(ok).size).toBe(2);
    expect(() => new ImageDataset({ ...ok, images: new Uint8Array(7) })).toThrow(/"images".*8 bytes/);
    expect(() => new ImageDataset({ ...ok, labels: Uint8Array.of(0, 2) })).toThrow(/"labels\[1\]"/);
    expect(() => new ImageDataset({ ...ok, shape: [2, 0, 2] })).toThrow(/"shape\[1\]"/);
    expect(() => new ImageDataset({ ...ok, numClasses: 0 })).toThrow(/"numClasses"/);
    expect(() => new ImageDataset({ ...ok, split: 'val' as 'train' })).toThrow(/"split"/);
    expect(() => new ImageDataset({ ...ok, images: [0, 0] as unknown as Uint8Array })).toThrow(/"images"/);
    expect(() => new ImageDataset({ ...ok, classNames: ['a'] })).toThrow(/"classNames"/);
  });
});
