/** @descent/init-lecun: LeCun normal and uniform initializers and their registry plugins. */
export { lecunNormal, lecunUniform, lecunNormalPlugin, lecunUniformPlugin, lecunStd, type LecunConfig } from './lecun';
