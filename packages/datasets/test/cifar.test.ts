import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidParameterError, tf, useBackend } from '@descent/tensor';
import { CIFAR10_CLASSES, DatasetError, loadCifar10, loadCifar100 } from '@descent/datasets';
import { cifarRecords, loadGolden, tempDir, writeFile } from './helpers';

const tmp = tempDir();
beforeAll(async () => {
  await useBackend('wasm');
});
afterAll(tmp.cleanup);
afterEach(() => {
  vi.unstubAllEnvs();
});

let dirCount = 0;
const freshDir = (name: string) => join(tmp.dir, `${name}-${dirCount++}`);

async function failure(p: Promise<unknown>): Promise<DatasetError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DatasetError);
  return e as DatasetError;
}

/** Writes CIFAR-10 batches (2 records each in train files, 3 in test) under root/cifar-10-batches-bin. */
function writeCifar10(root: string, gzip = false) {
  const dir = join(root, 'cifar-10-batches-bin');
  const train = [1, 2, 3, 4, 5].map((i) => cifarRecords([[i % 10], [(i + 5) % 10]], 100 * i));
  train.forEach((r, i) => writeFile(join(dir, `data_batch_${i + 1}.bin`), r.bytes, gzip));
  const test = cifarRecords([[9], [0], [4]], 7);
  writeFile(join(dir, 'test_batch.bin'), test.bytes, gzip);
  return { dir, train, test };
}

/** Channel-first planes → the expected channels-last image. */
function hwc(planes: Uint8Array): number[] {
  const out: number[] = [];
  for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) out.push(planes[c * 1024 + p]);
  return out;
}

describe('CIFAR-10', () => {
  it('loads the five train batches in order and the test batch, raw or gzipped, channels last', async () => {
    for (const gzip of [false, true]) {
      const root = freshDir('c10');
      const { dir, train, test } = writeCifar10(root, gzip);
      const ds = await loadCifar10({ dir: root, sources: ['explicit'] });
      expect(ds.split).toBe('train');
      expect(ds.size).toBe(10);
      expect(ds.shape).toEqual([32, 32, 3]);
      expect(ds.numClasses).toBe(10);
      expect(ds.classNames).toEqual(CIFAR10_CLASSES);
      expect(ds.source).toMatchObject({ kind: 'explicit', dir });
      expect([...ds.labels]).toEqual([1, 6, 2, 7, 3, 8, 4, 9, 5, 0]);
      const planes = train.flatMap((r) => r.planes);
      for (let n = 0; n < 10; n++) expect([...ds.images.subarray(n * 3072, (n + 1) * 3072)]).toEqual(hwc(planes[n]));
      const t = await loadCifar10({ dir, split: 'test', sources: ['explicit'] });
      expect([...t.labels]).toEqual([9, 0, 4]);
      expect([...t.images.subarray(2 * 3072)]).toEqual(hwc(test.planes[2]));
    }
  });

  it('normalises per channel exactly as torchvision ToTensor + Normalize (torch 1.13 golden)', async () => {
    const golden = loadGolden('normalize').cifar;
    const dir = freshDir('c10-golden');
    writeFile(join(dir, 'test_batch.bin'), new Uint8Array(Buffer.from(golden.records, 'base64')));
    const ds = await loadCifar10({ dir, split: 'test', normalization: { mean: golden.mean, std: golden.std } });
    expect([...ds.labels]).toEqual(golden.labels);
    const before = tf.memory().numTensors;
    const batch = ds.toTensors();
    const x = batch.x.dataSync() as Float32Array;
    expect([...x.subarray(0, 12)]).toEqual(golden.nhwcFirst.map(Math.fround));
    expect(createHash('sha256').update(new Uint8Array(x.buffer, x.byteOffset, x.byteLength)).digest('hex')).toBe(golden.nhwcSha256);
    batch.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is found through $DESCENT_DATA/cifar-10-batches-bin', async () => {
    const root = freshDir('c10-env');
    writeCifar10(root);
    vi.stubEnv('DESCENT_DATA', root);
    const ds = await loadCifar10({ split: 'test' });
    expect(ds.source).toMatchObject({ kind: 'env', dir: join(root, 'cifar-10-batches-bin') });
  });

  it('says where to put the files when they are missing, and never downloads', async () => {
    const dir = freshDir('c10-none');
    vi.stubEnv('DESCENT_DATA', '');
    const e = await failure(loadCifar10({ dir }));
    expect(e.code).toBe('DATA_NOT_FOUND');
    expect(e.searched).toEqual([`${dir} (dir option)`, `${join(dir, 'cifar-10-batches-bin')} (dir option)`, '(DESCENT_DATA not set)']);
    expect(e.message).toContain('data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin');
    expect(e.message).toMatch(/Nothing is downloaded.*cifar-10-binary\.tar\.gz/);
  });

  it('refuses an incomplete set of train batches', async () => {
    const dir = freshDir('c10-partial');
    for (const i of [1, 2, 3]) writeFile(join(dir, `data_batch_${i}.bin`), cifarRecords([[1]], i).bytes);
    const e = await failure(loadCifar10({ dir }));
    expect(e.code).toBe('DATA_NOT_FOUND');
    expect(e.message).toContain('missing data_batch_4.bin, data_batch_5.bin');
  });

  it('rejects a file that is not a whole number of records, an empty file, and a bad label', async () => {
    const dir = freshDir('c10-bad');
    const { bytes } = cifarRecords([[3], [4]], 1);
    writeFile(join(dir, 'test_batch.bin'), bytes.subarray(0, bytes.length - 1));
    let e = await failure(loadCifar10({ dir, split: 'test' }));
    expect(e.code).toBe('BAD_RECORD_SIZE');
    expect(e.message).toMatch(/6145 bytes is not a whole number of 3073-byte CIFAR-10 records/);
    expect(e.file).toBe(join(dir, 'test_batch.bin'));

    writeFile(join(dir, 'test_batch.bin'), new Uint8Array(0));
    e = await failure(loadCifar10({ dir, split: 'test' }));
    expect(e.code).toBe('TRUNCATED');

    writeFile(join(dir, 'test_batch.bin'), cifarRecords([[3], [10]], 1).bytes);
    e = await failure(loadCifar10({ dir, split: 'test' }));
    expect(e.code).toBe('BAD_LABEL');
    expect(e.message).toMatch(/label 10 in record 1; expected 0\.\.9/);
  });

  it('augments the train split only', async () => {
    const root = freshDir('c10-aug');
    writeCifar10(root);
    const train = await loadCifar10({ dir: root });
    const test = await loadCifar10({ dir: root, split: 'test' });
    for (const b of train.batches({ batchSize: 4, augment: true, rng: 1 })) b.dispose();
    expect(() => test.batches({ augment: true, rng: 1 })).toThrow(InvalidParameterError);
  });
});

