/** @descent/optim-rmsprop: the rmsprop optimizer as a gradient transform and a registry plugin. */
export { rmsprop, rmspropTransform, type RmspropConfig } from './rmsprop';
