import { tf, Rng, checkNumber, InvalidParameterError, step, stateTensors, type GradientTransform, type ParamMap, type StateTree } from '@descent/tensor';
import { evaluatePoint, lossTensor, moveTo, variablesOf, withRestore, type LandscapeProblem } from './evaluate';
import { interpolate, linspace, type Curve } from './surface';

/** θ(t) = (1−t)²θ₁ + 2t(1−t)θ_c + t²θ₂, new tensors (a quadratic Bézier curve through weight space). */
export function bezierPoint(theta1: ParamMap, control: ParamMap, theta2: ParamMap, t: number): ParamMap {
  const a = (1 - t) ** 2;
  const b = 2 * t * (1 - t);
  const c = t * t;
  return Object.fromEntries(
    Object.keys(theta1).map((n) => {
      if (!control[n] || !theta2[n]) throw new InvalidParameterError(`control/theta2["${n}"]`, undefined, 'the same parameter names at all three points');
      return [n, tf.tidy(() => tf.addN([tf.mul(theta1[n], a), tf.mul(control[n], b), tf.mul(theta2[n], c)]))];
    }),
  );
}

export interface BezierTrainOptions {
  /** Optimizer of the control point, e.g. sgd or adam from the registry. */
  optimizer: GradientTransform<any>;
  epochs?: number;
  batchSize?: number;
  /** Seeds the batch order and the t samples. */
  seed?: number;
  /** Training data (default: the problem's inputs and labels). */
  data?: { inputs: tf.Tensor; labels: tf.Tensor };
  /** Start of the control point (default the midpoint (θ₁ + θ₂)/2). Not consumed. */
  control?: ParamMap;
  onEpoch?: (epoch: number, meanLoss: number) => void;
}

export interface BezierTrainResult {
  /** The trained control point θ_c (the caller owns it). */
  control: ParamMap;
  /** Mean loss at the sampled θ(t) per epoch. */
  history: number[];
}

/**
 * Trains the control point of a quadratic Bézier curve between two minima (Garipov et al. 2018,
 * "Loss Surfaces, Mode Connectivity, and Fast Ensembling of DNNs"): for each batch t ~ U(0, 1),
 * the loss at θ(t), and a step on θ_c only, whose gradient is 2t(1−t)·∇L(θ(t)). The model's
 * weights are restored afterwards.
 */
export function trainBezierCurve(problem: LandscapeProblem, theta1: ParamMap, theta2: ParamMap, options: BezierTrainOptions): BezierTrainResult {
  const epochs = checkNumber('epochs', options.epochs ?? 20, { min: 1, integer: true });
  const batchSize = checkNumber('batchSize', options.batchSize ?? 128, { min: 1, integer: true });
  if (!options.optimizer || typeof options.optimizer.update !== 'function') throw new InvalidParameterError('optimizer', options.optimizer, 'a GradientTransform');
  const rng = new Rng(options.seed ?? 0);
  const inputs = options.data?.inputs ?? problem.inputs;
  const labels = options.data?.labels ?? problem.labels;
  const n = inputs.shape[0];
  if (labels.shape[0] !== n) throw new InvalidParameterError('data.labels.shape[0]', labels.shape[0], `${n} (one label per input)`);
  const vars = variablesOf(problem);
  let control: ParamMap = options.control
    ? Object.fromEntries(Object.entries(options.control).map(([k, t]) => [k, t.clone()]))
    : Object.fromEntries(Object.keys(theta1).map((k) => [k, tf.tidy(() => tf.mul(tf.add(theta1[k], theta2[k]), 0.5))]));
  let state: StateTree = options.optimizer.init(control);
  const history: number[] = [];
  try {
    withRestore(problem, undefined, () => {
      for (let e = 0; e < epochs; e++) {
        const order = rng.permutation(n);
        let sum = 0;
        let count = 0;
        for (let s = 0; s < n; s += batchSize) {
          const idx = tf.tensor1d(order.subarray(s, Math.min(n, s + batchSize)), 'int32');
          const x = tf.gather(inputs, idx);
          const y = tf.gather(labels, idx);
          const t = rng.next();
          const point = bezierPoint(theta1, control, theta2, t);
          moveTo(problem, point, [], []);
          tf.dispose([idx, ...Object.values(point)]);
          const { value, grads } = tf.variableGrads(() => lossTensor(problem, x, y), vars);
          const weight = 2 * t * (1 - t);
          const g: ParamMap = Object.fromEntries(Object.keys(control).map((k) => [k, tf.mul(grads[k], weight)]));
          const next = step(options.optimizer, control, g, state);
          sum += value.dataSync()[0] * y.shape[0];
          count += y.shape[0];
          tf.dispose([x, y, value, ...Object.values(grads), ...Object.values(g), ...Object.values(control)]);
          control = next.params;
          state = next.state;
        }
        history.push(sum / count);
        options.onEpoch?.(e + 1, sum / count);
      }
    });
  } catch (err) {
    tf.dispose(Object.values(control));
    throw err;
  } finally {
    tf.dispose(stateTensors(state));
  }
  return { control, history };
}

/** Loss and accuracy along the Bézier curve, t ∈ linspace(0, 1, points). */
export function curveLoss(problem: LandscapeProblem, theta1: ParamMap, control: ParamMap, theta2: ParamMap, options: { points?: number } = {}): Curve {
  const alphas = linspace(0, 1, options.points ?? 21);
  return withRestore(problem, undefined, () => {
    const loss: number[] = [];
    const accuracy: number[] = [];
    for (const t of alphas) {
      const p = bezierPoint(theta1, control, theta2, t);
      moveTo(problem, p, [], []);
      tf.dispose(Object.values(p));
      const v = evaluatePoint(problem);
      loss.push(v.loss);
      accuracy.push(v.accuracy);
    }
    return { alphas, loss, accuracy };
  });
}

export interface ModeConnection extends BezierTrainResult {
  /** Loss along the straight line θ₁ → θ₂ and along the trained curve, at the same t. */
  line: Curve;
  curve: Curve;
  /** Highest loss on each path, and the barrier: that maximum minus the higher endpoint loss. */
  lineMax: number;
  curveMax: number;
  lineBarrier: number;
  curveBarrier: number;
}

/** Trains a Bézier curve between two minima and compares it with the straight line (see trainBezierCurve). */
export function connectModes(problem: LandscapeProblem, theta1: ParamMap, theta2: ParamMap, options: BezierTrainOptions & { points?: number }): ModeConnection {
  const points = options.points ?? 21;
  const trained = trainBezierCurve(problem, theta1, theta2, options);
  const line = interpolate(problem, theta1, theta2, { range: [0, 1], points });
  const curve = curveLoss(problem, theta1, trained.control, theta2, { points });
  const ends = Math.max(line.loss[0], line.loss[line.loss.length - 1]);
  const lineMax = Math.max(...line.loss);
  const curveMax = Math.max(...curve.loss);
  return { ...trained, line, curve, lineMax, curveMax, lineBarrier: lineMax - ends, curveBarrier: curveMax - ends };
}
