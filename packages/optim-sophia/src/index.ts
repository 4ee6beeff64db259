/**
 * @descent/optim-sophia: SophiaG as a gradient transform and registry plugin, with the official
 * code's semantics, and Hessian-diagonal estimators (Gauss-Newton-Bartlett, Hutchinson) for
 * @descent/train's loop; `sophia-book` is the book's variant, offered by name only.
 */
export { sophia, sophiaTransform, sophiaDefaults, type SophiaConfig, type SophiaHyper, type SophiaSlot, type SophiaState } from './sophia';
export { sophiaBook, sophiaBookTransform, sophiaBookDefaults, type SophiaBookConfig, type SophiaBookSlot, type SophiaBookState } from './sophia-book';
export { sophiaEstimator, type SophiaEstimatorOptions, type SophiaHessianSchedule, type SophiaModel } from './estimators';
