import { tf, dotProducts, elementwiseProgram, type ParamMap } from '@descent/tensor';

/**
 * The eigenvectors found so far, for deflation. Projecting a vector out of all of them is one
 * call for the k inner products ⟨x, b_j⟩ (dotProducts) and one element-wise program over the
 * parameters for x − Σ_j c_j·b_j, where one Gram-Schmidt step per vector costs about 40 kernels
 * (two per parameter for the inner product, two for the update) and a synchronisation each —
 * most of it dispatch overhead.
 */
export class DeflationBasis {
  private gram: number[][] = [];
  private vectors: ParamMap[] = [];

  constructor(private readonly params: tf.Variable[]) {}

  get size(): number {
    return this.vectors.length;
  }

  /** Adds a vector (the caller keeps ownership of `v`; it must stay alive until dispose). */
  add(v: ParamMap): void {
    this.vectors.push(v);
    const k = this.vectors.length;
    // The new row and column of the Gram matrix ⟨b_i, b_j⟩.
    const row = dotProducts(this.vectors.map((u) => this.pairs(u, v)));
    this.gram.forEach((r, i) => r.push(row[i]));
    this.gram.push(row.slice(0, k));
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
    const dx = dotProducts(this.vectors.map((u) => this.pairs(x, u)));
    const c: number[] = [];
    for (let j = 0; j < k; j++) {
      let cj = dx[j];
      for (let i = 0; i < j; i++) cj -= c[i] * this.gram[i][j];
      c.push(cj);
    }
    const program = projection(k);
    const scalars = Object.fromEntries(c.map((cj, j) => [`c${j}`, cj]));
    const outs = program.runMany(this.params.map((p) => ({ inputs: { x: x[p.name], ...Object.fromEntries(this.vectors.map((u, j) => [`b${j}`, u[p.name]])) }, scalars })));
    return Object.fromEntries(this.params.map((p, i) => [p.name, outs[i].out]));
  }

  private pairs(a: ParamMap, b: ParamMap): Array<readonly [tf.Tensor, tf.Tensor]> {
    return this.params.map((p) => [a[p.name], b[p.name]] as const);
  }

  /** Forgets the vectors (their tensors stay the caller's). */
  dispose(): void {
    this.vectors = [];
    this.gram = [];
  }
}

type Projection = ReturnType<typeof makeProjection>;
const projections = new Map<number, Projection>();

/** x − Σ_j c_j·b_j for k vectors, subtracted one after the other (cached per k). */
function projection(k: number): Projection {
  let p = projections.get(k);
  if (p === undefined) projections.set(k, (p = makeProjection(k)));
  return p;
}

function makeProjection(k: number) {
  const bs = Array.from({ length: k }, (_, j) => `b${j}`);
  const cs = Array.from({ length: k }, (_, j) => `c${j}`);
  return elementwiseProgram(`deflate-${k}`, ['x', ...bs], cs, (inp, s) => {
    let out = inp.x;
    bs.forEach((b, j) => (out = out.sub(inp[b].mul(s[cs[j]]))));
    return { out };
  });
}
