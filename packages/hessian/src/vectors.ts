import { tf, Rng, type ParamMap } from '@descent/tensor';

/** Parameter-space vectors (ParamMaps) with the few operations the iterative methods need. */
export function dot(a: ParamMap, b: ParamMap): number {
  return dots([[a, b]])[0];
}

/** Several inner products ⟨a, b⟩ read back together (one synchronisation instead of one each). */
export function dots(pairs: Array<[ParamMap, ParamMap]>): number[] {
  const s = tf.tidy(() => tf.stack(pairs.map(([a, b]) => tf.addN(Object.keys(a).map((k) => tf.sum(tf.mul(a[k], b[k])))))));
  const v = Array.from(s.dataSync());
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

/**
 * Probe vectors are drawn here rather than with tf.randomNormal / Rng.rademacher: those draw every
 * entry through seedrandom's alea in JavaScript (10 ms for 284k normals, 5 ms for signs), more than
 * a Hessian-vector product costs. mulberry32 (32 bits a step; 32 signs from each) seeded by one
 * `rng.seed()` per parameter is enough for random directions; Box-Muller gives the normals.
 */
function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function normalArray(size: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i += 2) {
    const u1 = (next() + 1) / 4294967296; // (0, 1]
    const u2 = next() / 4294967296;
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < size) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

function signArray(size: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(size);
  const words = new Uint32Array(out.buffer); // ±1 as bits: 1.0f with the sign bit taken from the stream
  for (let i = 0; i < size; i += 32) {
    let bits = next();
    const end = Math.min(32, size - i);
    for (let j = 0; j < end; j++) {
      words[i + j] = 0x3f800000 | ((bits & 1) << 31);
      bits >>>= 1;
    }
  }
  return out;
}

/** Standard normal entries, one `rng.seed()` per parameter. */
export function randomNormalLike(params: tf.Variable[], rng: Rng): ParamMap {
  return Object.fromEntries(params.map((p) => [p.name, tf.tensor(normalArray(p.size, rng.seed()), p.shape, 'float32')]));
}

/** Rademacher ±1 entries, one `rng.seed()` per parameter. */
export function rademacherLike(params: tf.Variable[], rng: Rng): ParamMap {
  return Object.fromEntries(params.map((p) => [p.name, tf.tensor(signArray(p.size, rng.seed()), p.shape, 'float32')]));
}

/** Gram-Schmidt: x minus its projections on the (unit) basis vectors, new tensors. */
export function orthogonalize(x: ParamMap, basis: ParamMap[]): ParamMap {
  let out = Object.fromEntries(Object.entries(x).map(([k, t]) => [k, t.clone()]));
  for (const b of basis) {
    const c = dot(out, b);
    const next = Object.fromEntries(Object.keys(out).map((k) => [k, tf.tidy(() => tf.sub(out[k], tf.mul(b[k], c)))]));
    dispose(out);
    out = next;
  }
  return out;
}
