import { tf, checkNumber, InvalidParameterError } from '@descent/tensor';
import { Seeds, uniform } from './init';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface MultiHeadSelfAttentionArgs extends LayerArgs {
  /** Number of heads; must divide the model width (the input's last axis). */
  heads: number;
  /** Dropout rate on the attention weights while training (torch's `dropout` of nn.MultiheadAttention); default 0. */
  dropout?: number;
  /** Initial values derive from it; default 0. */
  seed?: number;
}

const PROJECTIONS = ['query', 'key', 'value', 'output'] as const;

/**
 * Multi-head self-attention (Vaswani et al. 2017) over [batch, sequence, d], parameterised as
 * torch's nn.MultiheadAttention: query, key, value and output projections, each a [d, d] kernel
 * (tfjs layout, [in, out]) and a bias, 4·d² + 4·d parameters. Per head h of width d/heads:
 * softmax(Q_h K_hᵀ / √(d/heads)) V_h; the heads are concatenated and projected by `output`.
 *
 * Initial values are torch's: its fused in_proj_weight [3d, d] is Xavier-uniform, so the query,
 * key and value kernels are U(±√(6/(d + 3d))); the output kernel is Xavier-uniform U(±√(6/2d));
 * biases are zero. Variables: `<layer>/query/kernel`, `<layer>/query/bias`, … `<layer>/output/bias`.
 * tfjs-layers 4.22 has no attention layer, hence this one.
 */
export class MultiHeadSelfAttention extends tf.layers.Layer {
  static className = 'DescentMultiHeadSelfAttention';
  readonly heads: number;
  readonly dropout: number;
  readonly seed: number;
  private readonly vars: Partial<Record<string, tf.LayerVariable>> = {};

  constructor(args: MultiHeadSelfAttentionArgs) {
    const { heads, dropout, seed, ...layerArgs } = args;
    super(layerArgs);
    this.heads = checkNumber('heads', heads, { min: 1, integer: true });
    this.dropout = checkNumber('dropout', dropout ?? 0, { min: 0, max: 1, maxExclusive: true });
    this.seed = checkNumber('seed', seed ?? 0, { integer: true });
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const d = shape[shape.length - 1];
    if (shape.length !== 3 || d == null) throw new InvalidParameterError('inputShape', shape, '[batch, sequence, d] with a known d');
    if (d % this.heads !== 0) throw new InvalidParameterError('heads', this.heads, `a divisor of the model width d = ${d}`);
    const seeds = new Seeds(this.seed);
    for (const p of PROJECTIONS) {
      const bound = p === 'output' ? Math.sqrt(6 / (2 * d)) : Math.sqrt(6 / (4 * d));
      this.vars[`${p}/kernel`] = this.addWeight(`${p}/kernel`, [d, d], 'float32', uniform(bound, seeds.for(p, 'kernel')));
      this.vars[`${p}/bias`] = this.addWeight(`${p}/bias`, [d], 'float32', tf.initializers.zeros());
    }
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean } = {}): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [b, t, d] = x.shape;
      const h = this.heads;
      const dh = d / h;
      const read = (n: string) => this.vars[n]!.read();
      const rows = tf.reshape(x, [b * t, d]);
      const project = (p: string, m: tf.Tensor) => tf.add(tf.matMul(m as tf.Tensor2D, read(`${p}/kernel`) as tf.Tensor2D), read(`${p}/bias`));
      const heads = (m: tf.Tensor) => tf.transpose(tf.reshape(m, [b, t, h, dh]), [0, 2, 1, 3]); // [b, h, t, dh]
      const q = heads(project('query', rows));
      const k = heads(project('key', rows));
      const v = heads(project('value', rows));
      let weights = tf.softmax(tf.div(tf.matMul(q, k, false, true), Math.sqrt(dh)), -1); // [b, h, t, t]
      if (kwargs.training === true && this.dropout > 0) weights = tf.dropout(weights, this.dropout);
      const merged = tf.reshape(tf.transpose(tf.matMul(weights, v), [0, 2, 1, 3]), [b * t, d]);
      return tf.reshape(project('output', merged), [b, t, d]);
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads, dropout: this.dropout, seed: this.seed };
  }
}
tf.serialization.registerClass(MultiHeadSelfAttention);
