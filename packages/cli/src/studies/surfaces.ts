import { InvalidParameterError, type GradientTransform } from '@descent/tensor';
import { optimizerPath, surfaceHessianDiagonal, evaluateSurfaceFn, rosenbrock, beale, gaussianBowl, saddle, type SurfaceFn, type PlaneDomain, type OptimizerPath, type OptimizerPathOptions } from '@descent/landscape';
import { contour, type Plot } from '@descent/report';

/** A 2-D test function of @descent/landscape with the study's start, steps, region and learning rates. */
export interface Surface {
  name: string;
  formula: string;
  /** f(x, y) in tf ops, elementwise (differentiated for the paths, gridded for the contour). */
  fn: SurfaceFn;
  start: [number, number];
  steps: number;
  /** Plotted region; a path leaving it stops there ("left the plot"). */
  domain: PlaneDomain;
  /** The minimum, where there is one. */
  minimum?: { x: number; y: number; f: number };
  /** Default learning rates: for sgd/sgd-book (steps ∝ gradient) and for every other optimizer (steps ≈ lr per coordinate). */
  sgdLr: number;
  adaptiveLr: number;
  /** Colour scale of the contour: log10(1 + f) for the steep valleys, f itself otherwise. */
  logColour: boolean;
}

/**
 * The analytic surfaces of `descent study optimizers --surface` (the functions are
 * @descent/landscape's). Starting points and step counts are chosen so that every optimizer has
 * something to do; the learning rates are defaults that keep torch-style SGD with momentum 0.9
 * stable on each (change them with --set).
 */
export const SURFACES: Readonly<Record<string, Surface>> = Object.freeze({
  rosenbrock: {
    name: 'rosenbrock',
    formula: '(1 − x)² + 100·(y − x²)²',
    fn: rosenbrock(),
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
    fn: beale(),
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
    fn: gaussianBowl(),
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
    fn: saddle(),
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

/** Extras for Sophia on a surface: the exact Hessian diagonal every `every` steps. */
export function sophiaSurfaceExtras(surface: Surface, every: number): NonNullable<OptimizerPathOptions['extras']> {
  return (s, at) => (s % every === 0 ? { hessianDiag: surfaceHessianDiagonal(surface.fn, at) } : undefined);
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
  paths: Array<{ name: string; path: OptimizerPath }>;
  plot: Plot;
}

/** f on an n×n grid over the surface's domain (rows: y, columns: x), as the contour shows it. */
export function surfaceGrid(surface: Surface, n = 80): { x: number[]; y: number[]; z: number[][] } {
  const lin = ([a, b]: [number, number]) => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
  const x = lin(surface.domain.x);
  const y = lin(surface.domain.y);
  const flat = evaluateSurfaceFn(surface.fn, x, y);
  const z = y.map((_, i) => x.map((_, j) => (surface.logColour ? Math.log10(1 + flat[i * n + j]) : flat[i * n + j])));
  return { x, y, z };
}

/**
 * Runs every optimizer from the same start for the same number of steps and draws the paths over
 * the surface's contour.
 */
export function runSurfaceStudy(options: {
  surface: Surface;
  runs: Array<{ name: string; id: string; config: Record<string, unknown>; create(): GradientTransform<any>; extras?: OptimizerPathOptions['extras'] }>;
  start?: [number, number];
  steps?: number;
}): SurfaceStudyResult {
  const { surface } = options;
  const steps = options.steps ?? surface.steps;
  const start = options.start ?? surface.start;
  const paths = options.runs.map((run) => ({ name: run.name, path: optimizerPath(surface.fn, run.create(), { start, steps, domain: surface.domain, extras: run.extras }) }));
  const rows: SurfaceRow[] = options.runs.map((run, i) => {
    const { points, divergedAt, leftAt } = paths[i].path;
    const last = points[points.length - 1];
    const min = surface.minimum;
    const reached = min ? points.find((p) => p.z - min.f < 1e-3) : undefined;
    return {
      name: run.name,
      id: run.id,
      config: run.config,
      steps: last.step,
      finalX: last.x,
      finalY: last.y,
      finalF: last.z,
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
