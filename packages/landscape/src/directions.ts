import { tf, Rng, InvalidParameterError, type ParamMap } from '@descent/tensor';

/**
 * How a random direction is scaled to the weights it perturbs (Li et al. 2018, "Visualizing the
 * Loss Landscape of Neural Nets"):
 * - 'filter': each filter of d gets the norm of the same filter of θ. In TensorFlow.js layout a
 *   filter is a slice along the last axis: an output unit's column of a dense kernel [in, out],
 *   an output channel of a conv kernel [kh, kw, in, out].
 * - 'layer': each parameter tensor of d gets the norm of the same tensor of θ.
 * - 'none': d as drawn.
 */
export type DirectionNormalization = 'filter' | 'layer' | 'none';

/**
 * What happens to 1-D parameters (biases, BatchNorm γ/β): 'ignore' sets their direction to zero
 * (Li et al.'s `biasbn`), 'normalize' treats each as one filter and scales it like the others.
 * Li et al.'s code copies θ itself into those entries when not ignoring; 'normalize' is the
 * consistent generalisation and is what Descent does.
 */
export type OneDimensional = 'ignore' | 'normalize';

export interface DirectionOptions {
  normalization?: DirectionNormalization;
  oneDimensional?: OneDimensional;
  rng?: Rng;
}

const NORMALIZATIONS: DirectionNormalization[] = ['filter', 'layer', 'none'];

/** Rescales `d` per filter, per tensor or not at all, to the norms of `theta` (new tensors). */
export function normalizeDirection(d: ParamMap, theta: ParamMap, options: Omit<DirectionOptions, 'rng'> = {}): ParamMap {
  const normalization = options.normalization ?? 'filter';
  const oneD = options.oneDimensional ?? 'ignore';
  if (!NORMALIZATIONS.includes(normalization)) throw new InvalidParameterError('normalization', normalization, NORMALIZATIONS.join(', '));
  if (oneD !== 'ignore' && oneD !== 'normalize') throw new InvalidParameterError('oneDimensional', oneD, "'ignore' or 'normalize'");
  const out: ParamMap = {};
  for (const [name, w] of Object.entries(theta)) {
    const di = d[name];
    if (!di || !tf.util.arraysEqual(di.shape, w.shape)) throw new InvalidParameterError(`direction["${name}"]`, di?.shape, `shape [${w.shape}]`);
    out[name] = tf.tidy(() => {
      if (w.rank <= 1 && oneD === 'ignore') return tf.zerosLike(w);
      if (normalization === 'none') return di.clone();
      if (normalization === 'layer' || w.rank <= 1) return tf.mul(di, tf.div(tf.norm(w), tf.add(tf.norm(di), 1e-10)));
      // Per filter: norms over every axis but the last.
      const axes = Array.from({ length: w.rank - 1 }, (_, i) => i);
      const wn = tf.sqrt(tf.sum(tf.square(w), axes, true));
      const dn = tf.sqrt(tf.sum(tf.square(di), axes, true));
      return tf.mul(di, tf.div(wn, tf.add(dn, 1e-10)));
    });
  }
  return out;
}

/** A Gaussian direction shaped like `theta`, normalised (default: filter-wise, 1-D entries zero). */
export function randomDirection(theta: ParamMap, options: DirectionOptions = {}): ParamMap {
  const rng = options.rng ?? new Rng(0);
  const raw: ParamMap = Object.fromEntries(Object.entries(theta).map(([n, w]) => [n, rng.randomNormal(w.shape)]));
  const out = normalizeDirection(raw, theta, options);
  tf.dispose(Object.values(raw));
  return out;
}

/** θ₂ − θ₁, the direction between two checkpoints. */
export function differenceDirection(from: ParamMap, to: ParamMap): ParamMap {
  return Object.fromEntries(Object.keys(from).map((n) => {
    if (!to[n]) throw new InvalidParameterError(`to["${n}"]`, undefined, 'the same parameter names in both points');
    return [n, tf.sub(to[n], from[n])];
  }));
}
