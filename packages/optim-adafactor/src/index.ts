/** @descent/optim-adafactor: the adafactor optimizer as a gradient transform and a registry plugin. */
export { adafactor, adafactorTransform, type AdafactorConfig } from './adafactor';
