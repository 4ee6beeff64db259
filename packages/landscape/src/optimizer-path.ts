import { tf, checkNumber, InvalidParameterError, step, stateTensors, type GradientTransform, type ParamMap, type StateTree } from '@descent/tensor';
import type { SurfaceFn } from './analytic-surfaces';

export interface PathPoint {
  step: number;
  x: number;
  y: number;
  z: number;
}

export interface OptimizerPath {
  /** The start and the point after each step (steps + 1 points, fewer if the path diverged). */
  points: PathPoint[];
  /** The first step whose point or gradient was not finite, if any (the path stops before it). */
  divergedAt?: number;
}

/**
 * Runs an optimizer (any GradientTransform, e.g. a registry plugin's `create(config)`) on a
 * two-parameter surface: the ParamMap { x, y } of scalars, gradients by tf autodiff, the book's
 * defaults: start (−1, 1), 100 steps. Stops early when the path leaves the finite numbers.
 */
export function optimizerPath(fn: SurfaceFn, transform: GradientTransform<any>, options: { start?: [number, number]; steps?: number } = {}): OptimizerPath {
  const start = options.start ?? [-1, 1];
  if (!Array.isArray(start) || start.length !== 2 || !start.every(Number.isFinite)) throw new InvalidParameterError('start', start, '[x, y] finite numbers');
  const steps = checkNumber('steps', options.steps ?? 100, { min: 0, integer: true });
  const value = (x: tf.Tensor, y: tf.Tensor) => {
    const z = tf.tidy(() => fn(x, y));
    const v = z.dataSync()[0];
    z.dispose();
    return v;
  };
  const grad = tf.grads((x: tf.Tensor, y: tf.Tensor) => fn(x, y) as tf.Scalar);
  let params: ParamMap = { x: tf.scalar(start[0]), y: tf.scalar(start[1]) };
  let state: StateTree = transform.init(params);
  const points: PathPoint[] = [{ step: 0, x: start[0], y: start[1], z: value(params.x, params.y) }];
  let divergedAt: number | undefined;
  try {
    for (let s = 1; s <= steps; s++) {
      const [gx, gy] = grad([params.x, params.y]);
      const g = { x: gx, y: gy };
      const next = step(transform, params, g, state);
      tf.dispose([gx, gy, ...Object.values(params)]);
      params = next.params;
      state = next.state;
      const x = params.x.dataSync()[0];
      const y = params.y.dataSync()[0];
      const z = value(params.x, params.y);
      if (![x, y, z].every(Number.isFinite)) {
        divergedAt = s;
        break;
      }
      points.push({ step: s, x, y, z });
    }
  } finally {
    tf.dispose([...Object.values(params), ...stateTensors(state)]);
  }
  return divergedAt === undefined ? { points } : { points, divergedAt };
}
