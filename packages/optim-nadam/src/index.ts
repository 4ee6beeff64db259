/** @descent/optim-nadam: the nadam optimizer as a gradient transform and a registry plugin. */
export { nadam, nadamTransform, type NadamConfig } from './nadam';
