import { tf, InvalidParameterError, type ParamMap } from '@descent/tensor';
import { registerJobHandler, type JobHandler } from './executor';
import { surface2d } from './surface';
import type { LandscapeProblem } from './evaluate';

/** The job kind that evaluates rows of a 2-D loss surface. */
export const SURFACE_ROWS = 'landscape.surface-rows';

interface ArrayRecord {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

/** Everything a worker needs to rebuild the problem: structured-clonable, typed arrays inside. */
export interface SurfaceShared {
  /** `model.toJSON(null, false)`: the topology (custom layers must be registered where it is rebuilt). */
  topology: unknown;
  /** Every weight of the model (trainable or not, e.g. BatchNorm statistics), in `model.weights` order. */
  weights: ArrayRecord[];
  /** θ, d₁, d₂ for each trainable weight, in `model.trainableWeights` order. */
  theta: Float32Array[];
  directions: [Float32Array[], Float32Array[]];
  inputs: ArrayRecord;
  labels: ArrayRecord;
  grid: { xRange: [number, number]; yRange: [number, number]; xPoints: number; yPoints: number };
  /** Only with the in-process executor (functions do not cross threads). */
  loss?: LandscapeProblem['loss'];
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

interface SerializableModel {
  toJSON(unused?: unknown, returnString?: boolean): unknown;
  weights: Array<{ read(): tf.Tensor }>;
  trainableWeights: Array<{ read(): tf.Tensor }>;
}

function record(t: tf.Tensor): ArrayRecord {
  if (t.dtype !== 'float32' && t.dtype !== 'int32') throw new InvalidParameterError('tensor dtype', t.dtype, "'float32' or 'int32'");
  // A copy: some backends hand out their own storage, which a transfer would detach.
  const data = t.dtype === 'int32' ? Int32Array.from(t.dataSync() as Int32Array) : Float32Array.from(t.dataSync() as Float32Array);
  return { shape: t.shape.slice(), dtype: t.dtype, data };
}

function tensorOf(r: ArrayRecord): tf.Tensor {
  return tf.tensor(r.data, r.shape, r.dtype);
}

/** Packs a problem, θ and two directions for the surface-rows job (see SurfaceShared). */
export function packSurface(
  problem: LandscapeProblem,
  theta: ParamMap,
  directions: [ParamMap, ParamMap],
  grid: SurfaceShared['grid'],
): SurfaceShared {
  const model = problem.model as unknown as SerializableModel;
  if (typeof model.toJSON !== 'function' || !Array.isArray(model.weights)) {
    throw new InvalidParameterError('problem.model', typeof model, 'a tf.LayersModel (serialisable with toJSON) to evaluate in workers');
  }
  const names = model.trainableWeights.map((w) => (w.read() as tf.Variable).name);
  const flat = (map: ParamMap, what: string) =>
    names.map((n) => {
      if (!map[n]) throw new InvalidParameterError(`${what}["${n}"]`, undefined, 'a tensor for every trainable weight');
      return Float32Array.from(map[n].dataSync() as Float32Array);
    });
  return {
    topology: model.toJSON(null, false),
    weights: model.weights.map((w) => record(w.read())),
    theta: flat(theta, 'theta'),
    directions: [flat(directions[0], 'directions[0]'), flat(directions[1], 'directions[1]')],
    inputs: record(problem.inputs),
    labels: record(problem.labels),
    grid,
    ...(problem.loss ? { loss: problem.loss } : {}),
  };
}

interface Context {
  model: tf.LayersModel;
  problem: LandscapeProblem;
  theta: ParamMap;
  directions: [ParamMap, ParamMap];
  grid: SurfaceShared['grid'];
}

const handler: JobHandler<SurfaceShared, SurfaceRowsJob, SurfaceRowsResult, Context> = {
  async setup(shared) {
    const model = await tf.models.modelFromJSON({ modelTopology: shared.topology as tf.io.ModelJSON['modelTopology'] });
    const weights = shared.weights.map(tensorOf);
    model.setWeights(weights);
    tf.dispose(weights);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    if (vars.length !== shared.theta.length) throw new InvalidParameterError('theta.length', shared.theta.length, `${vars.length} (the rebuilt model's trainable weights)`);
    const map = (arrays: Float32Array[]): ParamMap => Object.fromEntries(vars.map((v, i) => [v.name, tf.tensor(arrays[i], v.shape, 'float32')]));
    return {
      model,
      problem: { model, inputs: tensorOf(shared.inputs), labels: tensorOf(shared.labels), ...(shared.loss ? { loss: shared.loss } : {}) },
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
    tf.dispose([ctx.problem.inputs, ctx.problem.labels, ...Object.values(ctx.theta), ...Object.values(ctx.directions[0]), ...Object.values(ctx.directions[1])]);
    ctx.model.dispose();
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
