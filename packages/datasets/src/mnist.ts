import { InvalidParameterError } from '@descent/tensor';
import { DatasetError } from './errors';
import { readIdx, type IdxArray } from './idx';
import { ImageDataset, type Split } from './image-dataset';
import { type DataSource, type DataSourceKind, DEBIAN_FASHION_MNIST_DIR, DATA_ENV, candidates, locate, notFound } from './locate';
import type { Normalization } from './normalize';

export interface MnistOptions {
  /** Default 'train'. */
  split?: Split;
  /** A directory holding the four IDX files (raw or .gz), or a data root with a sub-directory per data set. Looked at first. */
  dir?: string;
  /** Restrict where to look (the order is fixed: explicit, env, debian, embedded). Default: all. */
  sources?: readonly DataSourceKind[];
  /** The data set's default normalisation (what `normalize: true` means in batches). Default mean 0.5, std 0.5. */
  normalization?: Normalization;
}

export interface FashionMnistOptions extends MnistOptions {
  /**
   * When the train split is asked for but only the embedded copy is available (it holds the test
   * split alone), load the embedded test split in its place instead of failing; the dataset keeps
   * split 'train' as its role and `source.note` says what happened. Default false.
   */
  allowEmbeddedFallback?: boolean;
}

export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
const DIGITS: readonly string[] = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

function idxNames(split: Split): [string, string] {
  const prefix = split === 'train' ? 'train' : 't10k';
  return [`${prefix}-images-idx3-ubyte`, `${prefix}-labels-idx1-ubyte`];
}

function checkSplit(split: unknown): Split {
  if (split !== 'train' && split !== 'test') throw new InvalidParameterError('split', split, "'train' or 'test'");
  return split;
}

/** Checks an MNIST-style image/label IDX pair and returns images as N×28×28×1 bytes. */
function checkIdxPair(images: IdxArray, labels: IdxArray, imageFile: string, labelFile: string, numClasses: number): { images: Uint8Array; labels: Uint8Array } {
  for (const [arr, file] of [[images, imageFile], [labels, labelFile]] as const) {
    if (arr.dtype !== 'uint8') throw new DatasetError('BAD_DTYPE', `${file}: elements are ${arr.dtype}; MNIST-style files hold unsigned bytes (type 0x08).`, { file });
  }
  if (images.shape.length !== 3 || images.shape[1] !== 28 || images.shape[2] !== 28) {
    throw new DatasetError('BAD_SHAPE', `${imageFile}: shape [${images.shape.join(', ')}]; expected [N, 28, 28] (an idx3 file of 28×28 images).`, { file: imageFile });
  }
  if (labels.shape.length !== 1) {
    throw new DatasetError('BAD_SHAPE', `${labelFile}: shape [${labels.shape.join(', ')}]; expected [N] (an idx1 file of labels).`, { file: labelFile });
  }
  if (images.shape[0] !== labels.shape[0]) {
    throw new DatasetError('COUNT_MISMATCH', `${imageFile} holds ${images.shape[0]} images but ${labelFile} holds ${labels.shape[0]} labels.`, { file: labelFile });
  }
  const bytes = labels.data as Uint8Array;
  const bad = bytes.findIndex((l) => l >= numClasses);
  if (bad >= 0) throw new DatasetError('BAD_LABEL', `${labelFile}: label ${bytes[bad]} at index ${bad}; expected 0..${numClasses - 1}.`, { file: labelFile });
  return { images: images.data as Uint8Array, labels: bytes };
}

interface IdxSetSpec {
  name: string;
  title: string;
  subdirs: string[];
  debian?: string;
  embedded: boolean;
  classNames: readonly string[];
  hint: string;
}

