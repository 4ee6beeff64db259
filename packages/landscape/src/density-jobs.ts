import { checkNumber, InvalidParameterError } from '@descent/tensor';
import { crossEntropy, modelProblem, quadratureRun, type QuadratureRun, type SpectralDensity } from '@descent/hessian';
import { InProcessExecutor, registerJobHandler, type Executor, type JobHandler, type JobProgress } from './executor';
import { defaultExecutor } from './worker-pool';
import { packModel, unpackModel, type ModelPayload } from './model-payload';
import type { LandscapeProblem } from './evaluate';

/** The job kind that computes runs of stochastic Lanczos quadrature (the Hessian's spectral density). */
export const DENSITY_RUNS = 'hessian.density-runs';

export interface DensityShared extends ModelPayload {
  steps: number;
  seed: number;
}

export interface DensityRunJob {
  run: number;
}

type Context = Awaited<ReturnType<typeof unpackModel>> & { steps: number; seed: number };

const handler: JobHandler<DensityShared, DensityRunJob, QuadratureRun, Context> = {
  async setup(shared) {
    return { ...(await unpackModel(shared)), steps: shared.steps, seed: shared.seed };
  },
  run(ctx, job) {
    const { model, inputs, labels, loss } = ctx.problem;
    return quadratureRun(modelProblem(model, inputs, labels, loss ?? crossEntropy, ctx.variables), { steps: ctx.steps, seed: ctx.seed, run: job.run });
  },
  teardown(ctx) {
    ctx.dispose();
  },
};

/** Registers the density-runs job kind in this thread (idempotent; see registerSurfaceJobs). */
export function registerDensityJobs(): void {
  registerJobHandler(DENSITY_RUNS, handler);
}

export interface ParallelDensityOptions {
  /** Lanczos runs (random starts), each one job (default 1). */
  runs?: number;
  /** Hessian-vector products per run (default 30). */
  steps?: number;
  seed?: number;
  /** Where the runs go (default: `defaultExecutor()`, closed afterwards). */
  executor?: Executor;
  onProgress?: (progress: JobProgress) => void;
  signal?: AbortSignal;
}

/**
 * @descent/hessian's `spectralDensity` with each SLQ run an independent job on an Executor — by
 * default worker threads, each rebuilding the model. Run r starts from `Rng(seed).fork(r)`, so the
 * result equals `spectralDensity(modelProblem(...), { runs, steps, seed })` wherever the runs went.
 * The loss must be second-order safe (default @descent/hessian's `crossEntropy`); a custom
 * `problem.loss` needs the InProcessExecutor.
 */
export async function spectralDensityParallel(problem: LandscapeProblem, options: ParallelDensityOptions = {}): Promise<SpectralDensity> {
  const runs = checkNumber('runs', options.runs ?? 1, { min: 1, integer: true });
  const steps = checkNumber('steps', options.steps ?? 30, { min: 2, integer: true });
  const seed = checkNumber('seed', options.seed ?? 0, { integer: true });
  registerDensityJobs();
  const executor = options.executor ?? defaultExecutor();
  try {
    if (problem.loss && !(executor instanceof InProcessExecutor)) {
      throw new InvalidParameterError('executor', executor.name, 'the InProcessExecutor when problem.loss is custom (functions cannot be sent to worker threads)');
    }
    const shared: DensityShared = { ...packModel(problem), steps, seed };
    const jobs: DensityRunJob[] = Array.from({ length: runs }, (_, run) => ({ run }));
    const results = await executor.run<QuadratureRun>({ kind: DENSITY_RUNS, shared, jobs }, { onProgress: options.onProgress, signal: options.signal });
    return { runs: results };
  } finally {
    if (!options.executor) await executor.close();
  }
}
