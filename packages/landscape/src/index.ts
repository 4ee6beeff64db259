/**
 * @descent/landscape — loss landscapes of any tfjs-layers model: interpolation between points,
 * filter-normalised random directions, 1-D curves and 2-D surfaces, saved for later analysis.
 */
export { randomDirection, normalizeDirection, differenceDirection, type DirectionNormalization, type OneDimensional, type DirectionOptions } from './directions';
export { evaluatePoint, moveTo, snapshot, variablesOf, type LandscapeProblem, type PointValue } from './evaluate';
export { curve1d, interpolate, surface2d, linspace, type Curve, type Surface } from './surface';
export { saveSurface, loadSurface } from './io';
