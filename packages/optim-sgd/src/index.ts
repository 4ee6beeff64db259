/** @descent/optim-sgd: the sgd optimizer as a gradient transform and a registry plugin. */
export { sgd, sgdTransform, type SgdConfig } from './sgd';
