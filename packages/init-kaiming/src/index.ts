/** @descent/init-kaiming: Kaiming (He) normal and uniform initializers and their registry plugins. */
export {
  kaimingNormal,
  kaimingUniform,
  kaimingNormalPlugin,
  kaimingUniformPlugin,
  kaimingStd,
  kaimingGain,
  kaimingDefaults,
  kaimingSchemaProperties,
  NONLINEARITIES,
  type KaimingConfig,
  type Nonlinearity,
  type FanMode,
} from './kaiming';
