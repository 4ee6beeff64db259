import { tf, InvalidParameterError, type ParamMap } from '@descent/tensor';
import { enableSecondOrderGradients, crossEntropy } from './second-order';
import { denseChain, chainCovers, prepareDenseChain } from './r-op';
import { dot } from './vectors';

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
  const problem: LossProblem = {
    loss: () => loss(model.apply(inputs, { training: false }) as tf.Tensor, labels),
    params: params ?? model.trainableWeights.map((w) => w.read() as tf.Variable),
  };
  origins.set(problem, { model, inputs, labels, lossFn: loss, loss: problem.loss, params: [...problem.params] });
  return problem;
}

/** What modelProblem built a problem from: the fast path reads the model's structure from it. */
interface Origin {
  model: unknown;
  inputs: tf.Tensor;
  labels: tf.Tensor;
  lossFn: (logits: tf.Tensor, labels: tf.Tensor) => tf.Scalar;
  /** The problem's own loss and params at creation: if either was replaced since, the origin no longer describes it. */
  loss: () => tf.Scalar;
  params: tf.Variable[];
}
const origins = new WeakMap<LossProblem, Origin>();

/**
 * How H·v is computed. 'double-backprop': the gradient of ⟨∇L, v⟩ through tfjs' autodiff (any
 * loss). 'r-op': Pearlmutter's R-operator, exact and much cheaper, only for a problem from
 * `modelProblem` with the default cross-entropy on a chain of Dense layers and elementwise
 * activations (see the README). 'auto' (the default): 'r-op' where it applies, else double backprop.
 */
export type HvpMethod = 'auto' | 'r-op' | 'double-backprop';

/** v ↦ H·v for one problem, with the work that does not depend on v done once. */
export interface HessianOperator {
  /** The method chosen (never 'auto'). */
  readonly method: 'r-op' | 'double-backprop';
  /** H·v, new tensors by parameter name (the caller owns them). */
  apply(v: ParamMap): ParamMap;
  /**
   * vᵀHv. With the R-operator it comes from a second-order forward pass without forming H·v
   * (about half the work of `apply`); with double backprop it is ⟨v, apply(v)⟩.
   */
  quadraticForm(v: ParamMap): number;
  /** Releases the tensors the operator keeps (activations, derivatives); apply throws afterwards. */
  dispose(): void;
}

/** Why the R-operator does not apply to `problem`, or null when it does. */
function rOpObstacle(problem: LossProblem): string | null {
  const origin = origins.get(problem);
  if (!origin) return 'the problem was not made by modelProblem';
  if (origin.loss !== problem.loss || origin.params.length !== problem.params.length || origin.params.some((p, i) => p !== problem.params[i])) return 'the problem was changed after modelProblem';
  if (origin.lossFn !== crossEntropy) return 'the loss is not crossEntropy';
  const steps = denseChain(origin.model);
  if (!steps) return 'the model is not a chain of Dense layers and supported elementwise activations';
  if (!chainCovers(steps, problem.params)) return 'a parameter is not a kernel or bias of the Dense layers';
  const { labels, inputs } = origin;
  if (labels.rank !== 1 && labels.rank !== 2) return 'labels must be class indices [N] or rows [N, C]';
  if (labels.shape[0] !== inputs.shape[0]) return 'labels and inputs differ in batch size';
  return null;
}

/**
 * The Hessian of `problem` as an operator v ↦ H·v. With the R-operator the activations, the
 * activation derivatives and the gradient's backward pass are computed once here and shared by
 * every product, so call `dispose()` when done. The iterative routines of this package use it.
 */
export function hessianOperator(problem: LossProblem, options: { method?: HvpMethod } = {}): HessianOperator {
  const method = options.method ?? 'auto';
  if (!['auto', 'r-op', 'double-backprop'].includes(method)) throw new InvalidParameterError('method', method, "'auto', 'r-op' or 'double-backprop'");
  if (method !== 'double-backprop') {
    const obstacle = rOpObstacle(problem);
    if (obstacle === null) {
      const origin = origins.get(problem)!;
      const chain = prepareDenseChain(denseChain(origin.model)!, origin.inputs, origin.labels, problem.params);
      return {
        method: 'r-op',
        apply: (v) => (checkDirection(problem, v), chain.apply(v)),
        quadraticForm: (v) => (checkDirection(problem, v), chain.quadraticForm(v)),
        dispose: () => chain.dispose(),
      };
    }
    if (method === 'r-op') throw new InvalidParameterError('method', method, `'auto' or 'double-backprop' here: ${obstacle}`);
  }
  return {
    method: 'double-backprop',
    apply: (v) => doubleBackpropHvp(problem, v),
    quadraticForm: (v) => {
      const hv = doubleBackpropHvp(problem, v);
      const q = dot(hv, v);
      tf.dispose(Object.values(hv));
      return q;
    },
    dispose: () => {},
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
 * H·v, exact: by the R-operator where it applies (a `modelProblem` of a dense chain under
 * crossEntropy), else by double backprop, the gradient of ⟨∇L, v⟩ (every op on the path must then
 * be second-order safe: see enableSecondOrderGradients, crossEntropy). `options.method` forces one
 * (see HvpMethod). Returns new tensors by name. For many products use `hessianOperator`.
 */
export function hessianVectorProduct(problem: LossProblem, v: ParamMap, options: { method?: HvpMethod } = {}): ParamMap {
  const op = hessianOperator(problem, options);
  try {
    return op.apply(v);
  } finally {
    op.dispose();
  }
}

function doubleBackpropHvp(problem: LossProblem, v: ParamMap): ParamMap {
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
