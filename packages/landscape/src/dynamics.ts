import { tf, InvalidParameterError, type ParamMap } from '@descent/tensor';
import { evaluatePoint, lossTensor, moveTo, variablesOf, withRestore, type LandscapeProblem } from './evaluate';

/**
 * How norms of a ParamMap are taken: 'global' is √Σ‖wᵢ‖² over all tensors (the norm of the
 * flattened vector); 'sum' is Σᵢ‖wᵢ‖, the book's sum of per-parameter norms, which depends on how
 * the weights are split into tensors.
 */
export type NormKind = 'global' | 'sum';

export interface DynamicsRecord {
  /** Position in the list of points (e.g. the epoch of the checkpoint, if given). */
  epoch: number;
  loss: number;
  accuracy: number;
  /** Norm of ∇L on the problem's data at this point. */
  gradNorm: number;
  /** Norm of θᵢ − θᵢ₋₁ (null for the first point). */
  paramChange: number | null;
  /** Norm of θᵢ − θ_start (the first point, or `start`). */
  paramChangeFromStart: number;
  weightNorm: number;
  /** Loss of the previous point minus this loss (null for the first point); positive = improved. */
  lossImprovement: number | null;
}

export interface DynamicsOptions {
  norm?: NormKind;
  /** Epoch labels of the points (default 1, 2, ...). */
  epochs?: number[];
  /** Reference for `paramChangeFromStart` (default: the first point), e.g. the weights at initialisation. */
  start?: ParamMap;
}

function mapNorm(map: ParamMap, kind: NormKind): number {
  const v = tf.tidy(() => {
    const per = Object.values(map).map((t) => tf.sum(tf.square(t)));
    if (per.length === 0) return tf.scalar(0);
    return kind === 'global' ? tf.sqrt(tf.addN(per)) : tf.addN(per.map((s) => tf.sqrt(s)));
  });
  const out = v.dataSync()[0];
  v.dispose();
  return out;
}

function diffNorm(a: ParamMap, b: ParamMap, kind: NormKind): number {
  const d = Object.fromEntries(Object.keys(a).map((n) => [n, tf.sub(a[n], b[n])]));
  try {
    return mapNorm(d, kind);
  } finally {
    tf.dispose(Object.values(d));
  }
}

/**
 * Training dynamics from a list of points of one run (checkpoints after each epoch): loss and
 * accuracy on the problem's data, gradient norm there, parameter change from the previous point
 * and from the start, weight norm, and loss improvement — the book's five per-epoch panels,
 * computed from saved weights instead of during training. Norms are global by default
 * (`norm: 'sum'` gives the book's sums of per-parameter norms).
 */
export function trainingDynamics(problem: LandscapeProblem, points: ParamMap[], options: DynamicsOptions = {}): DynamicsRecord[] {
  const kind = options.norm ?? 'global';
  if (kind !== 'global' && kind !== 'sum') throw new InvalidParameterError('norm', kind, "'global' or 'sum'");
  if (!Array.isArray(points) || points.length === 0) throw new InvalidParameterError('points', points, 'a non-empty list of ParamMaps');
  const epochs = options.epochs ?? points.map((_, i) => i + 1);
  if (epochs.length !== points.length) throw new InvalidParameterError('epochs.length', epochs.length, `${points.length} (one per point)`);
  const start = options.start ?? points[0];
  const vars = variablesOf(problem);
  return withRestore(problem, undefined, () =>
    points.map((theta, i) => {
      moveTo(problem, theta, [], []);
      const { loss, accuracy } = evaluatePoint(problem);
      const { value, grads } = tf.variableGrads(() => lossTensor(problem), vars);
      value.dispose();
      const gradNorm = mapNorm(grads, kind);
      tf.dispose(Object.values(grads));
      return { epoch: epochs[i], loss, accuracy, gradNorm, paramChange: i === 0 ? null : diffNorm(theta, points[i - 1], kind), paramChangeFromStart: diffNorm(theta, start, kind), weightNorm: mapNorm(theta, kind), lossImprovement: null as number | null };
    }),
  ).map((r, i, all) => ({ ...r, lossImprovement: i === 0 ? null : all[i - 1].loss - r.loss }));
}
