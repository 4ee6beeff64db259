import type { Column } from './table';

/**
 * The columns of a training run's epoch table (`table(records, EPOCH_COLUMNS)`), for records shaped
 * like `@descent/train`'s EpochRecord (see EpochRecordLike): the one column set that `descent train`,
 * `descent report` and @descent/pipeline's run reports share.
 */
export const EPOCH_COLUMNS: readonly Column[] = Object.freeze([
  { key: 'epoch', title: 'epoch', format: 'integer' },
  { key: 'trainLoss', title: 'train loss', format: { digits: 4 } },
  { key: 'trainAccuracy', title: 'train accuracy', format: 'percent' },
  { key: 'testLoss', title: 'test loss', format: { digits: 4 } },
  { key: 'testAccuracy', title: 'test accuracy', format: 'percent' },
  { key: 'gradNorm', title: 'gradient norm', format: { digits: 3 } },
  { key: 'lr', title: 'learning rate', format: 'exponent' },
  { key: 'seconds', title: 's / epoch', format: { digits: 1 } },
  { key: 'msPerStep', title: 'ms / step', format: { digits: 1 } },
  { key: 'optimizerStateBytes', title: 'optimizer state', format: 'bytes' },
] satisfies Column[]);
