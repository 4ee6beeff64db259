/** @descent/optim-adabelief: the adabelief optimizer as a gradient transform and a registry plugin. */
export { adabelief, adabeliefTransform, type AdabeliefConfig } from './adabelief';
