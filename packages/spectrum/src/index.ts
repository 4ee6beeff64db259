/**
 * @descent/spectrum — singular-value analysis of weights: spectral norm, condition number,
 * numerical, effective (entropy), cumulative-95 % (the book's) and stable rank, per weight and
 * per model, with an exact SVD or a randomised block Krylov solver for the top of large spectra.
 */
export { weightSpectrum, type WeightSpectrum, type WeightSpectrumOptions } from './spectrum';
export {
  singularValues,
  spectralNorm,
  AUTO_RANDOMIZED_MIN_SIDE,
  type SingularValuesOptions,
  type RandomizedSolverOptions,
  type SpectrumMethod,
} from './singular-values';
export { spectrumMetrics, type SpectrumMetrics, type MetricOptions, type RankVariant } from './metrics';
export {
  analyzeModelWeights,
  averageSpectra,
  type AnalyzeModelOptions,
  type ModelSpectrum,
  type LayerSpectrum,
  type SpectrumAverages,
  type WeightInfo,
} from './model';
export { type WeightInput } from './matrix';
