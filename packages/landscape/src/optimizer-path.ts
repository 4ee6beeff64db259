import { tf, checkNumber, InvalidParameterError, step, stateTensors, type GradientTransform, type ParamMap, type StateTree, type UpdateExtras } from '@descent/tensor';
import type { SurfaceFn } from './analytic-surfaces';

export interface PathPoint {
  step: number;
  x: number;
  y: number;
  z: number;
}

export interface OptimizerPath {
  /** The start and the point after each step (steps + 1 points, fewer if the path stopped). */
  points: PathPoint[];
  /** The first step whose point, value or gradient was not finite, if any (the path stops before it). */
  divergedAt?: number;
  /** The first step whose point left `domain`, if one was given (that point is kept, the path stops there). */
  leftAt?: number;
}

/** A rectangle of the (x, y) plane, e.g. the plotted region of a surface. */
export interface PlaneDomain {
  x: [number, number];
  y: [number, number];
}

export interface OptimizerPathOptions {
  /** Default (−1, 1), the book's start. */
  start?: [number, number];
  /** Default 100, the book's count. */
  steps?: number;
  /** Stop when the point leaves this rectangle (e.g. the plot). */
  domain?: PlaneDomain;
  /**
   * Extras for the transform at a step (0-based), e.g. Sophia's `hessianDiag` from
   * `surfaceHessianDiagonal`; tensors returned here are disposed after the step.
   */
  extras?: (step: number, at: { x: number; y: number }) => UpdateExtras | undefined;
}

/**
 * Runs an optimizer (any GradientTransform, e.g. a registry plugin's `create(config)`) on a
 * two-parameter surface: the ParamMap { x, y } of scalars, gradients by tf autodiff, the book's
 * defaults: start (−1, 1), 100 steps. Stops early when the path leaves the finite numbers or the
 * given domain.
 */
export function optimizerPath(fn: SurfaceFn, transform: GradientTransform<any>, options: OptimizerPathOptions = {}): OptimizerPath {
  const start = options.start ?? [-1, 1];
  if (!Array.isArray(start) || start.length !== 2 || !start.every(Number.isFinite)) throw new InvalidParameterError('start', start, '[x, y], two finite numbers');
  const steps = checkNumber('steps', options.steps ?? 100, { min: 0, integer: true });
  const domain = options.domain;
  if (domain !== undefined) checkDomain(domain);
  const grad = tf.grads((x: tf.Tensor, y: tf.Tensor) => fn(x, y) as tf.Scalar);
  let params: ParamMap = { x: tf.scalar(start[0]), y: tf.scalar(start[1]) };
  let state: StateTree = transform.init(params);
  const points: PathPoint[] = [{ step: 0, x: start[0], y: start[1], z: surfaceValue(fn, start[0], start[1]) }];
  const out: OptimizerPath = { points };
  try {
    for (let s = 1; s <= steps; s++) {
      const [gx, gy] = grad([params.x, params.y]);
      if (!Number.isFinite(gx.dataSync()[0]) || !Number.isFinite(gy.dataSync()[0])) {
        tf.dispose([gx, gy]);
        out.divergedAt = s;
        break;
      }
      const last = points[points.length - 1];
      const extras = options.extras?.(s - 1, { x: last.x, y: last.y });
      const next = step(transform, params, { x: gx, y: gy }, state, extras);
      tf.dispose([gx, gy, ...Object.values(params)]);
      if (extras?.hessianDiag) tf.dispose(Object.values(extras.hessianDiag));
      params = next.params;
      state = next.state;
      const x = params.x.dataSync()[0];
      const y = params.y.dataSync()[0];
      const z = surfaceValue(fn, x, y);
      if (![x, y, z].every(Number.isFinite)) {
        out.divergedAt = s;
        break;
      }
      points.push({ step: s, x, y, z });
      if (domain && (x < domain.x[0] || x > domain.x[1] || y < domain.y[0] || y > domain.y[1])) {
        out.leftAt = s;
        break;
      }
    }
  } finally {
    tf.dispose([...Object.values(params), ...stateTensors(state)]);
  }
  return out;
}

/** f(x, y) as a number. */
export function surfaceValue(fn: SurfaceFn, x: number, y: number): number {
  const z = tf.tidy(() => fn(tf.scalar(x), tf.scalar(y)));
  const v = z.dataSync()[0];
  z.dispose();
  return v;
}

/**
 * The Hessian diagonal (∂²f/∂x², ∂²f/∂y²) at (x, y) by central differences of the autodiff
 * gradient (step h, default 1e-4; error O(h²)), as the ParamMap { x, y } that Sophia's
 * `extras.hessianDiag` expects for `optimizerPath`. Differences, not double backprop, because
 * nested tf.grad is unreliable through exp (see @descent/hessian).
 */
export function surfaceHessianDiagonal(fn: SurfaceFn, at: { x: number; y: number }, h = 1e-4): ParamMap {
  if (!Number.isFinite(at.x) || !Number.isFinite(at.y)) throw new InvalidParameterError('at', at, '{ x, y }, finite numbers');
  checkNumber('h', h, { min: 0, minExclusive: true });
  const grad = tf.grads((x: tf.Tensor, y: tf.Tensor) => fn(x, y) as tf.Scalar);
  const g = (x: number, y: number) => {
    const px = tf.scalar(x);
    const py = tf.scalar(y);
    const [gx, gy] = grad([px, py]);
    const v = [gx.dataSync()[0], gy.dataSync()[0]];
    tf.dispose([px, py, gx, gy]);
    return v;
  };
  const hxx = (g(at.x + h, at.y)[0] - g(at.x - h, at.y)[0]) / (2 * h);
  const hyy = (g(at.x, at.y + h)[1] - g(at.x, at.y - h)[1]) / (2 * h);
  return { x: tf.scalar(hxx), y: tf.scalar(hyy) };
}

function checkDomain(d: PlaneDomain): void {
  for (const axis of ['x', 'y'] as const) {
    const r = d?.[axis];
    if (!Array.isArray(r) || r.length !== 2 || !r.every(Number.isFinite) || !(r[0] < r[1])) {
      throw new InvalidParameterError(`domain.${axis}`, r, '[min, max], finite numbers with min < max');
    }
  }
}