describe('CIFAR-100', () => {
  function writeCifar100(dir: string) {
    const train = cifarRecords([[19, 99], [0, 5], [7, 42]], 3);
    const test = cifarRecords([[1, 2]], 4);
    writeFile(join(dir, 'train.bin'), train.bytes);
    writeFile(join(dir, 'test.bin'), test.bytes, true);
    return { train, test };
  }

  it('reads fine labels by default and coarse on request, with class names when present', async () => {
    const root = freshDir('c100');
    const dir = join(root, 'cifar-100-binary');
    const { train } = writeCifar100(dir);
    const fine = await loadCifar100({ dir: root });
    expect(fine.numClasses).toBe(100);
    expect([...fine.labels]).toEqual([99, 5, 42]);
    expect(fine.classNames).toBeUndefined();
    expect([...fine.images.subarray(3072)].slice(0, 30)).toEqual(hwc(train.planes[1]).slice(0, 30));
    writeFileSync(join(dir, 'coarse_label_names.txt'), Array.from({ length: 20 }, (_, i) => `super${i}`).join('\n') + '\n\n');
    const coarse = await loadCifar100({ dir, labels: 'coarse' });
    expect(coarse.numClasses).toBe(20);
    expect([...coarse.labels]).toEqual([19, 0, 7]);
    expect(coarse.classNames![19]).toBe('super19');
    const test = await loadCifar100({ dir, split: 'test' });
    expect([...test.labels]).toEqual([2]);
    await expect(loadCifar100({ dir, labels: 'medium' as 'fine' })).rejects.toThrow(/"labels"/);
  });

  it('rejects 3073-byte records and out-of-range coarse or fine labels', async () => {
    const dir = freshDir('c100-bad');
    writeFile(join(dir, 'train.bin'), cifarRecords([[1], [2]], 1).bytes); // CIFAR-10 layout: 2 × 3073 bytes
    let e = await failure(loadCifar100({ dir }));
    expect(e.code).toBe('BAD_RECORD_SIZE');
    expect(e.message).toMatch(/3074-byte CIFAR-100 records \(2 label bytes/);
    writeFile(join(dir, 'train.bin'), cifarRecords([[20, 1]], 1).bytes);
    e = await failure(loadCifar100({ dir }));
    expect(e.message).toMatch(/coarse label 20 in record 0; expected 0\.\.19/);
    writeFile(join(dir, 'train.bin'), cifarRecords([[2, 100]], 1).bytes);
    e = await failure(loadCifar100({ dir }));
    expect(e.code).toBe('BAD_LABEL');
    expect(e.message).toMatch(/fine label 100/);
  });
});
