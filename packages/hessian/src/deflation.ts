import { tf, type ParamMap } from '@descent/tensor';

/**
 * The eigenvectors found so far, for deflation: per parameter the k vectors stacked into one
 * matrix [k, n], and their Gram matrix. Projecting a vector out of all of them is then two matrix
 * products per parameter and one synchronisation, where one Gram-Schmidt step per vector costs
 * about 40 kernels (two per parameter for the inner product, two for the update) and a
 * synchronisation each — most of it dispatch overhead.
 */
export class DeflationBasis {
  private stacks: Record<string, tf.Tensor2D> = {};
  private gram: number[][] = [];
  private vectors: ParamMap[] = [];

  constructor(private readonly params: tf.Variable[]) {}

  get size(): number {
    return this.vectors.length;
  }

  /** Adds a vector (the caller keeps ownership of `v`; it must stay alive until dispose). */
  add(v: ParamMap): void {
    this.vectors.push(v);
    tf.dispose(Object.values(this.stacks));
    this.stacks = tf.tidy(() => Object.fromEntries(this.params.map((p) => [p.name, tf.stack(this.vectors.map((u) => tf.reshape(u[p.name], [-1])))])) as Record<string, tf.Tensor2D>);
    const k = this.vectors.length;
    const g = tf.tidy(() => tf.addN(this.params.map((p) => tf.matMul(this.stacks[p.name], this.stacks[p.name], false, true))));
    const flat = g.dataSync();
    g.dispose();
    this.gram = Array.from({ length: k }, (_, i) => Array.from(flat.subarray(i * k, (i + 1) * k)));
  }

  /**
   * x minus its projections on the vectors, by modified Gram-Schmidt in matrix form: MGS's
   * coefficients are c_j = ⟨x, b_j⟩ − Σ_{i<j} c_i ⟨b_i, b_j⟩, the same numbers (up to rounding) as
   * projecting out one vector after the other, also when the vectors are not exactly orthogonal.
   * New tensors; x is left alone.
   */
  project(x: ParamMap): ParamMap {
    const k = this.vectors.length;
    if (k === 0) return Object.fromEntries(Object.entries(x).map(([n, t]) => [n, t.clone()]));
    const d = tf.tidy(() => tf.addN(this.params.map((p) => tf.matMul(this.stacks[p.name], tf.reshape(x[p.name], [-1, 1])))));
    const dx = d.dataSync();
    d.dispose();
    const c: number[] = [];
    for (let j = 0; j < k; j++) {
      let cj = dx[j];
      for (let i = 0; i < j; i++) cj -= c[i] * this.gram[i][j];
      c.push(cj);
    }
    return tf.tidy(() => {
      const row = tf.tensor2d(c, [1, k]);
      return Object.fromEntries(this.params.map((p) => [p.name, tf.sub(x[p.name], tf.reshape(tf.matMul(row, this.stacks[p.name]), p.shape))]));
    });
  }

  dispose(): void {
    tf.dispose(Object.values(this.stacks));
    this.stacks = {};
  }
}
