/** @descent/optim-lamb: LAMB as a gradient transform and registry plugin, tensorflow_addons semantics. */
export { lamb, lambTransform, lambDefaults, type LambConfig, type LambHyper, type LambSlot, type LambState } from './lamb';
