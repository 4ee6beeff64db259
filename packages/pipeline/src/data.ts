import { Rng, InvalidParameterError } from '@descent/tensor';
import { ImageDataset, loadFashionMnist, loadMnist, loadCifar10, loadCifar100, DatasetError, type DataSourceKind } from '@descent/datasets';
import type { DataSource } from '@descent/train';
import { schema, type TSchema } from '@descent/registry';

/** A data source the pipeline can train on: @descent/train's DataSource plus the example shape and class count. */
export interface ShapedDataSource extends DataSource {
  /** [H, W, C] (or any shape the model's input takes, without the batch axis). */
  readonly shape: readonly number[];
  readonly numClasses: number;
}

/** What a data step yields: train and (optional) test splits, and notes for the log. */
export interface PipelineData {
  train: ShapedDataSource;
  test?: ShapedDataSource;
  notes?: string[];
}

/** A built-in data step: its config schema and loader. */
export interface DataEntry {
  description: string;
  schema: TSchema;
  load(config: Record<string, any>): Promise<PipelineData>;
}

const SOURCES = ['explicit', 'env', 'debian', 'embedded'] as const;

const limits = {
  trainSize: schema.integer({ min: 1, description: 'use only the first n training examples' }),
  testSize: schema.integer({ min: 1, description: 'use only the first n test examples' }),
  dir: schema.string({ description: 'folder with the data files (else DESCENT_DATA, the Debian location, the embedded copy)' }),
  source: schema.enum(SOURCES, { description: 'only this data location' }),
};

/** The image data sets `loadImageData` (and so the built-in data steps and `descent train`) load by name. */
export const IMAGE_DATASETS = ['fashion-mnist', 'mnist', 'cifar10', 'cifar100'] as const;
export type ImageDatasetName = (typeof IMAGE_DATASETS)[number];

/** Where and how much of a named image data set `loadImageData` loads. */
export interface ImageDataOptions {
  /** Folder with the data files (else DESCENT_DATA, the Debian location, the embedded copy). */
  dir?: string;
  /** Only this data location (MNIST-like sets). */
  source?: DataSourceKind;
  trainSize?: number;
  testSize?: number;
}

/**
 * Train and test splits of a named image data set, with notes for the user (where the data came
 * from, and any fallback taken). FashionMNIST falls back to the copy of its test split that ships
 * with @descent/datasets when no train split is installed: images 0-7999 train, 8000-9999 test.
 */
export async function loadImageData(name: ImageDatasetName, options: ImageDataOptions = {}): Promise<{ train: ImageDataset; test: ImageDataset; notes: string[] }> {
  const notes: string[] = [];
  let train: ImageDataset;
  let test: ImageDataset;
  if (name === 'fashion-mnist' || name === 'mnist') {
    const load = name === 'fashion-mnist' ? loadFashionMnist : loadMnist;
    const only = options.source ? [options.source] : undefined;
    test = await load({ split: 'test', dir: options.dir, ...(only ? { sources: only } : {}) });
    try {
      const trainSources = (only ?? SOURCES).filter((s) => s !== 'embedded');
      if (trainSources.length === 0) throw new DatasetError('DATA_NOT_FOUND', 'no train split in the embedded data');
      train = await load({ split: 'train', dir: options.dir, sources: trainSources });
    } catch (e) {
      if (!(e instanceof DatasetError) || e.code !== 'DATA_NOT_FOUND' || name !== 'fashion-mnist' || test.source?.kind !== 'embedded') throw e;
      notes.push(
        'FashionMNIST train split not installed (apt-get install dataset-fashion-mnist, or set DESCENT_DATA): ' +
          'using the embedded 10k test split, images 0-7999 to train and 8000-9999 to test.',
      );
      // The embedded split has the role 'test'; as training data it must allow augmentation.
      const all = new ImageDataset({ name: test.name, split: 'train', images: test.images, labels: test.labels, shape: test.shape, numClasses: test.numClasses, classNames: test.classNames, normalization: test.normalization, source: test.source });
      train = all.subset(0, 8000);
      test = test.subset(8000);
    }
  } else {
    const load = name === 'cifar10' ? loadCifar10 : loadCifar100;
    train = await load({ split: 'train', dir: options.dir });
    test = await load({ split: 'test', dir: options.dir });
  }
  if (train.source) notes.unshift(`data: ${train.name} from ${train.source.kind}${train.source.dir ? ` (${train.source.dir})` : ''}${train.source.note ? ` — ${train.source.note}` : ''}`);
  if (options.trainSize && options.trainSize < train.size) train = train.subset(0, options.trainSize);
  if (options.testSize && options.testSize < test.size) test = test.subset(0, options.testSize);
  return { train, test, notes };
}

