import { DescentError } from '@descent/tensor';

/** Stable codes of {@link DatasetError}, one per way a data set can fail to load. */
export type DatasetErrorCode =
  /** None of the directories searched holds the files (or a directory holds only some of them). */
  | 'DATA_NOT_FOUND'
  /** The file starts like gzip but does not decompress. */
  | 'BAD_GZIP'
  /** An IDX file whose first bytes are not 0x00 0x00 <type> <rank> with a known type. */
  | 'BAD_MAGIC'
  /** Fewer bytes than the header (or the record layout) promises. */
  | 'TRUNCATED'
  /** More bytes than the header promises: the file is not what it claims to be. */
  | 'TRAILING_DATA'
  /** An IDX element type other than the one the data set stores (unsigned bytes). */
  | 'BAD_DTYPE'
  /** Wrong rank or image size, e.g. a 32×32 file where 28×28 MNIST images are expected. */
  | 'BAD_SHAPE'
  /** The image file and the label file disagree on the number of examples. */
  | 'COUNT_MISMATCH'
  /** A CIFAR file whose size is not a whole number of records. */
  | 'BAD_RECORD_SIZE'
  /** A label outside 0..numClasses-1. */
  | 'BAD_LABEL';

/**
 * A data file is missing or malformed. Nothing is ever loaded partially: any of these aborts the
 * load. `file` names the offending file; `searched` lists the directories tried, in order, when
 * nothing was found.
 */
export class DatasetError extends DescentError {
  declare readonly code: DatasetErrorCode;
  readonly file?: string;
  readonly searched?: readonly string[];
  constructor(code: DatasetErrorCode, message: string, details: { file?: string; searched?: readonly string[] } = {}) {
    super(code, message);
    if (details.file !== undefined) this.file = details.file;
    if (details.searched !== undefined) this.searched = details.searched;
  }
}
