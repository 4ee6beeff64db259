/**
 * @descent/topology: sublevel-set persistent homology of grids (cubical complexes, GUDHI-compatible),
 * distances between persistence diagrams, diagram summaries and loss-surface topology.
 */
export { cubicalPersistence, persistenceIntervals, type PersistencePair, type CubicalPersistenceOptions } from './persistence';
export { type Filtration } from './cubical';
export { type Grid, type GridInput } from './grid';
export { type Interval, type DiagramInput } from './diagram';
export { bottleneckDistance, type DistanceOptions } from './bottleneck';
export { wassersteinDistance, type WassersteinOptions } from './wasserstein';
export {
  totalPersistence,
  persistenceEntropy,
  bettiCurve,
  persistenceImage,
  type SummaryOptions,
  type BettiCurve,
  type BettiCurveOptions,
  type PersistenceImage,
  type PersistenceImageOptions,
} from './summaries';
export { normalizeMinMax, surfaceDiagram, countBasins, minimaBarrier, type BasinOptions, type Barrier } from './surface';
