import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tf, useBackend } from '@descent/tensor';
import { DEBIAN_FASHION_MNIST_DIR, DatasetError, FASHION_MNIST_CLASSES, loadFashionMnist, loadMnist } from '@descent/datasets';
import { embeddedDataDir } from '../src/package-dir';
import { candidates } from '../src/locate';
import { bytesOf, idxBytes, loadGolden, tempDir, writeFile, writeMnistSplit } from './helpers';

const tmp = tempDir();
beforeAll(async () => {
  await useBackend('wasm');
});
afterAll(tmp.cleanup);
afterEach(() => {
  vi.unstubAllEnvs();
});

let dirCount = 0;
const freshDir = (name = 'set') => join(tmp.dir, `${name}-${dirCount++}`);

async function failure(p: Promise<unknown>): Promise<DatasetError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DatasetError);
  return e as DatasetError;
}

const sha256 = (bytes: NodeJS.ArrayBufferView) => createHash('sha256').update(bytes).digest('hex');

describe('loading IDX pairs', () => {
  it('loads raw and gzipped files from the dir option, as N×28×28×1 bytes', async () => {
    for (const gzip of [false, true]) {
      const dir = freshDir();
      const train = writeMnistSplit(dir, 'train', 12, { gzip, seed: 3 });
      const test = writeMnistSplit(dir, 'test', 5, { gzip, seed: 4 });
      const ds = await loadMnist({ dir, split: 'train', sources: ['explicit'] });
      expect(ds.size).toBe(12);
      expect(ds.shape).toEqual([28, 28, 1]);
      expect(ds.numClasses).toBe(10);
      expect(ds.split).toBe('train');
      expect(ds.name).toBe('mnist');
      expect([...ds.images]).toEqual([...train.images]);
      expect([...ds.labels]).toEqual([...train.labels]);
      expect(ds.source).toMatchObject({ kind: 'explicit', dir });
      expect(ds.source!.note).toContain('12 images');
      const t = await loadMnist({ dir, split: 'test', sources: ['explicit'] });
      expect([...t.images]).toEqual([...test.images]);
      expect(t.split).toBe('test');
    }
  });

  it('finds the data set in a sub-directory of dir, and in $DESCENT_DATA/<name>', async () => {
    const root = freshDir('root');
    writeMnistSplit(join(root, 'fashion-mnist'), 'test', 3);
    const viaDir = await loadFashionMnist({ dir: root, split: 'test', sources: ['explicit'] });
    expect(viaDir.source).toMatchObject({ kind: 'explicit', dir: join(root, 'fashion-mnist') });
    expect(viaDir.classNames).toEqual(FASHION_MNIST_CLASSES);

    vi.stubEnv('DESCENT_DATA', root);
    const viaEnv = await loadFashionMnist({ split: 'test', sources: ['env'] });
    expect(viaEnv.source).toMatchObject({ kind: 'env', dir: join(root, 'fashion-mnist') });
    expect(viaEnv.source!.note).toContain('$DESCENT_DATA');
    // MNIST and FashionMNIST share file names: a data root's own files are never taken for either.
    writeMnistSplit(root, 'test', 4);
    await expect(loadMnist({ split: 'test', sources: ['env'] })).rejects.toThrow(DatasetError);
  });

  it('searches explicit, then env, then Debian, then the embedded copy', async () => {
    const explicit = freshDir('explicit');
    const envRoot = freshDir('env');
    writeMnistSplit(explicit, 'test', 2);
    writeMnistSplit(join(envRoot, 'fashion-mnist'), 'test', 3);
    vi.stubEnv('DESCENT_DATA', envRoot);
    expect((await loadFashionMnist({ dir: explicit, split: 'test' })).source!.kind).toBe('explicit');
    expect((await loadFashionMnist({ dir: freshDir('empty'), split: 'test' })).source!.kind).toBe('env');
    vi.stubEnv('DESCENT_DATA', freshDir('empty-env'));
    const next = await loadFashionMnist({ split: 'test', sources: ['env', 'embedded'] });
    expect(next.source!.kind).toBe('embedded');
  });

  it('names every directory searched, in order, when nothing is found', async () => {
    const dir = freshDir('nothing');
    const envRoot = freshDir('env-nothing');
    vi.stubEnv('DESCENT_DATA', envRoot);
    const e = await failure(loadFashionMnist({ dir, split: 'train', sources: ['explicit', 'env'] }));
    expect(e.code).toBe('DATA_NOT_FOUND');
    expect(e.searched).toEqual([
      `${dir} (dir option)`,
      `${join(dir, 'fashion-mnist')} (dir option)`,
      `${join(dir, 'FashionMNIST/raw')} (dir option)`,
      `${join(envRoot, 'fashion-mnist')} ($DESCENT_DATA)`,
      `${join(envRoot, 'FashionMNIST/raw')} ($DESCENT_DATA)`,
    ]);
    expect(e.message).toContain('train-images-idx3-ubyte, train-labels-idx1-ubyte');
    expect(e.message).toContain(`1. ${dir} (dir option)`);
    expect(e.message).toContain('dataset-fashion-mnist');
    // The full order, Debian and embedded included (on this machine Debian may hold the data, so
    // the plan is checked directly).
    const plan = candidates({ explicit: dir, subdirs: ['fashion-mnist'], debian: DEBIAN_FASHION_MNIST_DIR, embedded: true });
    expect(plan.list.map((c) => c.kind)).toEqual(['explicit', 'explicit', 'env', 'debian', 'embedded']);
    expect(plan.list.map((c) => c.dir)).toEqual([dir, join(dir, 'fashion-mnist'), join(envRoot, 'fashion-mnist'), DEBIAN_FASHION_MNIST_DIR, embeddedDataDir()]);

    vi.stubEnv('DESCENT_DATA', '');
    const m = await failure(loadMnist({ split: 'test' }));
    expect(m.searched).toEqual(['(no dir option given)', '(DESCENT_DATA not set)']);
    expect(m.message).not.toContain(DEBIAN_FASHION_MNIST_DIR); // never mistake FashionMNIST for MNIST
  });

  it('refuses a directory holding only part of a split', async () => {
    const dir = freshDir('partial');
    writeFile(join(dir, 't10k-images-idx3-ubyte'), idxBytes(0x08, [1, 28, 28], new Uint8Array(784)), true);
    const e = await failure(loadMnist({ dir, split: 'test' }));
    expect(e.code).toBe('DATA_NOT_FOUND');
    expect(e.message).toMatch(/holds only part.*missing t10k-labels-idx1-ubyte/);
  });

  it('rejects bad options', async () => {
    await expect(loadMnist({ split: 'validation' as 'train' })).rejects.toThrow(/"split"/);
    await expect(loadMnist({ dir: '' })).rejects.toThrow(/"dir"/);
    await expect(loadMnist({ sources: ['cloud' as 'env'] })).rejects.toThrow(/"sources"/);
    await expect(loadMnist({ sources: [] })).rejects.toThrow(/"sources"/);
  });
});

