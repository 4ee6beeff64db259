import { loadFashionMnist, loadMnist, loadCifar10, loadCifar100, DatasetError, type ImageDataset } from '@descent/datasets';
import { UsageError } from './errors';

export const DATASETS = ['fashion-mnist', 'mnist', 'cifar10', 'cifar100'] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface LoadedData {
  train: ImageDataset;
  test: ImageDataset;
  /** Said to the user: where the data came from, and any fallback taken. */
  notes: string[];
}

/**
 * Train and test splits. FashionMNIST falls back to the copy of its test split that ships with
 * @descent/datasets when no train split is installed: the first 8,000 images train, the last
 * 2,000 test, and the user is told.
 */
const SOURCES = ['explicit', 'env', 'debian', 'embedded'] as const;
type SourceKind = (typeof SOURCES)[number];

export async function loadData(name: string, dir: string | undefined, limits: { trainSize?: number; testSize?: number; source?: string } = {}): Promise<LoadedData> {
  if (limits.source !== undefined && !(SOURCES as readonly string[]).includes(limits.source)) throw new UsageError(`--data-source must be one of ${SOURCES.join(', ')}, got "${limits.source}"`);
  const only = limits.source ? [limits.source as SourceKind] : undefined;
  if (!(DATASETS as readonly string[]).includes(name)) throw new UsageError(`unknown --dataset "${name}"; choose one of ${DATASETS.join(', ')}`);
  const notes: string[] = [];
  let train: ImageDataset;
  let test: ImageDataset;
  if (name === 'fashion-mnist' || name === 'mnist') {
    const load = name === 'fashion-mnist' ? loadFashionMnist : loadMnist;
    test = await load({ split: 'test', dir, ...(only ? { sources: only } : {}) });
    try {
      const trainSources = (only ?? SOURCES).filter((s) => s !== 'embedded');
      if (trainSources.length === 0) throw new DatasetError('DATA_NOT_FOUND', 'no train split in the embedded data');
      train = await load({ split: 'train', dir, sources: trainSources });
    } catch (e) {
      if (!(e instanceof DatasetError) || e.code !== 'DATA_NOT_FOUND' || name !== 'fashion-mnist' || test.source?.kind !== 'embedded') throw e;
      notes.push(
        'FashionMNIST train split not installed (apt-get install dataset-fashion-mnist, or set DESCENT_DATA): ' +
          'using the embedded 10k test split, images 0-7999 to train and 8000-9999 to test.',
      );
      train = test.subset(0, 8000);
      test = test.subset(8000);
    }
  } else {
    const load = name === 'cifar10' ? loadCifar10 : loadCifar100;
    train = await load({ split: 'train', dir });
    test = await load({ split: 'test', dir });
  }
  if (train.source) notes.unshift(`data: ${train.name} from ${train.source.kind}${train.source.dir ? ` (${train.source.dir})` : ''}${train.source.note ? ` — ${train.source.note}` : ''}`);
  if (limits.trainSize && limits.trainSize < train.size) train = train.subset(0, limits.trainSize);
  if (limits.testSize && limits.testSize < test.size) test = test.subset(0, limits.testSize);
  return { train, test, notes };
}
