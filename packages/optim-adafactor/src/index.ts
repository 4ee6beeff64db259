/** @descent/optim-adafactor: Adafactor as a gradient transform and registry plugin, transformers.optimization.Adafactor semantics. */
export { adafactor, adafactorTransform, adafactorDefaults, type AdafactorConfig, type AdafactorHyper, type AdafactorSlot, type AdafactorState } from './adafactor';
