/**
 * @descent/datasets — FashionMNIST, MNIST, CIFAR-10 and CIFAR-100 from their standard files, held
 * as bytes and turned into normalised, shuffled, optionally augmented tensor batches.
 */
export { ImageDataset, BatchIterator, type ImageDatasetInit, type Batch, type BatchOptions, type TensorOptions, type Split } from './image-dataset';
export { loadFashionMnist, loadMnist, FASHION_MNIST_CLASSES, type MnistOptions, type FashionMnistOptions } from './mnist';
export { loadCifar10, loadCifar100, CIFAR10_CLASSES, type CifarOptions, type Cifar100Options } from './cifar';
export { readIdx, type IdxArray, type IdxDtype } from './idx';
export { DatasetError, type DatasetErrorCode } from './errors';
export { type DataSource, type DataSourceKind, DATA_ENV, DEBIAN_FASHION_MNIST_DIR } from './locate';
export { type Normalization, BOOK_NORMALIZATION } from './normalize';
export { type Augmentation, BOOK_AUGMENTATION } from './augment';
