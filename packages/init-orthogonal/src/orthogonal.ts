import { tf, InvalidParameterError, type Initializer, type Rng } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';
import { Matrix, QrDecomposition } from 'ml-matrix';

export interface OrthogonalConfig {
  /** Multiplier of the (semi-)orthogonal matrix: the singular values all equal `gain`. */
  gain: number;
}

export const orthogonalDefaults: OrthogonalConfig = Object.freeze({ gain: 1 });

/**
 * A Haar-distributed (semi-)orthogonal `rows × cols` matrix, row-major, in float64: the Q factor
 * of the QR decomposition of a standard Gaussian matrix, with each column of Q multiplied by the
 * sign of the matching diagonal entry of R (Mezzadri 2007), so that the result is uniformly
 * distributed and not biased by the QR algorithm's sign convention — torch.nn.init.orthogonal_'s
 * construction. If rows ≥ cols the columns are orthonormal (QᵀQ = I), otherwise the rows
 * (QQᵀ = I; the QR is taken of the transposed Gaussian, as torch does).
 */
export function randomOrthogonal(rows: number, cols: number, rng: Rng): Float64Array {
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const g = rng.randomNormal([m, n]);
  const gauss = g.dataSync();
  g.dispose();
  const qr = new QrDecomposition(Matrix.from1DArray(m, n, gauss));
  const q = qr.orthogonalMatrix; // m × n, orthonormal columns
  const r = qr.upperTriangularMatrix;
  const out = new Float64Array(rows * cols);
  for (let j = 0; j < n; j++) {
    // sign(R_jj); a zero diagonal (probability 0 for a Gaussian) keeps the column as it is.
    const s = r.get(j, j) < 0 ? -1 : 1;
    for (let i = 0; i < m; i++) {
      const v = s * q.get(i, j);
      if (rows >= cols) out[i * cols + j] = v;
      else out[j * cols + i] = v; // transpose: rows < cols
    }
  }
  return out;
}

/**
 * The matrix an orthogonal initializer makes orthogonal for a TensorFlow.js kernel shape:
 * `[rows, cols] = [numel/out, out]`, i.e. `[in, out]` for a dense kernel and `[kh·kw·in, out]`
 * for a conv kernel `[kh, kw, in, out]` — the transpose of torch's flattened `[out, in·kh·kw]`
 * (up to a permutation of its rows, which changes neither orthonormal columns nor rows).
 */
export function orthogonalMatrixShape(shape: number[]): [number, number] {
  if (shape.length < 2) throw new InvalidParameterError('shape', shape, 'a kernel shape with at least 2 dimensions (torch.nn.init.orthogonal_ rejects vectors too)');
  const cols = shape[shape.length - 1];
  const size = shape.reduce((a, b) => a * b, 1);
  return [cols === 0 ? 0 : size / cols, cols];
}

function build(c: OrthogonalConfig): Initializer {
  return (shape, ctx) => {
    const [rows, cols] = orthogonalMatrixShape(shape);
    if (rows === 0 || cols === 0) return tf.zeros(shape);
    const q = randomOrthogonal(rows, cols, ctx.rng);
    const values = new Float32Array(q.length);
    for (let i = 0; i < q.length; i++) values[i] = c.gain * q[i];
    return tf.tensor(values, shape, 'float32');
  };
}

/** Registry plugin `orthogonal`: a gain-scaled Haar (semi-)orthogonal matrix. */
export const orthogonalPlugin = definePlugin({
  id: 'orthogonal',
  kind: 'initializer',
  version: '0.1.0',
  description: '(Semi-)orthogonal initialization, torch.nn.init.orthogonal_ semantics: QR of a Gaussian with the sign fix, times gain.',
  reference: 'Saxe, McClelland & Ganguli (2014), Exact solutions to the nonlinear dynamics of learning in deep linear neural networks, ICLR; Mezzadri (2007), How to generate random matrices from the classical compact groups; torch.nn.init.orthogonal_',
  defaults: orthogonalDefaults,
  schema: schema.object({ gain: schema.number({ min: 0, exclusiveMin: true, description: 'multiplier; every singular value of the kernel equals gain' }) }),
  create: build,
});

/**
 * Orthogonal initialization (torch.nn.init.orthogonal_ semantics) for any kernel with ≥ 2
 * dimensions. With `[rows, cols] = orthogonalMatrixShape(shape)` (`[in, out]` for dense,
 * `[kh·kw·in, out]` for conv): rows ≥ cols gives orthonormal columns, WᵀW = gain²·I; rows < cols
 * gives orthonormal rows, WWᵀ = gain²·I. A dense kernel is torch's Wᵀ, so this is exactly torch's
 * property (torch's `[out, in]` W has orthonormal rows when out ≤ in, columns otherwise).
 */
export function orthogonal(config: Partial<OrthogonalConfig> = {}): Initializer {
  return build(orthogonalPlugin.resolveConfig(config));
}
