/** @descent/init-lmomentum: the book's L-momentum initializer (with a working alpha) and its registry plugin. */
export { lMomentum, lMomentumPlugin, lMomentumDefaults, type LMomentumConfig } from './l-momentum';
