/** @descent/optim-adadelta: the adadelta optimizer as a gradient transform and a registry plugin. */
export { adadelta, adadeltaTransform, type AdadeltaConfig } from './adadelta';
