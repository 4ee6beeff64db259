import { tf, InvalidParameterError } from '@descent/tensor';
import type { GaussianParams } from './gaussian-fit';

/**
 * A loss surface over two parameters, elementwise in tf ops: called with tensors of any (equal or
 * broadcastable) shape it returns z of that shape, so it can be differentiated and gridded alike.
 */
export type SurfaceFn = (x: tf.Tensor, y: tf.Tensor) => tf.Tensor;

/** The fitted (or any) Gaussian well −A·exp(−((x−x₀)²/2σ₁² + (y−y₀)²/2σ₂²)) + offset. */
export function gaussianSurface(p: GaussianParams): SurfaceFn {
  return (x, y) =>
    tf.tidy(() => {
      const ex = tf.div(tf.square(tf.sub(x, p.x0)), 2 * p.sigma1 ** 2);
      const ey = tf.div(tf.square(tf.sub(y, p.y0)), 2 * p.sigma2 ** 2);
      return tf.add(tf.mul(tf.exp(tf.neg(tf.add(ex, ey))), -p.A), p.offset);
    });
}

/** Rosenbrock's valley (a − x)² + b(y − x²)², minimum 0 at (a, a²). */
export function rosenbrock(a = 1, b = 100): SurfaceFn {
  return (x, y) => tf.tidy(() => tf.add(tf.square(tf.sub(a, x)), tf.mul(tf.square(tf.sub(y, tf.square(x))), b)));
}

/** Beale's function, minimum 0 at (3, 0.5). */
export function beale(): SurfaceFn {
  return (x, y) =>
    tf.tidy(() => {
      const term = (c: number, k: number) => tf.square(tf.add(tf.sub(c, x), tf.mul(x, tf.pow(y, k))));
      return tf.add(tf.add(term(1.5, 1), term(2.25, 2)), term(2.625, 3));
    });
}

/** A Gaussian bowl 1 − exp(−(x² + y²)/2σ²): the unit Gaussian well, minimum 0 at the origin. */
export function gaussianBowl(sigma = 1): SurfaceFn {
  return gaussianSurface({ A: 1, x0: 0, y0: 0, sigma1: sigma, sigma2: sigma, offset: 1 });
}

/** The saddle x² − y² (unbounded below along y). */
export function saddle(): SurfaceFn {
  return (x, y) => tf.tidy(() => tf.sub(tf.square(x), tf.square(y)));
}

/** The analytic surfaces by name, with their default constants. */
export const ANALYTIC_SURFACES: Readonly<Record<string, () => SurfaceFn>> = Object.freeze({
  rosenbrock: () => rosenbrock(),
  beale: () => beale(),
  'gaussian-bowl': () => gaussianBowl(),
  saddle: () => saddle(),
});

/** An analytic surface by name (see ANALYTIC_SURFACES). */
export function analyticSurface(name: string): SurfaceFn {
  const make = ANALYTIC_SURFACES[name];
  if (!make) throw new InvalidParameterError('surface', name, Object.keys(ANALYTIC_SURFACES).join(', '));
  return make();
}

/** z on the grid (x[j], y[i]), row-major over y, in one vectorised call. */
export function evaluateSurfaceFn(fn: SurfaceFn, x: number[], y: number[]): Float64Array {
  const z = tf.tidy(() => {
    const X = tf.tile(tf.tensor2d(x, [1, x.length]), [y.length, 1]);
    const Y = tf.tile(tf.tensor2d(y, [y.length, 1]), [1, x.length]);
    return fn(X, Y);
  });
  const out = Float64Array.from(z.dataSync());
  z.dispose();
  return out;
}
