import * as tf from './tf';
import { checkNumber } from './errors';

/**
 * A seeded, splittable random source. Every study derives all randomness (initial weights,
 * shuffling, directions, probes) from one of these, so a run is reproducible from its seed and
 * its state can be checkpointed (`state()` / `Rng.fromState`).
 *
 * The generator is sfc32 (Chris Doty-Humphrey's small fast counting generator): 128 bits of
 * state, passes PractRand, trivially serialisable.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | string = 0) {
    if (typeof seed === 'number') checkNumber('seed', seed, { integer: true });
    // Seed expansion with cyrb128 so that nearby seeds give unrelated streams.
    const [a, b, c, d] = cyrb128(String(seed));
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    [r.a, r.b, r.c, r.d] = state.words;
    return r;
  }

  state(): RngState {
    return { words: [this.a, this.b, this.c, this.d] };
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A standard normal number (Box-Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** A seed for TensorFlow.js' seeded random ops, drawn from this stream. */
  seed(): number {
    return this.nextUint32();
  }

  /** An independent child stream named `label`; does not advance this stream. */
  fork(label: string | number): Rng {
    return new Rng(`${this.a}:${this.b}:${this.c}:${this.d}:${label}`);
  }

  /** Fisher-Yates permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  randomNormal(shape: number[], mean = 0, std = 1, dtype: 'float32' = 'float32'): tf.Tensor {
    return tf.randomNormal(shape, mean, std, dtype, this.seed());
  }

  randomUniform(shape: number[], min = 0, max = 1, dtype: 'float32' = 'float32'): tf.Tensor {
    return tf.randomUniform(shape, min, max, dtype, this.seed());
  }

  truncatedNormal(shape: number[], mean = 0, std = 1): tf.Tensor {
    return tf.truncatedNormal(shape, mean, std, 'float32', this.seed());
  }

  /** Rademacher ±1 entries, the probe vectors of Hutchinson estimators. */
  rademacher(shape: number[]): tf.Tensor {
    return tf.tidy(() => tf.randomUniform(shape, 0, 1, 'float32', this.seed()).greaterEqual(0.5).cast('float32').mul(2).sub(1));
  }
}

export interface RngState {
  words: [number, number, number, number];
}

function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703,
    h2 = 3144134277,
    h3 = 1013904242,
    h4 = 2773480762;
  for (let i = 0, k; i < str.length; i++) {
    k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
