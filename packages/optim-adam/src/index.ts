/** @descent/optim-adam: Adam and AdamW (with AMSGrad) as gradient transforms and registry plugins, torch.optim semantics. */
export { adam, adamw, adamTransform, adamwTransform, adamDefaults, adamwDefaults, type AdamConfig, type AdamHyper, type AdamSlot, type AdamState } from './adam';
