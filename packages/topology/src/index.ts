/** @descent/topology. */
export { cubicalPersistence, persistenceIntervals, type PersistencePair, type CubicalPersistenceOptions } from './persistence';
export { type Filtration } from './cubical';
export { type Grid, type GridInput } from './grid';
