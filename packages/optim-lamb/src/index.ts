/** @descent/optim-lamb: the lamb optimizer as a gradient transform and a registry plugin. */
export { lamb, lambTransform, type LambConfig } from './lamb';
