import { tf, InvalidParameterError, type ParamMap } from '@descent/tensor';

/** A model whose weights the landscape moves, and the data it is evaluated on. */
export interface LandscapeProblem {
  model: { apply(x: tf.Tensor, kwargs?: Record<string, unknown>): unknown; trainableWeights: Array<{ read(): tf.Tensor }> };
  inputs: tf.Tensor;
  labels: tf.Tensor;
  /** Default: mean softmax cross-entropy of logits against integer (or one-hot) labels. */
  loss?: (logits: tf.Tensor, labels: tf.Tensor) => tf.Scalar;
}

export interface PointValue {
  loss: number;
  accuracy: number;
}

/** Mean softmax cross-entropy of logits against integer (or one-hot) labels (the default loss). */
export const defaultLoss = (logits: tf.Tensor, labels: tf.Tensor): tf.Scalar =>
  tf.tidy(() => {
    const c = logits.shape[logits.rank - 1] as number;
    const oneHot = labels.rank === 1 ? tf.oneHot(labels.toInt(), c) : labels;
    return tf.losses.softmaxCrossEntropy(oneHot, logits) as tf.Scalar;
  });

/** The live trainable variables of the problem's model, by name. */
export function variablesOf(problem: LandscapeProblem): tf.Variable[] {
  return problem.model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Copies of the current weights (θ), by name. */
export function snapshot(problem: LandscapeProblem): ParamMap {
  return Object.fromEntries(variablesOf(problem).map((v) => [v.name, v.clone()]));
}

/** Sets the weights to θ + Σ cᵢ·dᵢ. */
export function moveTo(problem: LandscapeProblem, theta: ParamMap, directions: ParamMap[], coefficients: number[]): void {
  if (directions.length !== coefficients.length) throw new InvalidParameterError('coefficients', coefficients.length, `${directions.length} (one per direction)`);
  for (const v of variablesOf(problem)) {
    const base = theta[v.name];
    if (!base) throw new InvalidParameterError(`theta["${v.name}"]`, undefined, 'every trainable weight of the model');
    // assign() shares the data; the temporary tensor itself must still be released.
    tf.tidy(() => v.assign(directions.reduce((acc, d, i) => (coefficients[i] === 0 ? acc : tf.add(acc, tf.mul(d[v.name], coefficients[i]))), base as tf.Tensor)));
  }
}

/** Runs `fn` with the weights snapshotted and restored afterwards, whatever happens. */
export function withRestore<T>(problem: LandscapeProblem, theta: ParamMap | undefined, fn: (theta: ParamMap) => T): T {
  const saved = snapshot(problem);
  try {
    return fn(theta ?? saved);
  } finally {
    moveTo(problem, saved, [], []);
    tf.dispose(Object.values(saved));
  }
}

/** The problem's loss at the current weights as a scalar tensor (for gradients). */
export function lossTensor(problem: LandscapeProblem, inputs: tf.Tensor = problem.inputs, labels: tf.Tensor = problem.labels): tf.Scalar {
  const logits = problem.model.apply(inputs, { training: false }) as tf.Tensor;
  return (problem.loss ?? defaultLoss)(logits, labels);
}

/** Loss and accuracy at the model's current weights (inference mode: BatchNorm uses its moving statistics). */
export function evaluatePoint(problem: LandscapeProblem): PointValue {
  const loss = problem.loss ?? defaultLoss;
  const out = tf.tidy(() => {
    const logits = problem.model.apply(problem.inputs, { training: false }) as tf.Tensor;
    const truth = problem.labels.rank === 1 ? problem.labels.toInt() : tf.argMax(problem.labels, -1);
    const acc = tf.mean(tf.equal(tf.argMax(logits, -1), truth).toFloat());
    return tf.stack([loss(logits, problem.labels), acc]);
  });
  const [l, a] = out.dataSync();
  out.dispose();
  return { loss: l, accuracy: a };
}
