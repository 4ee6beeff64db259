import { tf, batchNormTraining } from '@descent/tensor';

/** tf.layers.batchNormalization's arguments and layer (the class is registered, not exported, by tfjs-layers). */
type BatchNormalizationArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;
type BatchNormalizationLayer = ReturnType<typeof tf.layers.batchNormalization>;
const TfjsBatchNormalization = tf.serialization.SerializationMap.getMap().classNameMap.BatchNormalization[0] as unknown as {
  new (args?: BatchNormalizationArgs): BatchNormalizationLayer;
  className: string;
  fromConfig: tf.serialization.SerializableConstructor<tf.serialization.Serializable>['fromConfig'];
};

/** The fields of tfjs' BatchNormalization that training reads (private in its typings). */
interface Internals {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tf.LayerVariable | null;
  beta: tf.LayerVariable | null;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

/**
 * tf.layers.batchNormalization with a faster training step: the same layer (weights, config,
 * inference, moving averages) whose training-mode normalisation and gradient run as one fused
 * op (`batchNormTraining` of @descent/tensor: two native passes each way on the wasm backend
 * with @descent/native-blas, where TensorFlow.js' autodiff of tf.moments runs about twenty
 * whole-tensor kernels). Same numbers up to float32 rounding (the statistics are summed in
 * double). Channels-last only; other axes take tfjs' own path.
 */
export class BatchNormalization extends TfjsBatchNormalization {
  static override className = 'DescentBatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean; [key: string]: unknown }): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const bn = this as unknown as Internals;
    const lastAxis = bn.axis === -1 || bn.axis === x.rank - 1;
    if (!kwargs.training || !lastAxis || x.dtype !== 'float32' || x.rank < 2) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTraining(x, bn.scale ? bn.gamma!.read() : null, bn.center ? bn.beta!.read() : null, bn.epsilon);
      // The moving averages exactly as tfjs-layers updates them.
      for (const [variable, value] of [[bn.movingMean, mean], [bn.movingVariance, variance]] as const) {
        tf.tidy(() => {
          const original = variable.read();
          variable.write(tf.sub(original, tf.mul(tf.sub(original, value), 1 - bn.momentum)));
        });
      }
      return y;
    });
  }
}
tf.serialization.registerClass(BatchNormalization);

/** A {@link BatchNormalization} layer (tf.layers.batchNormalization's arguments). */
export function batchNormalization(args?: BatchNormalizationArgs): BatchNormalization {
  return new BatchNormalization(args);
}
