import { tf, Rng, dotProducts, elementwiseProgram, type ParamMap } from '@descent/tensor';

/**
 * Parameter-space vectors (ParamMaps) with the few operations the iterative methods need. Each
 * runs as one call over all the parameters where @descent/native-blas is active (dotProducts and
 * element-wise programs), so the per-product overhead stays small next to H·v itself.
 */
export function dot(a: ParamMap, b: ParamMap): number {
  return dots([[a, b]])[0];
}

/** Several inner products ⟨a, b⟩ read back together (one synchronisation instead of one each). */
export function dots(pairs: Array<[ParamMap, ParamMap]>): number[] {
  return dotProducts(pairs.map(([a, b]) => Object.keys(a).map((k) => [a[k], b[k]] as const)));
}

const scaleProgram = elementwiseProgram('scale', ['x'], ['a'], ({ x }, { a }) => ({ y: x.mul(a) }));
const subtractScaledProgram = elementwiseProgram('subtract-scaled', ['x', 'y'], ['c'], ({ x, y }, { c }) => ({ out: x.sub(y.mul(c)) }));

/** Runs a one-output program over every parameter of `x` (one call), with the other inputs taken from `others`. */
function perKey<O extends string>(
  program: { runMany(calls: Array<{ inputs: Record<string, tf.Tensor>; scalars: Record<string, number> }>): Array<Record<O, tf.Tensor>> },
  output: O,
  x: ParamMap,
  others: Record<string, ParamMap>,
  scalars: Record<string, number>,
): ParamMap {
  const keys = Object.keys(x);
  const outs = program.runMany(keys.map((k) => ({ inputs: { x: x[k], ...Object.fromEntries(Object.entries(others).map(([n, m]) => [n, m[k]])) }, scalars })));
  return Object.fromEntries(keys.map((k, i) => [k, outs[i][output]]));
}

export function norm(a: ParamMap): number {
  return Math.sqrt(dot(a, a));
}

/** a·x, new tensors. */
export function scale(x: ParamMap, a: number): ParamMap {
  return perKey(scaleProgram, 'y', x, {}, { a });
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

/**
 * The tables of Marsaglia & Tsang's ziggurat (2000) with 128 layers, for a 25-bit signed
 * magnitude (float32 resolution): k[i] the acceptance bound, w[i] the scale, f[i] the density at
 * the layer's edge. The layer index takes the 7 low bits of a draw and the value the 25 high
 * ones, so the two are independent (the original shared bits between them, Doornik 2005).
 */
const ZIG = (() => {
  const m = 2 ** 24, r = 3.442619855899, area = 9.91256303526217e-3;
  const k = new Float64Array(128), w = new Float64Array(128), f = new Float64Array(128);
  const q = area / Math.exp(-0.5 * r * r);
  k[0] = (r / q) * m;
  k[1] = 0;
  w[0] = q / m;
  w[127] = r / m;
  f[0] = 1;
  f[127] = Math.exp(-0.5 * r * r);
  let d = r, t = r;
  for (let i = 126; i >= 1; i--) {
    d = Math.sqrt(-2 * Math.log(area / d + Math.exp(-0.5 * d * d)));
    k[i + 1] = (d / t) * m;
    t = d;
    f[i] = Math.exp(-0.5 * d * d);
    w[i] = d / m;
  }
  return { r, k, w, f };
})();

function normalArray(size: number, seed: number): Float32Array {
  // The ziggurat: one 32-bit draw and a table lookup for about 99 % of the samples, where
  // Box-Muller's log, square root, cos and sin made a 284k-parameter direction cost more than a
  // Hessian-vector product.
  const next = mulberry32(seed);
  const uniform = () => (next() + 0.5) / 4294967296; // (0, 1)
  const { r, k, w, f } = ZIG;
  const out = new Float32Array(size);
  for (let n = 0; n < size; n++) {
    for (;;) {
      const bits = next() | 0;
      const i = bits & 127;
      const j = bits >> 7; // signed, in [-2^24, 2^24)
      const x = j * w[i];
      if (Math.abs(j) < k[i]) {
        out[n] = x;
        break;
      }
      if (i === 0) {
        // The tail beyond r (Marsaglia 1964).
        let a: number, b: number;
        do {
          a = -Math.log(uniform()) / r;
          b = -Math.log(uniform());
        } while (b + b < a * a);
        out[n] = j > 0 ? r + a : -r - a;
        break;
      }
      if (f[i] + uniform() * (f[i - 1] - f[i]) < Math.exp(-0.5 * x * x)) {
        out[n] = x;
        break;
      }
    }
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
    const next = perKey(subtractScaledProgram, 'out', out, { y: b }, { c });
    dispose(out);
    out = next;
  }
  return out;
}
