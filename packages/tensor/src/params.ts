import * as tf from './tf';

/** Named tensors: the parameters (or gradients, updates, directions) of a model, keyed by tfjs variable name. */
export type ParamMap = Record<string, tf.Tensor>;

/** Applies `fn` to every entry, keeping the names. */
export function mapParams(map: ParamMap, fn: (t: tf.Tensor, name: string) => tf.Tensor): ParamMap {
  const out: ParamMap = {};
  for (const name of Object.keys(map)) out[name] = fn(map[name], name);
  return out;
}

/** Applies `fn` to the entries of `a` and the same-named entries of `b`. */
export function zipParams(a: ParamMap, b: ParamMap, fn: (x: tf.Tensor, y: tf.Tensor, name: string) => tf.Tensor): ParamMap {
  const out: ParamMap = {};
  for (const name of Object.keys(a)) {
    const y = b[name];
    if (y === undefined) throw new Error(`zipParams: "${name}" is missing from the second map`);
    out[name] = fn(a[name], y, name);
  }
  return out;
}

/** `params + updates`, name by name (optax's `apply_updates`). Names without an update are kept as they are. */
export function applyUpdates(params: ParamMap, updates: ParamMap): ParamMap {
  return mapParams(params, (p, name) => (updates[name] ? tf.add(p, updates[name]) : p.clone()));
}

/** A scalar tensor √Σ‖t‖² over the map. */
export function globalNorm(map: ParamMap): tf.Scalar {
  return tf.tidy(() => {
    const names = Object.keys(map);
    if (names.length === 0) return tf.scalar(0);
    const sq = names.map((n) => tf.sum(tf.square(map[n])));
    return tf.sqrt(tf.addN(sq)) as tf.Scalar;
  });
}

/** Total number of scalar entries in the map. */
export function countParams(map: ParamMap): number {
  let n = 0;
  for (const t of Object.values(map)) n += t.size;
  return n;
}

/** Copies every tensor (the copies are owned by the caller). */
export function cloneParams(map: ParamMap): ParamMap {
  return mapParams(map, (t) => t.clone());
}

/** Disposes every tensor of the map. */
export function disposeParams(map: ParamMap): void {
  for (const t of Object.values(map)) t.dispose();
}

/** The trainable weights of a tfjs model (or any list of variables) as a ParamMap, by variable name. The tensors are the live variables, not copies. */
export function paramsOf(source: { trainableWeights: Array<{ name: string; read(): tf.Tensor }> } | tf.Variable[]): ParamMap {
  const out: ParamMap = {};
  if (Array.isArray(source)) {
    for (const v of source) out[v.name] = v;
  } else {
    for (const w of source.trainableWeights) out[w.name] = w.read();
  }
  return out;
}
