import { tf, InvalidParameterError } from '@descent/tensor';
import { weightSpectrum, type WeightSpectrum, type WeightSpectrumOptions } from './spectrum';
import { checkMetricOptions, type RankVariant } from './metrics';
import { METHODS } from './singular-values';

/** A model weight as `analyzeModelWeights` sees it when choosing. */
export interface WeightInfo {
  /** The variable's name, e.g. "dense_Dense1/kernel". */
  name: string;
  shape: number[];
  trainable: boolean;
}

/** Options of `analyzeModelWeights`. */
export interface AnalyzeModelOptions extends WeightSpectrumOptions {
  /**
   * Also analyse 1-D trainable weights other than biases — the book's "weight" parameters with
   * one axis, such as a PReLU slope (tfjs "alpha") or a normalisation scale ("gamma"); names ending
   * in "bias" or "beta" and non-trainable weights (moving statistics) are left out. Each counts as
   * the column [n, 1]: spectral norm ‖w‖ (|a| for a single slope), condition 1, rank 1. Default
   * false; the book's table includes its PReLU slope, so pass true to reproduce it.
   */
  includeVectors?: boolean;
  /** Overrides the selection: analyse exactly the weights for which this returns true. */
  filter?: (weight: WeightInfo) => boolean;
}

/** One row of the table: a weight's name and its spectrum. */
export interface LayerSpectrum extends WeightSpectrum {
  name: string;
  trainable: boolean;
}

/** Plain means over the analysed entries, as the book's table reports them. */
export interface SpectrumAverages {
  /** Infinity as soon as one entry is singular (no entry is dropped). */
  condition: number;
  spectralNorm: number;
  effectiveRank: number;
  effectiveRankRatio: number;
  cumulativeRankRatio: number;
  /** The mean of `rankRatio`, which is per `variant`. */
  rankRatio: number;
  stableRank: number;
  numericalRank: number;
}

/** What `analyzeModelWeights` returns. */
export interface ModelSpectrum {
  layers: LayerSpectrum[];
  averages: SpectrumAverages;
  variant: RankVariant;
}

const VECTOR_EXCLUDED = /(^|[/_])(bias|beta)(_\d+)?$/;

/** The default selection: every weight with ≥ 2 axes, plus 1-D non-bias trainables when asked. */
export function defaultWeightFilter(includeVectors: boolean): (w: WeightInfo) => boolean {
  return (w) => w.shape.length >= 2 || (includeVectors && w.shape.length === 1 && w.trainable && !VECTOR_EXCLUDED.test(w.name));
}

/**
 * Per-weight spectrum table of a TensorFlow.js model and the plain means over its entries (the
 * book's "average condition number", "spectral norm", "effective rank ratio" columns).
 *
 * Selected by default: every weight with at least two axes (dense and conv kernels, embeddings,
 * recurrent kernels), trainable or not; with `includeVectors`, also 1-D trainable non-bias
 * weights such as a PReLU slope. A layer shared between several places appears once. The means
 * are plain arithmetic means over the entries, so the mean condition number is Infinity when any
 * entry is singular, and every mean of a metric that `method: 'randomized'` leaves as NaN is NaN.
 *
 * @example
 * const { layers, averages } = analyzeModelWeights(model, { variant: 'book', includeVectors: true });
 * console.table(layers.map(({ name, shape, condition, spectralNorm, rankRatio }) => ({ name, shape, condition, spectralNorm, rankRatio })));
 */
export function analyzeModelWeights(model: tf.LayersModel, options: AnalyzeModelOptions = {}): ModelSpectrum {
  if (!(model instanceof tf.LayersModel)) {
    throw new InvalidParameterError('model', (model as object | null)?.constructor?.name ?? model, 'a tf.LayersModel (tf.sequential() or tf.model())');
  }
  const { includeVectors = false, filter, variant = 'entropy', ...rest } = options;
  if (typeof includeVectors !== 'boolean') throw new InvalidParameterError('includeVectors', includeVectors, 'true or false');
  if (filter !== undefined && typeof filter !== 'function') throw new InvalidParameterError('filter', typeof filter, 'a function');
  if (rest.method !== undefined && !METHODS.includes(rest.method)) throw new InvalidParameterError('method', rest.method, METHODS.join(', '));
  checkMetricOptions({ variant, threshold: rest.threshold, rtol: rest.rtol });
  const choose = filter ?? defaultWeightFilter(includeVectors);
  const layers: LayerSpectrum[] = [];
  const seen = new Set<number>();
  for (const v of model.weights) {
    if (seen.has(v.id)) continue;
    seen.add(v.id);
    const info: WeightInfo = { name: v.name, shape: v.shape.slice() as number[], trainable: v.trainable };
    if (!choose(info)) continue;
    // read() returns the variable itself: nothing to dispose.
    layers.push({ name: v.name, trainable: v.trainable, ...weightSpectrum(v.read(), { ...rest, variant }) });
  }
  return { layers, averages: averageSpectra(layers), variant };
}

/**
 * Plain means over spectra (the book's averages). NaN for an empty list; the condition mean is
 * Infinity when any entry is.
 */
export function averageSpectra(entries: readonly WeightSpectrum[]): SpectrumAverages {
  const mean = (pick: (s: WeightSpectrum) => number) => (entries.length === 0 ? NaN : entries.reduce((sum, s) => sum + pick(s), 0) / entries.length);
  return {
    condition: mean((s) => s.condition),
    spectralNorm: mean((s) => s.spectralNorm),
    effectiveRank: mean((s) => s.effectiveRank),
    effectiveRankRatio: mean((s) => s.effectiveRankRatio),
    cumulativeRankRatio: mean((s) => s.cumulativeRankRatio),
    rankRatio: mean((s) => s.rankRatio),
    stableRank: mean((s) => s.stableRank),
    numericalRank: mean((s) => s.numericalRank),
  };
}
