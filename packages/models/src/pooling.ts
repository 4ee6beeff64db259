import { tf } from '@descent/tensor';

/** The book's sequence pooling, 0.5·mean + 0.5·max over the sequence axis: [batch, sequence, d] → [batch, d]. */
export class MeanMaxPool extends tf.layers.Layer {
  static className = 'DescentMeanMaxPool';

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      return tf.add(tf.mul(tf.mean(x, 1), 0.5), tf.mul(tf.max(x, 1), 0.5));
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0], s[2]];
  }
}
tf.serialization.registerClass(MeanMaxPool);
