import { tf } from '@descent/tensor';

/**
 * Mean softmax cross-entropy of logits against integer labels, as torch's
 * nn.CrossEntropyLoss: logSoftmax, then the negative log-likelihood of the true class.
 */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const numClasses = logits.shape[logits.shape.length - 1] as number;
    const oneHot = labels.rank === 1 ? tf.oneHot(labels.toInt(), numClasses) : labels;
    return tf.losses.softmaxCrossEntropy(oneHot, logits) as tf.Scalar;
  });
}

/** Number of rows whose arg-max equals the label (a scalar tensor). */
export function countCorrect(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const truth = labels.rank === 1 ? labels.toInt() : tf.argMax(labels, -1);
    return tf.sum(tf.equal(tf.argMax(logits, -1), truth).toFloat()) as tf.Scalar;
  });
}
