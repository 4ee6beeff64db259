/** @descent/init-spectral: initializers rescaled to a target spectral norm, the power-iteration estimate, and the registry plugin. */
export {
  spectralNormal,
  spectralNormalPlugin,
  spectralNormalDefaults,
  estimateSpectralNorm,
  estimateSpectralNormDetailed,
  powerIteration,
  spectralMatrixShape,
  SPECTRAL_BASES,
  type SpectralNormalConfig,
  type SpectralNormOptions,
  type SpectralNormEstimate,
  type SpectralBaseId,
} from './spectral';
