/** @descent/optim-radam: the radam optimizer as a gradient transform and a registry plugin. */
export { radam, radamTransform, type RadamConfig } from './radam';
