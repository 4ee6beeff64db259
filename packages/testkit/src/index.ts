/** @descent/testkit — the shared conformance suites and fixture helpers every Descent package tests with. */
export { optimizerConformance, type OptimizerConformanceOptions } from './optimizer-conformance';
export { initializerConformance, type InitializerConformanceOptions } from './initializer-conformance';
export { loadGolden, loadFixture, type GoldenTrajectory, type FixtureTensor } from './golden';
export { assertClose, worstClose } from './compare';
export { tensorsLeakedPerCall } from './leaks';
export { toyClassification, toyMlp, toyLoss, type ToyClassificationOptions } from './toy';
export { drawStats, drawsFor, stdError, rms, KURTOSIS, Z, type Stats } from './stats';
