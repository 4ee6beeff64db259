import { tf } from '@descent/tensor';

/**
 * TensorFlow.js 4.22 computes some gradients from the op's *output*, saved during the forward
 * pass. For first derivatives that is fine; for second derivatives (double backprop) the saved
 * output is detached from the tape, so Hessian-vector products through exp, sigmoid, tanh,
 * softmax or logSoftmax come out silently wrong (or throw). These replacements recompute from the
 * saved *input* with differentiable ops, so every order of derivative is tracked. First
 * derivatives are unchanged (up to rounding).
 */
const overrides: tf.GradConfig[] = [
  { kernelName: 'Exp', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.exp(x)) }) },
  {
    kernelName: 'Sigmoid',
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({
      x: () => {
        const s = tf.sigmoid(x);
        return tf.mul(dy as tf.Tensor, tf.mul(s, tf.sub(1, s)));
      },
    }),
  },
  {
    kernelName: 'Tanh',
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({
      x: () => {
        const t = tf.tanh(x);
        return tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(t)));
      },
    }),
  },
  {
    kernelName: 'Softmax',
    inputsToSave: ['logits'],
    gradFunc: (dy, [logits], attrs) => ({
      logits: () => {
        const dim = (attrs as { dim: number }).dim;
        const y = tf.softmax(logits, dim);
        const g = dy as tf.Tensor;
        return tf.mul(y, tf.sub(g, tf.sum(tf.mul(g, y), dim, true)));
      },
    }),
  },
  {
    kernelName: 'LogSoftmax',
    inputsToSave: ['logits'],
    gradFunc: (dy, [logits], attrs) => ({
      logits: () => {
        const axis = (attrs as { axis: number }).axis;
        const g = dy as tf.Tensor;
        return tf.sub(g, tf.mul(tf.sum(g, axis, true), tf.softmax(logits, axis)));
      },
    }),
  },
  {
    kernelName: 'Elu',
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.where(tf.greater(x, 0), dy as tf.Tensor, tf.mul(dy as tf.Tensor, tf.exp(x))) }),
  },
];

// Comparisons are piecewise constant: zero derivative. tfjs has no gradient for them, which only
// matters once a gradient's own mask (relu's, max's) is differentiated again.
for (const kernelName of ['Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual']) {
  overrides.push({ kernelName, inputsToSave: ['a', 'b'], gradFunc: (_dy, [a, b]) => ({ a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) }) });
}

/**
 * Replaces the gradients listed above in tfjs' global registry. Called by every Hessian routine;
 * call it yourself before nesting `tf.grad` through these ops. Cheap when already in place; it
 * re-installs them if something (a second copy of tfjs' gradient registrations) replaced them.
 */
export function enableSecondOrderGradients(): void {
  if (overrides.every((g) => tf.getGradient(g.kernelName)?.gradFunc === g.gradFunc)) return;
  const warn = console.warn;
  console.warn = () => {}; // tfjs warns on every re-registration
  try {
    for (const g of overrides) tf.registerGradient(g);
  } finally {
    console.warn = warn;
  }
}

/**
 * Mean softmax cross-entropy that is safe to differentiate twice (tfjs' own losses and
 * logSoftmax use custom gradients built on saved outputs). logits [N, C]; labels int [N] or one-hot [N, C].
 */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  enableSecondOrderGradients();
  return tf.tidy(() => {
    const c = logits.shape[logits.rank - 1] as number;
    const oneHot = labels.rank === logits.rank ? labels.toFloat() : tf.oneHot(labels.toInt(), c).toFloat();
    // log Σ exp(x − m) + m with m the row max: m cancels in value and in every derivative.
    const m = tf.max(logits, -1, true);
    const shifted = tf.sub(logits, m);
    const logZ = tf.log(tf.sum(tf.exp(shifted), -1, true));
    const logp = tf.sub(shifted, logZ);
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logp), -1))) as tf.Scalar;
  });
}
