/** @descent/optim-rmsprop: RMSprop (with momentum and the centered variant) as a gradient transform and a registry plugin, torch.optim semantics. */
export { rmsprop, rmspropTransform, rmspropDefaults, type RmspropConfig, type RmspropHyper, type RmspropSlot, type RmspropState } from './rmsprop';
