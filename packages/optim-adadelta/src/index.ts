/** @descent/optim-adadelta: Adadelta as a gradient transform and a registry plugin, torch.optim semantics. */
export { adadelta, adadeltaTransform, adadeltaDefaults, type AdadeltaConfig, type AdadeltaHyper, type AdadeltaSlot, type AdadeltaState } from './adadelta';
