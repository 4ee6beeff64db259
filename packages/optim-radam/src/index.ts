/** @descent/optim-radam: RAdam as a gradient transform and a registry plugin, torch.optim semantics. */
export { radam, radamTransform, radamDefaults, type RadamConfig, type RadamHyper, type RadamSlot, type RadamState } from './radam';
