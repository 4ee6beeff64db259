/** @descent/optim-adamax: Adamax as a gradient transform and a registry plugin, torch.optim semantics. */
export { adamax, adamaxTransform, adamaxDefaults, type AdamaxConfig, type AdamaxHyper, type AdamaxSlot, type AdamaxState } from './adamax';
