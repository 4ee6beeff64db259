/** @descent/optim-lars: the lars optimizer as a gradient transform and a registry plugin. */
export { lars, larsTransform, type LarsConfig } from './lars';
