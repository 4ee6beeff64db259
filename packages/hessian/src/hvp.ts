import { tf, InvalidParameterError, type ParamMap } from '@descent/tensor';
import { enableSecondOrderGradients, crossEntropy } from './second-order';

/** What the Hessian is taken of: a scalar loss of some variables. */
export interface LossProblem {
  /** The loss, recomputed on every call (it is differentiated twice). */
  loss: () => tf.Scalar;
  /** The variables the Hessian is taken with respect to. */
  params: tf.Variable[];
}

/** A model, a batch and a loss (default: mean softmax cross-entropy of logits, second-order safe). */
export function modelProblem(
  model: { apply(x: tf.Tensor, kwargs?: Record<string, unknown>): tf.Tensor | tf.Tensor[] | unknown; trainableWeights: Array<{ read(): tf.Tensor }> },
  inputs: tf.Tensor,
  labels: tf.Tensor,
  loss: (logits: tf.Tensor, labels: tf.Tensor) => tf.Scalar = crossEntropy,
  params?: tf.Variable[],
): LossProblem {
  return {
    loss: () => loss(model.apply(inputs, { training: false }) as tf.Tensor, labels),
    params: params ?? model.trainableWeights.map((w) => w.read() as tf.Variable),
  };
}

function checkDirection(problem: LossProblem, v: ParamMap) {
  for (const p of problem.params) {
    const d = v[p.name];
    if (!d) throw new InvalidParameterError(`v["${p.name}"]`, undefined, `a tensor of shape [${p.shape}] for every parameter`);
    if (!tf.util.arraysEqual(d.shape, p.shape)) throw new InvalidParameterError(`v["${p.name}"].shape`, d.shape, `[${p.shape}]`);
  }
}

/** Loss and gradient, by name. */
export function lossAndGradient(problem: LossProblem): { loss: number; grads: ParamMap } {
  const { value, grads } = tf.variableGrads(problem.loss, problem.params);
  const loss = value.dataSync()[0];
  value.dispose();
  return { loss, grads };
}

/**
 * H·v by exact double backprop: the gradient of ⟨∇L, v⟩. Every op on the path must be
 * second-order safe (see enableSecondOrderGradients, crossEntropy). Returns new tensors by name.
 */
export function hessianVectorProduct(problem: LossProblem, v: ParamMap): ParamMap {
  enableSecondOrderGradients();
  checkDirection(problem, v);
  const { value, grads } = tf.variableGrads(() => {
    const inner = tf.variableGrads(problem.loss, problem.params);
    const terms = problem.params.map((p) => tf.sum(tf.mul(inner.grads[p.name], v[p.name])));
    return tf.addN(terms) as tf.Scalar;
  }, problem.params);
  value.dispose();
  return grads;
}

/**
 * H·v by central differences of gradients, (∇L(θ + εv) − ∇L(θ − εv)) / 2ε — an option only:
 * across ReLU kinks it can be far off (see the package README for measured errors).
 */
export function finiteDifferenceHvp(problem: LossProblem, v: ParamMap, eps = 1e-3): ParamMap {
  checkDirection(problem, v);
  const shift = (sign: number) => problem.params.forEach((p) => tf.tidy(() => p.assign(tf.add(p, tf.mul(v[p.name], sign * eps)))));
  shift(1);
  const plus = tf.variableGrads(problem.loss, problem.params);
  shift(-2);
  const minus = tf.variableGrads(problem.loss, problem.params);
  shift(1);
  const out: ParamMap = {};
  for (const p of problem.params) out[p.name] = tf.tidy(() => tf.div(tf.sub(plus.grads[p.name], minus.grads[p.name]), 2 * eps));
  tf.dispose([plus.value, minus.value, ...Object.values(plus.grads), ...Object.values(minus.grads)]);
  return out;
}
