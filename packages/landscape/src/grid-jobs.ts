import { tf, InvalidParameterError, type ParamMap } from '@descent/tensor';
import { registerJobHandler, type JobHandler } from './executor';
import { surface2d } from './surface';
import type { LandscapeProblem } from './evaluate';
import { packModel, trainableNames, unpackModel, type ModelPayload } from './model-payload';

/** The job kind that evaluates rows of a 2-D loss surface. */
export const SURFACE_ROWS = 'landscape.surface-rows';

/** Everything a worker needs to rebuild the problem: structured-clonable, typed arrays inside. */
export interface SurfaceShared extends ModelPayload {
  /** θ, d₁, d₂ for each trainable weight, in `model.trainableWeights` order. */
  theta: Float32Array[];
  directions: [Float32Array[], Float32Array[]];
  grid: { xRange: [number, number]; yRange: [number, number]; xPoints: number; yPoints: number };
}

export interface SurfaceRowsJob {
  rows: number[];
}

export interface SurfaceRowsResult {
  rows: number[];
  /** Row after row, xPoints values each. */
  loss: Float64Array;
  accuracy: Float64Array;
}

/** Packs a problem, θ and two directions for the surface-rows job (see SurfaceShared). */
export function packSurface(
  problem: LandscapeProblem,
  theta: ParamMap,
  directions: [ParamMap, ParamMap],
  grid: SurfaceShared['grid'],
): SurfaceShared {
  const names = trainableNames(problem);
  const flat = (map: ParamMap, what: string) =>
    names.map((n) => {
      if (!map[n]) throw new InvalidParameterError(`${what}["${n}"]`, undefined, 'a tensor for every trainable weight');
      return Float32Array.from(map[n].dataSync() as Float32Array);
    });
  return { ...packModel(problem), theta: flat(theta, 'theta'), directions: [flat(directions[0], 'directions[0]'), flat(directions[1], 'directions[1]')], grid };
}

interface Context {
  unpacked: Awaited<ReturnType<typeof unpackModel>>;
  problem: LandscapeProblem;
  theta: ParamMap;
  directions: [ParamMap, ParamMap];
  grid: SurfaceShared['grid'];
}

const handler: JobHandler<SurfaceShared, SurfaceRowsJob, SurfaceRowsResult, Context> = {
  async setup(shared) {
    const unpacked = await unpackModel(shared);
    const vars = unpacked.variables;
    if (vars.length !== shared.theta.length) {
      unpacked.dispose();
      throw new InvalidParameterError('theta.length', shared.theta.length, `${vars.length} (the rebuilt model's trainable weights)`);
    }
    const map = (arrays: Float32Array[]): ParamMap => Object.fromEntries(vars.map((v, i) => [v.name, tf.tensor(arrays[i], v.shape, 'float32')]));
    return {
      unpacked,
      problem: unpacked.problem,
      theta: map(shared.theta),
      directions: [map(shared.directions[0]), map(shared.directions[1])],
      grid: shared.grid,
    };
  },
  run(ctx, job) {
    const s = surface2d(ctx.problem, ctx.directions, { ...ctx.grid, theta: ctx.theta, rows: job.rows });
    const nx = s.x.length;
    const loss = new Float64Array(job.rows.length * nx);
    const accuracy = new Float64Array(job.rows.length * nx);
    job.rows.forEach((r, k) => {
      loss.set(s.loss.subarray(r * nx, (r + 1) * nx), k * nx);
      accuracy.set(s.accuracy.subarray(r * nx, (r + 1) * nx), k * nx);
    });
    return { rows: job.rows, loss, accuracy };
  },
  teardown(ctx) {
    tf.dispose([...Object.values(ctx.theta), ...Object.values(ctx.directions[0]), ...Object.values(ctx.directions[1])]);
    ctx.unpacked.dispose();
  },
  transfer: (r) => [r.loss.buffer as ArrayBuffer, r.accuracy.buffer as ArrayBuffer],
};

/**
 * Registers the surface-rows job kind in this thread (idempotent). Called explicitly by
 * surface2dParallel and by the worker script: the package is side-effect free, so a bare import
 * would not be kept by bundlers.
 */
export function registerSurfaceJobs(): void {
  registerJobHandler(SURFACE_ROWS, handler);
}
