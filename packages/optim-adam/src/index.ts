/** @descent/optim-adam: the adam optimizer as a gradient transform and a registry plugin. */
export { adam, adamTransform, type AdamConfig } from './adam';
