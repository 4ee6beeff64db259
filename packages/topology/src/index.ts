/** @descent/topology. */
export { cubicalPersistence, persistenceIntervals, type PersistencePair, type CubicalPersistenceOptions } from './persistence';
export { type Filtration } from './cubical';
export { type Grid, type GridInput } from './grid';
export { bottleneckDistance, type DistanceOptions } from './bottleneck';
export { wassersteinDistance, type WassersteinOptions } from './wasserstein';
export { type Interval, type DiagramInput } from './diagram';
