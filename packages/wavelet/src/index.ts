/**
 * @descent/wavelet — PyWavelets-compatible discrete (1-D, 2-D, multilevel) and continuous
 * wavelet transforms on Float64Array, and the multiscale analysis of 2-D loss surfaces.
 */
export { type Array2D, array2d, fromRows, toRows } from './array2d';
export { type Wavelet, type WaveletLike, wavelet, discreteWavelets } from './filters';
export { type Mode, MODES } from './modes';
export { type DwtOptions, type WavedecOptions, dwt, idwt, wavedec, waverec, dwtCoeffLen, dwtMaxLevel } from './dwt';
export { type Details2D, type Coeffs2D, dwt2, idwt2, wavedec2, waverec2 } from './dwt2';
export { type ContinuousWavelet, type ContinuousFamily, type WaveFunction, continuousWavelet, continuousWavelets, wavefun } from './continuous';
export { type CwtOptions, type CwtResult, cwt, centralFrequency, scale2frequency } from './cwt';
export { type MultiscaleOptions, type MultiscaleResult, type DetailLevel, multiscaleAnalysis } from './multiscale';
