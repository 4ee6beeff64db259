import { tf, step, stateTensors, InvalidParameterError, checkNumber, type GradientTransform, type ParamMap, type StateTree, type UpdateExtras } from '@descent/tensor';
import { contour, type Plot } from '@descent/report';

/** A 2-D test function, in tf ops (for gradients) and in plain numbers (for the grid). */
export interface Surface {
  name: string;
  formula: string;
  /** f at p = [x, y], p a [2] tensor; returns a scalar. */
  tf(p: tf.Tensor): tf.Scalar;
  value(x: number, y: number): number;
  start: [number, number];
  steps: number;
  /** Plotted region; a path leaving it stops there ("left the plot"). */
  domain: { x: [number, number]; y: [number, number] };
  /** The minimum, where there is one. */
  minimum?: { x: number; y: number; f: number };
  /** Default learning rates: for sgd/sgd-book (steps ∝ gradient) and for every other optimizer (steps ≈ lr per coordinate). */
  sgdLr: number;
  adaptiveLr: number;
  /** Colour scale of the contour: log10(1 + f) for the steep valleys, f itself otherwise. */
  logColour: boolean;
}

const xy = (p: tf.Tensor): [tf.Tensor, tf.Tensor] => [p.slice([0], [1]), p.slice([1], [1])];

/**
 * The analytic surfaces of `descent study optimizers --surface`. Starting points and step counts
 * are chosen so that every optimizer has something to do; the learning rates are defaults that
 * keep torch-style SGD with momentum 0.9 stable on each (change them with --set).
 */
export const SURFACES: Readonly<Record<string, Surface>> = Object.freeze({
  rosenbrock: {
    name: 'rosenbrock',
    formula: '(1 − x)² + 100·(y − x²)²',
    tf: (p) => tf.tidy(() => {
      const [x, y] = xy(p);
      return tf.sum(tf.add(tf.square(tf.sub(1, x)), tf.mul(100, tf.square(tf.sub(y, tf.square(x)))))) as tf.Scalar;
    }),
    value: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    start: [-1.2, 1],
    steps: 500,
    domain: { x: [-2, 2], y: [-1, 3] },
    minimum: { x: 1, y: 1, f: 0 },
    sgdLr: 1e-3,
    adaptiveLr: 0.02,
    logColour: true,
  },
  beale: {
    name: 'beale',
    formula: '(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²',
    tf: (p) => tf.tidy(() => {
      const [x, y] = xy(p);
      const term = (c: number, k: number) => tf.square(tf.add(tf.sub(c, x), tf.mul(x, tf.pow(y, k))));
      return tf.sum(tf.add(tf.add(term(1.5, 1), term(2.25, 2)), term(2.625, 3))) as tf.Scalar;
    }),
    value: (x, y) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2,
    start: [1, 1.5],
    steps: 500,
    domain: { x: [-1, 4.5], y: [-1.5, 2] },
    minimum: { x: 3, y: 0.5, f: 0 },
    sgdLr: 1e-3,
    adaptiveLr: 0.02,
    logColour: true,
  },
  bowl: {
    name: 'bowl',
    formula: '1 − exp(−(x² + y²)/2)',
    tf: (p) => tf.tidy(() => tf.sub(1, tf.exp(tf.div(tf.neg(tf.sum(tf.square(p))), 2))) as tf.Scalar),
    value: (x, y) => 1 - Math.exp(-(x * x + y * y) / 2),
    start: [-1, 1],
    steps: 100,
    domain: { x: [-2, 2], y: [-2, 2] },
    minimum: { x: 0, y: 0, f: 0 },
    sgdLr: 0.1,
    adaptiveLr: 0.05,
    logColour: false,
  },
  saddle: {
    name: 'saddle',
    formula: 'x² − y²',
    tf: (p) => tf.tidy(() => {
      const [x, y] = xy(p);
      return tf.sum(tf.sub(tf.square(x), tf.square(y))) as tf.Scalar;
    }),
    value: (x, y) => x * x - y * y,
    start: [-1, 0.001],
    steps: 100,
    domain: { x: [-1.5, 1.5], y: [-1.5, 1.5] },
    sgdLr: 0.05,
    adaptiveLr: 0.05,
    logColour: false,
  },
});

