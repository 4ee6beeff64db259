/**
 * @descent/optim-sgd: stochastic gradient descent as gradient transforms and registry plugins.
 * `sgd` follows torch.optim.SGD exactly; `sgd-book` is the book's variant, offered by name only.
 */
export { sgd, sgdTransform, sgdDefaults, type SgdConfig, type SgdHyper, type SgdSlot, type SgdState } from './sgd';
export { sgdBook, sgdBookTransform, sgdBookDefaults, type SgdBookConfig, type SgdBookSlot, type SgdBookState } from './sgd-book';
