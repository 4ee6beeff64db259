import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { checkNumber, InvalidParameterError } from '@descent/tensor';

/** z = −A·exp(−((x−x₀)²/2σ₁² + (y−y₀)²/2σ₂²)) + offset: a Gaussian well (the book's surface model). */
export interface GaussianParams {
  A: number;
  x0: number;
  y0: number;
  sigma1: number;
  sigma2: number;
  offset: number;
}

export interface GaussianFit {
  params: GaussianParams;
  /** 'max': offset fixed to max z (the book); 'free': offset fitted too. */
  offset: 'max' | 'free';
  /** Sum of squared residuals, and its root mean. */
  rss: number;
  rmse: number;
  /** Coefficient of determination 1 − RSS/TSS. */
  r2: number;
  iterations: number;
}

/** The Gaussian well as a plain function. σ enter squared, so their signs do not matter. */
export function invertedGaussian(p: GaussianParams): (x: number, y: number) => number {
  return (x, y) => -p.A * Math.exp(-((x - p.x0) ** 2 / (2 * p.sigma1 ** 2) + (y - p.y0) ** 2 / (2 * p.sigma2 ** 2))) + p.offset;
}

/**
 * Fits the Gaussian well to a grid `z[i·x.length + j]` at (x[j], y[i]) by Levenberg-Marquardt
 * (ml-levenberg-marquardt with the analytic Jacobian). The book's fit (`offset: 'max'`): offset
 * fixed to max z, the other five parameters from all-ones, as scipy.optimize.curve_fit's default
 * start. `offset: 'free'` fits the offset as a sixth parameter, starting from the fixed-offset fit
 * and max z (from all-ones, LM wanders off on such surfaces — scipy's too). The returned σ are
 * made positive.
 */
export function fitInvertedGaussian(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  z: ArrayLike<number>,
  options: { offset?: 'max' | 'free'; initial?: number[]; maxIterations?: number } = {},
): GaussianFit {
  const mode = options.offset ?? 'max';
  if (mode !== 'max' && mode !== 'free') throw new InvalidParameterError('offset', mode, "'max' or 'free'");
  const nx = x.length;
  const ny = y.length;
  if (nx < 2 || ny < 2) throw new InvalidParameterError('grid', [nx, ny], 'at least 2 × 2 points');
  if (z.length !== nx * ny) throw new InvalidParameterError('z.length', z.length, `${nx * ny} (x.length · y.length, row-major over y)`);
  const maxIterations = checkNumber('maxIterations', options.maxIterations ?? 2000, { min: 1, integer: true });
  const xs = new Float64Array(nx * ny);
  const ys = new Float64Array(nx * ny);
  const zs = new Float64Array(nx * ny);
  let zmax = -Infinity;
  for (let i = 0; i < ny; i++) {
    for (let j = 0; j < nx; j++) {
      const k = i * nx + j;
      xs[k] = x[j];
      ys[k] = y[i];
      zs[k] = z[k];
      if (!Number.isFinite(zs[k])) throw new InvalidParameterError(`z[${k}]`, z[k], 'finite values');
      if (zs[k] > zmax) zmax = zs[k];
    }
  }
  const nParams = mode === 'max' ? 5 : 6;
  let initial = options.initial;
  if (!initial) {
    if (mode === 'max') initial = [1, 1, 1, 1, 1];
    else {
      const fixed = fitInvertedGaussian(x, y, z, { offset: 'max', maxIterations }).params;
      initial = [fixed.A, fixed.x0, fixed.y0, fixed.sigma1, fixed.sigma2, zmax];
    }
  }
  if (!Array.isArray(initial) || initial.length !== nParams || !initial.every(Number.isFinite)) throw new InvalidParameterError('initial', initial, `${nParams} finite numbers (A, x0, y0, σ1, σ2${mode === 'free' ? ', offset' : ''})`);
  const off = (p: number[]) => (mode === 'max' ? zmax : p[5]);
  const model = (p: number[]) => (k: number) => -p[0] * Math.exp(-((xs[k] - p[1]) ** 2 / (2 * p[3] ** 2) + (ys[k] - p[2]) ** 2 / (2 * p[4] ** 2))) + off(p);
  const jacobian = (p: number[]) => (k: number) => {
    const dx = xs[k] - p[1];
    const dy = ys[k] - p[2];
    const s1 = p[3] * p[3];
    const s2 = p[4] * p[4];
    const e = Math.exp(-(dx * dx / (2 * s1) + dy * dy / (2 * s2)));
    const ae = p[0] * e;
    const row = [-e, (-ae * dx) / s1, (-ae * dy) / s2, (-ae * dx * dx) / (s1 * p[3]), (-ae * dy * dy) / (s2 * p[4])];
    if (mode === 'free') row.push(1);
    return row;
  };
  // ml-levenberg-marquardt takes every step it computes, also those that make the fit worse,
  // and from all-ones the first Gauss-Newton steps throw the parameters far off. So it is driven
  // one step at a time here, as in Marquardt's method: a step that lowers the residual is taken
  // and the damping divided by 9, otherwise refused and the damping multiplied by 11; the fit has
  // converged when no damping up to 1e12 finds a lower residual.
  const index = Array.from({ length: nx * ny }, (_, k) => k);
  const data = { x: index, y: Array.from(zs) };
  const sse = (p: number[]) => {
    const f = model(p);
    let e = 0;
    for (let k = 0; k < zs.length; k++) e += (zs[k] - f(k)) ** 2;
    return e;
  };
  let params = initial.slice();
  let error = sse(params);
  let damping = 1e-2;
  let iterations = 0;
  while (iterations < maxIterations && damping <= 1e12) {
    iterations++;
    const step = levenbergMarquardt(data, model, { initialValues: params, jacobianFunction: jacobian, maxIterations: 1, errorTolerance: 0, damping });
    if (step.parameterError < error && step.parameterValues.every(Number.isFinite)) {
      params = step.parameterValues;
      error = step.parameterError;
      damping = Math.max(damping / 9, 1e-7);
    } else damping *= 11;
  }
  const result = { parameterValues: params, iterations };
  const p = result.parameterValues;
  const f = model(p);
  let rss = 0;
  let mean = 0;
  for (let k = 0; k < zs.length; k++) mean += zs[k] / zs.length;
  let tss = 0;
  for (let k = 0; k < zs.length; k++) {
    rss += (zs[k] - f(k)) ** 2;
    tss += (zs[k] - mean) ** 2;
  }
  return {
    params: { A: p[0], x0: p[1], y0: p[2], sigma1: Math.abs(p[3]), sigma2: Math.abs(p[4]), offset: off(p) },
    offset: mode,
    rss,
    rmse: Math.sqrt(rss / zs.length),
    r2: tss > 0 ? 1 - rss / tss : 1,
    iterations: result.iterations,
  };
}