export const SURFACE_NAMES = Object.keys(SURFACES);

/** A surface by name, or InvalidParameterError listing them. */
export function surfaceByName(name: string): Surface {
  const s = Object.prototype.hasOwnProperty.call(SURFACES, name) ? SURFACES[name] : undefined;
  if (!s) throw new InvalidParameterError('surface', name, SURFACE_NAMES.join(', '));
  return s;
}

export interface PathPoint {
  step: number;
  x: number;
  y: number;
  f: number;
}

export interface SurfacePath {
  points: PathPoint[];
  /** First step whose point, value or gradient was not finite (the path stops before it). */
  divergedAt?: number;
  /** First step whose point left the plotted domain (the path stops there, that point included). */
  leftAt?: number;
}

/**
 * Runs an optimizer on a 2-D surface through the GradientTransform contract: the parameters are
 * the ParamMap { p } with one [2] tensor, gradients come from tf.grad, each step is
 * @descent/tensor's `step`. `extras(stepIndex, p)` may hand the transform extras (Sophia's
 * Hessian diagonal). Stops at a non-finite value or when the point leaves `surface.domain`.
 */
export function optimizerPath(surface: Surface, transform: GradientTransform<any>, options: { start?: [number, number]; steps?: number; extras?: (s: number, p: tf.Tensor) => UpdateExtras | undefined } = {}): SurfacePath {
  const start = options.start ?? surface.start;
  if (!Array.isArray(start) || start.length !== 2 || !start.every(Number.isFinite)) throw new InvalidParameterError('start', start, '[x, y], two finite numbers');
  const steps = checkNumber('steps', options.steps ?? surface.steps, { min: 0, integer: true });
  const grad = tf.grad((p: tf.Tensor) => surface.tf(p));
  let params: ParamMap = { p: tf.tensor1d(start) };
  let state: StateTree = transform.init(params);
  const points: PathPoint[] = [{ step: 0, x: start[0], y: start[1], f: surface.value(start[0], start[1]) }];
  const out: SurfacePath = { points };
  const { x: [x0, x1], y: [y0, y1] } = surface.domain;
  try {
    for (let s = 1; s <= steps; s++) {
      const g = grad(params.p);
      const gv = g.dataSync();
      if (!Number.isFinite(gv[0]) || !Number.isFinite(gv[1])) {
        g.dispose();
        out.divergedAt = s;
        break;
      }
      const extras = options.extras?.(s - 1, params.p);
      const next = step(transform, params, { p: g }, state, extras);
      g.dispose();
      if (extras) tf.dispose(Object.values(extras.hessianDiag ?? {}));
      tf.dispose(Object.values(params));
      params = next.params;
      state = next.state;
      const [x, y] = params.p.dataSync();
      const f = surface.value(x, y);
      if (![x, y, f].every(Number.isFinite)) {
        out.divergedAt = s;
        break;
      }
      points.push({ step: s, x, y, f });
      if (x < x0 || x > x1 || y < y0 || y > y1) {
        out.leftAt = s;
        break;
      }
    }
  } finally {
    tf.dispose([...Object.values(params), ...stateTensors(state)]);
  }
  return out;
}

/**
 * The exact Hessian diagonal of the surface at p by central differences of tf.grad (step 1e-4),
 * as a ParamMap for Sophia's `extras.hessianDiag`.
 */
export function hessianDiagonal(surface: Surface, p: tf.Tensor): ParamMap {
  const grad = tf.grad((q: tf.Tensor) => surface.tf(q));
  const [x, y] = p.dataSync();
  const h = 1e-4;
  const g = (a: number, b: number) => {
    const t = tf.tensor1d([a, b]);
    const r = grad(t);
    const v = r.dataSync().slice();
    tf.dispose([t, r]);
    return v;
  };
  const hx = (g(x + h, y)[0] - g(x - h, y)[0]) / (2 * h);
  const hy = (g(x, y + h)[1] - g(x, y - h)[1]) / (2 * h);
  return { p: tf.tensor1d([hx, hy]) };
}

