import { tf } from '@descent/tensor';

/**
 * The sinusoidal position encoding of Vaswani et al. (2017), added to [batch, sequence, d]:
 * PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d)). No parameters.
 */
export class SinusoidalPositions extends tf.layers.Layer {
  static className = 'DescentSinusoidalPositions';
  private table?: { t: number; d: number; values: Float32Array };

  /** The encoding of `length` positions of width `d`, row-major [length, d]. */
  static encoding(length: number, d: number): Float32Array {
    const pe = new Float32Array(length * d);
    for (let p = 0; p < length; p++) {
      for (let i = 0; i < d; i += 2) {
        const angle = p / Math.pow(10000, i / d);
        pe[p * d + i] = Math.sin(angle);
        if (i + 1 < d) pe[p * d + i + 1] = Math.cos(angle);
      }
    }
    return pe;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    const [, t, d] = x.shape;
    if (!this.table || this.table.t !== t || this.table.d !== d) this.table = { t, d, values: SinusoidalPositions.encoding(t, d) };
    const values = this.table.values;
    return tf.tidy(() => tf.add(x, tf.tensor3d(values, [1, t, d])));
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }
}
tf.serialization.registerClass(SinusoidalPositions);
