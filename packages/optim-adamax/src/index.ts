/** @descent/optim-adamax: the adamax optimizer as a gradient transform and a registry plugin. */
export { adamax, adamaxTransform, type AdamaxConfig } from './adamax';
