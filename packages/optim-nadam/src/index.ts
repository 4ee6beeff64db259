/** @descent/optim-nadam: NAdam (torch ≥ 2.0 algorithm) as a gradient transform and a registry plugin. */
export { nadam, nadamTransform, nadamDefaults, type NadamConfig, type NadamHyper, type NadamSlot, type NadamState } from './nadam';
