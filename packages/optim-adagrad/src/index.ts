/** @descent/optim-adagrad: the adagrad optimizer as a gradient transform and a registry plugin. */
export { adagrad, adagradTransform, type AdagradConfig } from './adagrad';
