import { tf } from '@descent/tensor';

export interface MultiHeadSelfAttentionArgs {
  dModel: number;
  heads: number;
  name?: string;
  seed?: number;
}

/**
 * Multi-head self-attention over [batch, sequence, dModel] (Vaswani et al. 2017), with torch's
 * parameterisation: Q, K, V and output projections with biases (4·d² + 4·d parameters).
 * tfjs-layers 4.22 has no attention layer, hence this one.
 */
export class MultiHeadSelfAttention extends tf.layers.Layer {
  static className = 'DescentMultiHeadSelfAttention';
  private readonly dModel: number;
  private readonly heads: number;
  private readonly seed: number;
  private weightsByName: Record<string, tf.LayerVariable> = {};

  constructor(args: MultiHeadSelfAttentionArgs) {
    super({ name: args.name });
    if (args.dModel % args.heads !== 0) throw new Error(`dModel ${args.dModel} is not divisible by heads ${args.heads}`);
    this.dModel = args.dModel;
    this.heads = args.heads;
    this.seed = args.seed ?? 0;
  }

  override build(): void {
    const d = this.dModel;
    ['query', 'key', 'value', 'output'].forEach((n, i) => {
      this.weightsByName[`${n}/kernel`] = this.addWeight(`${n}/kernel`, [d, d], 'float32', tf.initializers.glorotUniform({ seed: this.seed * 10 + i }));
      this.weightsByName[`${n}/bias`] = this.addWeight(`${n}/bias`, [d], 'float32', tf.initializers.zeros());
    });
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [b, t, d] = x.shape;
      const h = this.heads;
      const dh = d / h;
      const w = (n: string) => this.weightsByName[n].read();
      const project = (n: string) => tf.add(tf.matMul(tf.reshape(x, [b * t, d]), w(`${n}/kernel`)), w(`${n}/bias`));
      const split = (m: tf.Tensor) => tf.transpose(tf.reshape(m, [b, t, h, dh]), [0, 2, 1, 3]); // [b, h, t, dh]
      const q = split(project('query'));
      const k = split(project('key'));
      const v = split(project('value'));
      const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(dh));
      const attended = tf.matMul(tf.softmax(scores, -1), v); // [b, h, t, dh]
      const merged = tf.reshape(tf.transpose(attended, [0, 2, 1, 3]), [b * t, d]);
      return tf.reshape(tf.add(tf.matMul(merged, w('output/kernel')), w('output/bias')), [b, t, d]);
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return inputShape as tf.Shape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), dModel: this.dModel, heads: this.heads, seed: this.seed };
  }
}
tf.serialization.registerClass(MultiHeadSelfAttention);

/** Adds the sinusoidal position encoding of Vaswani et al. to [batch, sequence, d]. */
export class SinusoidalPositions extends tf.layers.Layer {
  static className = 'DescentSinusoidalPositions';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [, t, d] = x.shape;
      const pe = new Float32Array(t * d);
      for (let pos = 0; pos < t; pos++) {
        for (let i = 0; i < d; i += 2) {
          const angle = pos / Math.pow(10000, i / d);
          pe[pos * d + i] = Math.sin(angle);
          if (i + 1 < d) pe[pos * d + i + 1] = Math.cos(angle);
        }
      }
      return tf.add(x, tf.tensor3d(pe, [1, t, d]));
    });
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return inputShape as tf.Shape;
  }
}
tf.serialization.registerClass(SinusoidalPositions);

/** 0.5·mean + 0.5·max over the sequence axis: [batch, sequence, d] → [batch, d]. */
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
