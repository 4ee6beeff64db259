import { tf, checkNumber, InvalidParameterError, type ParamMap } from '@descent/tensor';
import { evaluatePoint, moveTo, withRestore, type LandscapeProblem } from './evaluate';

export function linspace(from: number, to: number, count: number): number[] {
  checkNumber('points', count, { min: 1, integer: true });
  if (count === 1) return [from];
  return Array.from({ length: count }, (_, i) => from + ((to - from) * i) / (count - 1));
}

function checkRange(name: string, r: [number, number]) {
  if (!Array.isArray(r) || r.length !== 2 || !r.every(Number.isFinite) || r[0] >= r[1]) throw new InvalidParameterError(name, r, '[min, max] with min < max');
}

export interface Curve {
  alphas: number[];
  loss: number[];
  accuracy: number[];
}

export interface Surface {
  x: number[];
  y: number[];
  /** Row-major, rows follow y: loss[i·x.length + j] is at (x[j], y[i]). */
  loss: Float64Array;
  accuracy: Float64Array;
}

/** Loss along θ + α·d for α in `range` (1-D plot). */
export function curve1d(problem: LandscapeProblem, direction: ParamMap, options: { range?: [number, number]; points?: number; theta?: ParamMap } = {}): Curve {
  const range = options.range ?? [-1, 1];
  checkRange('range', range);
  const alphas = linspace(range[0], range[1], options.points ?? 51);
  return withRestore(problem, options.theta, (theta) => {
    const loss: number[] = [];
    const accuracy: number[] = [];
    for (const a of alphas) {
      moveTo(problem, theta, [direction], [a]);
      const v = evaluatePoint(problem);
      loss.push(v.loss);
      accuracy.push(v.accuracy);
    }
    return { alphas, loss, accuracy };
  });
}

/**
 * Linear interpolation θ(α) = (1 − α)·θ₁ + α·θ₂ between two points (Goodfellow et al. 2015), by
 * default the book's α ∈ linspace(−0.5, 1.5, 50).
 */
export function interpolate(problem: LandscapeProblem, from: ParamMap, to: ParamMap, options: { range?: [number, number]; points?: number } = {}): Curve {
  const d = Object.fromEntries(Object.keys(from).map((n) => [n, tf.sub(to[n], from[n])]));
  try {
    return curve1d(problem, d, { range: options.range ?? [-0.5, 1.5], points: options.points ?? 50, theta: from });
  } finally {
    tf.dispose(Object.values(d));
  }
}

/**
 * The 2-D slice θ + x·d₁ + y·d₂ on a grid (Li et al. 2018). `rows` restricts the work to some
 * y-indices (how the worker pool splits a grid); the other rows stay NaN.
 */
export function surface2d(
  problem: LandscapeProblem,
  directions: [ParamMap, ParamMap],
  options: { xRange?: [number, number]; yRange?: [number, number]; xPoints?: number; yPoints?: number; theta?: ParamMap; rows?: number[]; onRow?: (row: number) => void } = {},
): Surface {
  const xRange = options.xRange ?? [-1, 1];
  const yRange = options.yRange ?? xRange;
  checkRange('xRange', xRange);
  checkRange('yRange', yRange);
  const x = linspace(xRange[0], xRange[1], options.xPoints ?? 41);
  const y = linspace(yRange[0], yRange[1], options.yPoints ?? x.length);
  const loss = new Float64Array(x.length * y.length).fill(NaN);
  const accuracy = new Float64Array(x.length * y.length).fill(NaN);
  const rows = options.rows ?? y.map((_, i) => i);
  return withRestore(problem, options.theta, (theta) => {
    for (const i of rows) {
      for (let j = 0; j < x.length; j++) {
        moveTo(problem, theta, directions, [x[j], y[i]]);
        const v = evaluatePoint(problem);
        loss[i * x.length + j] = v.loss;
        accuracy[i * x.length + j] = v.accuracy;
      }
      options.onRow?.(i);
    }
    return { x, y, loss, accuracy };
  });
}
