import { tf, Rng, type ParamMap } from '@descent/tensor';

/** Parameter-space vectors (ParamMaps) with the few operations the iterative methods need. */
export function dot(a: ParamMap, b: ParamMap): number {
  const s = tf.tidy(() => tf.addN(Object.keys(a).map((k) => tf.sum(tf.mul(a[k], b[k])))));
  const v = s.dataSync()[0];
  s.dispose();
  return v;
}

export function norm(a: ParamMap): number {
  return Math.sqrt(dot(a, a));
}

/** a·x + b·y, new tensors. */
export function combine(x: ParamMap, a: number, y: ParamMap, b: number): ParamMap {
  return Object.fromEntries(Object.keys(x).map((k) => [k, tf.tidy(() => tf.add(tf.mul(x[k], a), tf.mul(y[k], b)))]));
}

export function scale(x: ParamMap, a: number): ParamMap {
  return Object.fromEntries(Object.keys(x).map((k) => [k, tf.mul(x[k], a)]));
}

export function dispose(...maps: Array<ParamMap | undefined>): void {
  for (const m of maps) if (m) tf.dispose(Object.values(m));
}

/** Unit global norm (PyHessian's `normalization`: v / (‖v‖ + 1e-6)). */
export function normalize(x: ParamMap): ParamMap {
  return scale(x, 1 / (norm(x) + 1e-6));
}

export function randomNormalLike(params: tf.Variable[], rng: Rng): ParamMap {
  return Object.fromEntries(params.map((p) => [p.name, rng.randomNormal(p.shape)]));
}

export function rademacherLike(params: tf.Variable[], rng: Rng): ParamMap {
  return Object.fromEntries(params.map((p) => [p.name, rng.rademacher(p.shape)]));
}

/** Gram-Schmidt: x minus its projections on the (unit) basis vectors, new tensors. */
export function orthogonalize(x: ParamMap, basis: ParamMap[]): ParamMap {
  let out = Object.fromEntries(Object.entries(x).map(([k, t]) => [k, t.clone()]));
  for (const b of basis) {
    const next = combine(out, 1, b, -dot(out, b));
    dispose(out);
    out = next;
  }
  return out;
}