describe('malformed MNIST files', () => {
  const cases: { what: string; code: string; images: Uint8Array; labels: Uint8Array; pattern: RegExp }[] = [
    {
      what: 'image and label counts disagree',
      code: 'COUNT_MISMATCH',
      images: idxBytes(0x08, [3, 28, 28], bytesOf(3 * 784, 1)),
      labels: idxBytes(0x08, [2], Uint8Array.of(1, 2)),
      pattern: /holds 3 images but .* holds 2 labels/,
    },
    {
      what: 'wrong image size',
      code: 'BAD_SHAPE',
      images: idxBytes(0x08, [2, 32, 32], bytesOf(2 * 1024, 1)),
      labels: idxBytes(0x08, [2], Uint8Array.of(1, 2)),
      pattern: /shape \[2, 32, 32\]; expected \[N, 28, 28\]/,
    },
    {
      what: 'labels of rank 2',
      code: 'BAD_SHAPE',
      images: idxBytes(0x08, [2, 28, 28], bytesOf(2 * 784, 1)),
      labels: idxBytes(0x08, [2, 1], Uint8Array.of(1, 2)),
      pattern: /expected \[N\]/,
    },
    {
      what: 'int32 images',
      code: 'BAD_DTYPE',
      images: idxBytes(0x0c, [1, 28, 28], new Uint8Array(784 * 4)),
      labels: idxBytes(0x08, [1], Uint8Array.of(1)),
      pattern: /elements are int32/,
    },
    {
      what: 'a label out of range',
      code: 'BAD_LABEL',
      images: idxBytes(0x08, [2, 28, 28], bytesOf(2 * 784, 1)),
      labels: idxBytes(0x08, [2], Uint8Array.of(1, 10)),
      pattern: /label 10 at index 1; expected 0\.\.9/,
    },
    {
      what: 'a wrong magic number',
      code: 'BAD_MAGIC',
      images: Uint8Array.of(0x1f, 0x00, 0x08, 0x03, ...new Uint8Array(12)),
      labels: idxBytes(0x08, [1], Uint8Array.of(1)),
      pattern: /not an IDX file \(magic number 0x1f 0x00 0x08 0x03/,
    },
    {
      what: 'truncated pixels',
      code: 'TRUNCATED',
      images: idxBytes(0x08, [2, 28, 28], bytesOf(2 * 784 - 100, 1)),
      labels: idxBytes(0x08, [2], Uint8Array.of(1, 2)),
      pattern: /1568 bytes of data, but 1468 follow/,
    },
  ];
  for (const c of cases) {
    it(`${c.what}: ${c.code}`, async () => {
      const dir = freshDir('bad');
      writeFile(join(dir, 't10k-images-idx3-ubyte'), c.images, true);
      writeFile(join(dir, 't10k-labels-idx1-ubyte'), c.labels);
      const e = await failure(loadMnist({ dir, split: 'test' }));
      expect(e.code).toBe(c.code);
      expect(e.message).toMatch(c.pattern);
      expect(e.file).toMatch(/t10k-(images|labels)/);
    });
  }
});

describe('the embedded FashionMNIST test split', () => {
  const golden = loadGolden('fashion-mnist');

  it('is found inside the package', () => {
    const dir = embeddedDataDir();
    expect(dir).toBeDefined();
    expect(existsSync(join(dir!, 't10k-images-idx3-ubyte.gz'))).toBe(true);
    expect(existsSync(join(dir!, 't10k-labels-idx1-ubyte.gz'))).toBe(true);
  });

  it('holds the official test split: 10000 images, 1000 per class', async () => {
    const ds = await loadFashionMnist({ split: 'test', sources: ['embedded'] });
    expect(ds.size).toBe(10000);
    expect(ds.classCounts()).toEqual(new Array(10).fill(1000));
    expect(ds.source!.kind).toBe('embedded');
    expect(ds.source!.note).toMatch(/embedded in @descent\/datasets/);
    expect(sha256(ds.images)).toBe(golden.test.imagesSha256);
    expect(sha256(ds.labels)).toBe(golden.test.labelsSha256);
  });

  it('serves the train split only with allowEmbeddedFallback, and says so', async () => {
    const e = await failure(loadFashionMnist({ split: 'train', sources: ['embedded'] }));
    expect(e.code).toBe('DATA_NOT_FOUND');
    expect(e.message).toContain('allowEmbeddedFallback');
    const ds = await loadFashionMnist({ split: 'train', sources: ['embedded'], allowEmbeddedFallback: true });
    expect(ds.size).toBe(10000);
    expect(ds.split).toBe('train');
    expect(ds.source!.kind).toBe('embedded');
    expect(ds.source!.note).toMatch(/train split not found.*embedded official TEST split/);
  });

  it('gives the book landscape batch (first 256 test images) exactly as torch does', () => {
    return loadFashionMnist({ split: 'test', sources: ['embedded'] }).then((ds) => {
      const before = tf.memory().numTensors;
      const sub = ds.subset(0, 256);
      expect(sub.classCounts()).toEqual(golden.landscapeBatch.classCounts);
      const batch = sub.toTensors();
      expect(batch.x.shape).toEqual([256, 28, 28, 1]);
      const x = batch.x.dataSync() as Float32Array;
      expect(sha256(new Uint8Array(x.buffer, x.byteOffset, x.byteLength))).toBe(golden.landscapeBatch.xSha256);
      batch.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});

describe('Debian dataset-fashion-mnist', () => {
  const installed = existsSync(DEBIAN_FASHION_MNIST_DIR);
  it.skipIf(!installed)(
    `loads 60000 train and 10000 test images, 6000 / 1000 per class, bytes as numpy reads them${installed ? '' : ` — SKIPPED: ${DEBIAN_FASHION_MNIST_DIR} is absent (apt-get install dataset-fashion-mnist)`}`,
    async () => {
      const golden = loadGolden('fashion-mnist');
      const train = await loadFashionMnist({ split: 'train', sources: ['debian'] });
      expect(train.source).toMatchObject({ kind: 'debian', dir: DEBIAN_FASHION_MNIST_DIR });
      expect(train.source!.note).toContain('dataset-fashion-mnist');
      expect(train.size).toBe(60000);
      expect(train.classCounts()).toEqual(new Array(10).fill(6000));
      expect(sha256(train.images)).toBe(golden.train.imagesSha256);
      expect([...train.labels.subarray(0, 16)]).toEqual(golden.train.firstLabels);
      const test = await loadFashionMnist({ split: 'test', sources: ['debian', 'embedded'] }); // Debian comes first
      expect(test.source!.kind).toBe('debian');
      expect(test.size).toBe(10000);
      expect(test.classCounts()).toEqual(new Array(10).fill(1000));
      expect(sha256(test.labels)).toBe(golden.test.labelsSha256);
    },
  );
});
