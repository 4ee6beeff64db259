/**
 * @descent/optim-lion: Lion as a gradient transform and registry plugin, with the official code's
 * decoupled weight decay; `lion-book` is the book's variant (coupled decay), offered by name only.
 */
export { lion, lionTransform, lionDefaults, lionUpdate, exactSign, type LionConfig, type LionHyper, type LionSlot, type LionState } from './lion';
export { lionBook, lionBookTransform, lionBookDefaults, type LionBookConfig } from './lion-book';
