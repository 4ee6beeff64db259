/** @descent/optim-lars: LARS as a gradient transform and registry plugin, the paper's Algorithm 1 as TensorFlow's LARSOptimizer. */
export { lars, larsTransform, larsDefaults, type LarsConfig, type LarsHyper, type LarsSlot, type LarsState } from './lars';
