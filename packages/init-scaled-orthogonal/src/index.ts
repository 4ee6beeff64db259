/** @descent/init-scaled-orthogonal: orthogonal initialization times scale/√fanIn, and its registry plugin. */
export { scaledOrthogonal, scaledOrthogonalPlugin, scaledOrthogonalFactor, scaledOrthogonalDefaults, type ScaledOrthogonalConfig } from './scaled-orthogonal';
