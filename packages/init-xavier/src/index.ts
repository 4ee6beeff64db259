/** @descent/init-xavier: Xavier (Glorot) normal and uniform initializers and their registry plugins. */
export { xavierNormal, xavierUniform, xavierNormalPlugin, xavierUniformPlugin, xavierStd, xavierDefaults, type XavierConfig } from './xavier';
