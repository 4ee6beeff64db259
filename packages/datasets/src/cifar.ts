import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidParameterError } from '@descent/tensor';
import { DatasetError } from './errors';
import { ImageDataset, type Split } from './image-dataset';
import { type DataSourceKind, DATA_ENV, candidates, locate, notFound } from './locate';
import type { Normalization } from './normalize';
import { readMaybeGzip } from './read-bytes';

export interface CifarOptions {
  /** Default 'train'. */
  split?: Split;
  /** The directory of the .bin files, or its parent (where the archive was extracted). Looked at first. */
  dir?: string;
  /** Restrict where to look: 'explicit' and/or 'env' (nothing else applies to CIFAR). Default both. */
  sources?: readonly DataSourceKind[];
  /** What `normalize: true` means in batches: one mean/std or one per channel (R, G, B). Default 0.5, 0.5 (the book's). */
  normalization?: Normalization;
}

export interface Cifar100Options extends CifarOptions {
  /** Which label of each record: the 100 'fine' classes (default) or the 20 'coarse' superclasses. */
  labels?: 'fine' | 'coarse';
}

export const CIFAR10_CLASSES: readonly string[] = Object.freeze(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);

const SIDE = 32;
const PLANE = SIDE * SIDE;
const PIXELS = PLANE * 3;

interface CifarLayout {
  title: string;
  name: string;
  subdir: string;
  files: Record<Split, string[]>;
  /** Label bytes before the pixels of each record, with the class count of each. */
  labelBytes: { name: string; numClasses: number }[];
  archive: string;
}

const CIFAR10: CifarLayout = {
  title: 'CIFAR-10',
  name: 'cifar-10',
  subdir: 'cifar-10-batches-bin',
  files: { train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`), test: ['test_batch.bin'] },
  labelBytes: [{ name: 'label', numClasses: 10 }],
  archive: 'cifar-10-binary.tar.gz',
};

const CIFAR100: CifarLayout = {
  title: 'CIFAR-100',
  name: 'cifar-100',
  subdir: 'cifar-100-binary',
  files: { train: ['train.bin'], test: ['test.bin'] },
  labelBytes: [
    { name: 'coarse label', numClasses: 20 },
    { name: 'fine label', numClasses: 100 },
  ],
  archive: 'cifar-100-binary.tar.gz',
};

/**
 * Decodes CIFAR binary records (label byte(s), then 1024 R, 1024 G, 1024 B bytes, rows top to
 * bottom) into channels-last images and one label array per label byte.
 */
function decodeRecords(files: { file: string; bytes: Uint8Array }[], layout: CifarLayout): { images: Uint8Array; labels: Uint8Array[] } {
  const head = layout.labelBytes.length;
  const record = head + PIXELS;
  let total = 0;
  for (const { file, bytes } of files) {
    if (bytes.length === 0) throw new DatasetError('TRUNCATED', `${file}: empty file; expected ${layout.title} records of ${record} bytes.`, { file });
    if (bytes.length % record !== 0) {
      throw new DatasetError(
        'BAD_RECORD_SIZE',
        `${file}: ${bytes.length} bytes is not a whole number of ${record}-byte ${layout.title} records ` +
          `(${head} label byte${head > 1 ? 's' : ''} + 3072 pixel bytes); ${Math.floor(bytes.length / record)} records and ${bytes.length % record} bytes over — truncated or not a ${layout.title} binary file.`,
        { file },
      );
    }
    total += bytes.length / record;
  }
  const images = new Uint8Array(total * PIXELS);
  const labels = layout.labelBytes.map(() => new Uint8Array(total));
  let n = 0;
  for (const { file, bytes } of files) {
    for (let r = 0; r < bytes.length; r += record, n++) {
      layout.labelBytes.forEach(({ name, numClasses }, k) => {
        const label = bytes[r + k];
        if (label >= numClasses) {
          throw new DatasetError('BAD_LABEL', `${file}: ${name} ${label} in record ${r / record}; expected 0..${numClasses - 1}.`, { file });
        }
        labels[k][n] = label;
      });
      const pixels = r + head;
      const out = n * PIXELS;
      for (let p = 0; p < PLANE; p++) {
        images[out + 3 * p] = bytes[pixels + p];
        images[out + 3 * p + 1] = bytes[pixels + PLANE + p];
        images[out + 3 * p + 2] = bytes[pixels + 2 * PLANE + p];
      }
    }
  }
  return { images, labels };
}

async function loadCifar(
  layout: CifarLayout,
  options: CifarOptions,
  pick: number,
  namesIn: (dir: string) => Promise<readonly string[] | undefined>,
): Promise<ImageDataset> {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new InvalidParameterError('split', split, "'train' or 'test'");
  const names = layout.files[split];
  const { list, searched } = candidates({ explicit: options.dir, subdirs: [layout.subdir], sources: options.sources });
  const found = locate(list, names);
  if (!found) {
    throw notFound(
      `${layout.title} ${split} split`,
      names,
      searched,
      `Nothing is downloaded: get the "binary version" archive ${layout.archive} from https://www.cs.toronto.edu/~kriz/cifar.html, ` +
        `extract it (it creates ${layout.subdir}/) and pass that directory or its parent as dir, or set ${DATA_ENV} to the parent.`,
    );
  }
  const files = await Promise.all(found.files.map(async (file) => ({ file, bytes: await readMaybeGzip(file) })));
  const { images, labels } = decodeRecords(files, layout);
  const { numClasses } = layout.labelBytes[pick];
  const classNames = await namesIn(found.candidate.dir);
  return new ImageDataset({
    name: layout.name,
    split,
    images,
    labels: labels[pick],
    shape: [SIDE, SIDE, 3],
    numClasses,
    classNames: classNames?.length === numClasses ? classNames : undefined,
    normalization: options.normalization,
    source: {
      kind: found.candidate.kind,
      dir: found.candidate.dir,
      note: `${layout.title} ${split} split, ${labels[pick].length} images, from ${found.candidate.dir} (${found.candidate.kind === 'env' ? `$${DATA_ENV}` : 'the dir option'}).`,
    },
  });
}

/**
 * Loads CIFAR-10 (32×32×3, 10 classes) from the binary version: data_batch_1..5.bin (train) or
 * test_batch.bin (test), in `dir`, `dir`/cifar-10-batches-bin, or $DESCENT_DATA/cifar-10-batches-bin.
 */
export function loadCifar10(options: CifarOptions = {}): Promise<ImageDataset> {
  return loadCifar(CIFAR10, options, 0, async () => CIFAR10_CLASSES);
}

/**
 * Loads CIFAR-100 (32×32×3; 100 fine or 20 coarse classes) from the binary version: train.bin or
 * test.bin, in `dir`, `dir`/cifar-100-binary, or $DESCENT_DATA/cifar-100-binary. Class names are
 * read from fine_label_names.txt / coarse_label_names.txt when they sit beside the .bin files.
 */
export async function loadCifar100(options: Cifar100Options = {}): Promise<ImageDataset> {
  const which = options.labels ?? 'fine';
  if (which !== 'fine' && which !== 'coarse') throw new InvalidParameterError('labels', which, "'fine' or 'coarse'");
  return loadCifar(CIFAR100, options, which === 'coarse' ? 0 : 1, (dir) => readLines(join(dir, `${which}_label_names.txt`)));
}

async function readLines(file: string): Promise<string[] | undefined> {
  try {
    return (await readFile(file, 'utf8')).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  } catch {
    return undefined;
  }
}