async function loadIdxSet(spec: IdxSetSpec, options: FashionMnistOptions): Promise<ImageDataset> {
  const split = checkSplit(options.split ?? 'train');
  const names = idxNames(split);
  const { list, searched } = candidates({ explicit: options.dir, subdirs: spec.subdirs, debian: spec.debian, embedded: spec.embedded, sources: options.sources });
  // The embedded copy holds the test split only; it serves the train split only by explicit consent.
  const usable = split === 'train' ? list.filter((c) => c.kind !== 'embedded') : list;
  let found = locate(usable, names);
  let note: string | undefined;
  if (!found && split === 'train' && spec.embedded) {
    const embedded = list.find((c) => c.kind === 'embedded');
    if (embedded && options.allowEmbeddedFallback) {
      found = locate([embedded], idxNames('test'));
      if (found) {
        note = `${spec.title} train split not found (searched: ${usable.map((c) => c.dir).join(', ') || 'nowhere'}); using the embedded official TEST split (10,000 images) from ${embedded.dir} in its place, as allowEmbeddedFallback permits.`;
      }
    }
  }
  if (!found) {
    const fallbackHint =
      split === 'train' && spec.embedded ? ` The embedded copy in @descent/datasets holds the test split only; pass allowEmbeddedFallback: true to train on it instead.` : '';
    throw notFound(`${spec.title} ${split} split`, names, searched, spec.hint + fallbackHint);
  }
  const [imageFile, labelFile] = found.files;
  const [images, labels] = await Promise.all([readIdx(imageFile), readIdx(labelFile)]);
  const checked = checkIdxPair(images, labels, imageFile, labelFile, 10);
  const source: DataSource = {
    kind: found.candidate.kind,
    dir: found.candidate.dir,
    note: note ?? describe(spec.title, split, found.candidate.kind, found.candidate.dir, checked.labels.length),
  };
  return new ImageDataset({
    name: spec.name,
    split,
    images: checked.images,
    labels: checked.labels,
    shape: [28, 28, 1],
    numClasses: 10,
    classNames: spec.classNames,
    normalization: options.normalization,
    source,
  });
}

function describe(title: string, split: Split, kind: DataSourceKind, dir: string, count: number): string {
  const where = {
    explicit: 'the dir option',
    env: `$${DATA_ENV}`,
    debian: 'the Debian package dataset-fashion-mnist',
    embedded: 'the official test split embedded in @descent/datasets, used because no location searched before it holds the data',
  }[kind];
  return `${title} ${split} split, ${count} images, from ${dir} (${where}).`;
}

const FASHION: IdxSetSpec = {
  name: 'fashion-mnist',
  title: 'FashionMNIST',
  subdirs: ['fashion-mnist', 'FashionMNIST/raw'],
  debian: DEBIAN_FASHION_MNIST_DIR,
  embedded: true,
  classNames: FASHION_MNIST_CLASSES,
  hint: `Install the Debian package dataset-fashion-mnist, or put the four IDX files in a directory and pass it as dir, or set ${DATA_ENV} to a data root holding fashion-mnist/.`,
};

const MNIST: IdxSetSpec = {
  name: 'mnist',
  title: 'MNIST',
  subdirs: ['mnist', 'MNIST/raw'],
  embedded: false,
  classNames: DIGITS,
  hint: `Put the four MNIST IDX files (raw or .gz) in a directory and pass it as dir, or set ${DATA_ENV} to a data root holding mnist/.`,
};

/**
 * Loads FashionMNIST (28×28×1, 10 classes) from IDX files, raw or gzipped. Looks, in order, in
 * `dir` (and its fashion-mnist/ and FashionMNIST/raw/ sub-directories), in $DESCENT_DATA/fashion-mnist
 * (and FashionMNIST/raw), in /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist),
 * and last in the official test split embedded in this package. `dataset.source` tells which.
 */
export function loadFashionMnist(options: FashionMnistOptions = {}): Promise<ImageDataset> {
  return loadIdxSet(FASHION, options);
}

/**
 * Loads MNIST (28×28×1, 10 digits) from IDX files, raw or gzipped, found in `dir` (or its mnist/
 * and MNIST/raw/ sub-directories) or in $DESCENT_DATA/mnist (or MNIST/raw). Nothing is embedded.
 */
export function loadMnist(options: MnistOptions = {}): Promise<ImageDataset> {
  return loadIdxSet(MNIST, { ...options, allowEmbeddedFallback: false });
}
