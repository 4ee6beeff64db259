import { tf, checkNumber, InvalidParameterError, type ParamMap } from '@descent/tensor';
import { snapshot, type LandscapeProblem } from './evaluate';
import { linspace, type Surface } from './surface';
import { InProcessExecutor, type Executor, type JobProgress } from './executor';
import { defaultExecutor } from './worker-pool';
import { packSurface, registerSurfaceJobs, SURFACE_ROWS, type SurfaceRowsJob, type SurfaceRowsResult } from './grid-jobs';

export interface ParallelSurfaceOptions {
  xRange?: [number, number];
  yRange?: [number, number];
  xPoints?: number;
  yPoints?: number;
  /** Centre of the grid (default: the model's current weights). */
  theta?: ParamMap;
  /** Where the rows run (default: `defaultExecutor()`, closed afterwards; pass one to reuse its workers). */
  executor?: Executor;
  /** Grid rows per job (default 1: the finest balancing; a job costs one message). */
  rowsPerJob?: number;
  onProgress?: (progress: JobProgress) => void;
  signal?: AbortSignal;
}

/**
 * `surface2d` with the grid split by rows into independent jobs run by an Executor — by default a
 * pool of worker threads, each rebuilding the model from `model.toJSON()` and the weights. Gives
 * the same numbers as `surface2d` (each point is evaluated the same way). A custom
 * `problem.loss` needs the InProcessExecutor: functions cannot be sent to threads.
 */
export async function surface2dParallel(problem: LandscapeProblem, directions: [ParamMap, ParamMap], options: ParallelSurfaceOptions = {}): Promise<Surface> {
  const xRange = options.xRange ?? [-1, 1];
  const yRange = options.yRange ?? xRange;
  const xPoints = checkNumber('xPoints', options.xPoints ?? 41, { min: 1, integer: true });
  const yPoints = checkNumber('yPoints', options.yPoints ?? xPoints, { min: 1, integer: true });
  const rowsPerJob = checkNumber('rowsPerJob', options.rowsPerJob ?? 1, { min: 1, integer: true });
  for (const [name, r] of [['xRange', xRange], ['yRange', yRange]] as const) {
    if (!Array.isArray(r) || r.length !== 2 || !r.every(Number.isFinite) || r[0] >= r[1]) throw new InvalidParameterError(name, r, '[min, max] with min < max');
  }
  registerSurfaceJobs();
  const executor = options.executor ?? defaultExecutor();
  if (problem.loss && !(executor instanceof InProcessExecutor)) {
    if (!options.executor) await executor.close();
    throw new InvalidParameterError('executor', executor.name, 'the InProcessExecutor when problem.loss is custom (functions cannot be sent to worker threads)');
  }
  const saved = options.theta ? undefined : snapshot(problem);
  try {
    const shared = packSurface(problem, options.theta ?? saved!, directions, { xRange, yRange, xPoints, yPoints });
    const jobs: SurfaceRowsJob[] = [];
    for (let r = 0; r < yPoints; r += rowsPerJob) jobs.push({ rows: Array.from({ length: Math.min(rowsPerJob, yPoints - r) }, (_, k) => r + k) });
    const results = await executor.run<SurfaceRowsResult>({ kind: SURFACE_ROWS, shared, jobs }, { onProgress: options.onProgress, signal: options.signal });
    const loss = new Float64Array(xPoints * yPoints).fill(NaN);
    const accuracy = new Float64Array(xPoints * yPoints).fill(NaN);
    for (const res of results) {
      res.rows.forEach((row, k) => {
        loss.set(res.loss.subarray(k * xPoints, (k + 1) * xPoints), row * xPoints);
        accuracy.set(res.accuracy.subarray(k * xPoints, (k + 1) * xPoints), row * xPoints);
      });
    }
    return { x: linspace(xRange[0], xRange[1], xPoints), y: linspace(yRange[0], yRange[1], yPoints), loss, accuracy };
  } finally {
    if (saved) tf.dispose(Object.values(saved));
    if (!options.executor) await executor.close();
  }
}
