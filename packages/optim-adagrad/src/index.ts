/** @descent/optim-adagrad: Adagrad as a gradient transform and a registry plugin, torch.optim semantics. */
export { adagrad, adagradTransform, adagradDefaults, type AdagradConfig, type AdagradHyper, type AdagradSlot, type AdagradState } from './adagrad';
