import { loadImageData, IMAGE_DATASETS, type ImageDataOptions, type ImageDatasetName } from '@descent/pipeline';
import type { ImageDataset } from '@descent/datasets';
import { UsageError } from './errors';

export const DATASETS = IMAGE_DATASETS;
export type DatasetName = ImageDatasetName;

export interface LoadedData {
  train: ImageDataset;
  test: ImageDataset;
  /** Said to the user: where the data came from, and any fallback taken. */
  notes: string[];
}

const SOURCES = ['explicit', 'env', 'debian', 'embedded'] as const;

/**
 * Train and test splits, checked for the CLI's flags (--dataset, --data-source) and loaded by
 * @descent/pipeline's loadImageData, which owns the data-set list and the FashionMNIST fallback
 * to the embedded copy of its test split.
 */
export async function loadData(name: string, dir: string | undefined, limits: { trainSize?: number; testSize?: number; source?: string } = {}): Promise<LoadedData> {
  if (limits.source !== undefined && !(SOURCES as readonly string[]).includes(limits.source)) throw new UsageError(`--data-source must be one of ${SOURCES.join(', ')}, got "${limits.source}"`);
  if (!(DATASETS as readonly string[]).includes(name)) throw new UsageError(`unknown --dataset "${name}"; choose one of ${DATASETS.join(', ')}`);
  const options: ImageDataOptions = { dir, trainSize: limits.trainSize, testSize: limits.testSize, source: limits.source as ImageDataOptions['source'] };
  return loadImageData(name as ImageDatasetName, options);
}