/** One optimizer's path on the surface, summarised. */
export interface SurfaceRow {
  name: string;
  id: string;
  config: Record<string, unknown>;
  steps: number;
  finalX: number;
  finalY: number;
  finalF: number;
  /** Euclidean distance of the last point to the minimum, where the surface has one. */
  distance: number | null;
  /** First step with f − f_min < 1e-3, where the surface has a minimum. */
  stepsToTolerance: number | null;
  status: 'ran' | 'diverged' | 'left the plot';
  statusStep: number | null;
}

export interface SurfaceStudyResult {
  surface: Surface;
  rows: SurfaceRow[];
  paths: Array<{ name: string; path: SurfacePath }>;
  plot: Plot;
}

/** f on an n×n grid over the surface's domain (rows: y, columns: x), as the contour shows it. */
export function surfaceGrid(surface: Surface, n = 80): { x: number[]; y: number[]; z: number[][] } {
  const lin = ([a, b]: [number, number]) => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
  const x = lin(surface.domain.x);
  const y = lin(surface.domain.y);
  const z = y.map((yy) => x.map((xx) => (surface.logColour ? Math.log10(1 + surface.value(xx, yy)) : surface.value(xx, yy))));
  return { x, y, z };
}

/**
 * Runs every optimizer from the same start for the same number of steps and draws the paths over
 * the surface's contour.
 */
export function runSurfaceStudy(options: {
  surface: Surface;
  runs: Array<{ name: string; id: string; config: Record<string, unknown>; create(): GradientTransform<any>; extras?: (s: number, p: tf.Tensor) => UpdateExtras | undefined }>;
  start?: [number, number];
  steps?: number;
}): SurfaceStudyResult {
  const { surface } = options;
  const steps = options.steps ?? surface.steps;
  const start = options.start ?? surface.start;
  const paths = options.runs.map((run) => ({ name: run.name, path: optimizerPath(surface, run.create(), { start, steps, extras: run.extras }) }));
  const rows: SurfaceRow[] = options.runs.map((run, i) => {
    const { points, divergedAt, leftAt } = paths[i].path;
    const last = points[points.length - 1];
    const min = surface.minimum;
    const reached = min ? points.find((p) => p.f - min.f < 1e-3) : undefined;
    return {
      name: run.name,
      id: run.id,
      config: run.config,
      steps: last.step,
      finalX: last.x,
      finalY: last.y,
      finalF: last.f,
      distance: min ? Math.hypot(last.x - min.x, last.y - min.y) : null,
      stepsToTolerance: reached ? reached.step : null,
      status: divergedAt !== undefined ? 'diverged' : leftAt !== undefined ? 'left the plot' : 'ran',
      statusStep: divergedAt ?? leftAt ?? null,
    };
  });
  const grid = surfaceGrid(surface);
  // Paths are drawn with at most ~200 points each (every k-th step, the last one kept).
  const pathPoints = paths.flatMap(({ name, path }) => {
    const k = Math.max(1, Math.ceil(path.points.length / 200));
    return path.points.filter((p, j) => j % k === 0 || j === path.points.length - 1).map((p) => ({ x: p.x, y: p.y, group: name }));
  });
  const plot = contour({
    title: `Optimizer paths on ${surface.name}: f = ${surface.formula}`,
    subtitle: `start (${start.join(', ')}), ${steps} steps${surface.minimum ? `; minimum at (${surface.minimum.x}, ${surface.minimum.y})` : ''}`,
    grid: grid.z,
    x: grid.x,
    y: grid.y,
    xTitle: 'x',
    yTitle: 'y',
    valueTitle: surface.logColour ? 'log₁₀(1 + f)' : 'f',
    paths: pathPoints,
    pathsTitle: 'Optimizer',
  });
  return { surface, rows, paths, plot };
}