const builtin = (name: ImageDatasetName) => (c: Record<string, any>) => loadImageData(name, { dir: c.dir, source: c.source, trainSize: c.trainSize, testSize: c.testSize });

/**
 * A small separable image problem generated from a seed (no files): each class lights up its own
 * block of pixels over uniform noise. For tests, examples and smoke runs of a pipeline.
 */
export function syntheticImages(options: { size: number; shape?: readonly [number, number, number]; numClasses?: number; seed?: number; split?: 'train' | 'test' }): ImageDataset {
  const shape = options.shape ?? [8, 8, 1];
  const numClasses = options.numClasses ?? 2;
  const [h, w, c] = shape;
  const pixels = h * w * c;
  if (numClasses > pixels) throw new InvalidParameterError('numClasses', numClasses, `at most H·W·C = ${pixels}`);
  const rng = new Rng(`synthetic:${options.seed ?? 0}:${options.split ?? 'train'}`);
  const images = new Uint8Array(options.size * pixels);
  const labels = new Uint8Array(options.size);
  const block = Math.max(1, Math.floor(pixels / numClasses));
  for (let i = 0; i < options.size; i++) {
    const label = rng.int(numClasses);
    labels[i] = label;
    for (let p = 0; p < pixels; p++) {
      const lit = p >= label * block && p < (label + 1) * block;
      images[i * pixels + p] = Math.min(255, Math.floor(rng.next() * 96) + (lit ? 128 : 0));
    }
  }
  return new ImageDataset({ name: 'synthetic', split: options.split ?? 'train', images, labels, shape, numClasses });
}

/** The built-in data steps by id. */
export const DATA_STEPS: Record<string, DataEntry> = {
  'fashion-mnist': { description: 'FashionMNIST (28×28×1, 10 classes)', schema: schema.object(limits), load: builtin('fashion-mnist') },
  mnist: { description: 'MNIST (28×28×1, 10 classes)', schema: schema.object(limits), load: builtin('mnist') },
  cifar10: {
    description: 'CIFAR-10 (32×32×3, 10 classes)',
    schema: schema.object({ trainSize: limits.trainSize, testSize: limits.testSize, dir: limits.dir }),
    load: builtin('cifar10'),
  },
  cifar100: {
    description: 'CIFAR-100 (32×32×3, 100 classes)',
    schema: schema.object({ trainSize: limits.trainSize, testSize: limits.testSize, dir: limits.dir }),
    load: builtin('cifar100'),
  },
  synthetic: {
    description: 'a small separable image problem generated from a seed (no files)',
    schema: schema.object({
      trainSize: schema.integer({ min: 1, description: 'training examples (default 256)' }),
      testSize: schema.integer({ min: 1, description: 'test examples (default 64)' }),
      shape: schema.tuple([schema.integer({ min: 1 }), schema.integer({ min: 1 }), schema.integer({ min: 1 })], { description: '[H, W, C] (default [8, 8, 1])' }),
      numClasses: schema.integer({ min: 2, max: 256, description: 'classes (default 2)' }),
      seed: schema.integer({ min: 0, description: 'seed of the generated data (default 0)' }),
    }),
    load: async (c) => {
      const opts = { shape: c.shape as [number, number, number] | undefined, numClasses: c.numClasses, seed: c.seed };
      return { train: syntheticImages({ ...opts, size: c.trainSize ?? 256, split: 'train' }), test: syntheticImages({ ...opts, size: c.testSize ?? 64, split: 'test' }), notes: [] };
    },
  },
};
