/** @descent/init-orthogonal: the (semi-)orthogonal initializer (torch.nn.init.orthogonal_ semantics) and its registry plugin. */
export { orthogonal, orthogonalPlugin, randomOrthogonal, orthogonalMatrixShape, orthogonalDefaults, type OrthogonalConfig } from './orthogonal';
