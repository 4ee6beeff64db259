import { DescentError, InvalidParameterError } from '@descent/tensor';

/** Progress of a batch: how many of its jobs are done. */
export interface JobProgress {
  kind: string;
  done: number;
  total: number;
}

export interface RunOptions {
  onProgress?: (progress: JobProgress) => void;
  /** Aborting stops the batch; `run` rejects with a DescentError coded 'ABORTED'. */
  signal?: AbortSignal;
}

/**
 * A batch of independent jobs of one kind. `shared` is the read-only payload every job needs
 * (model, weights, directions, data): an executor hands it to each of its workers once, not per
 * job. Keep it structured-clonable (plain objects, arrays, typed arrays) for executors that leave
 * the process; `run` may transfer — detach — the ArrayBuffers of its typed arrays.
 */
export interface JobBatch<S = unknown, J = unknown> {
  /** A kind registered with `registerJobHandler` (in the worker too: see the pool's `imports`). */
  kind: string;
  shared: S;
  jobs: J[];
}

/**
 * Runs the jobs of a batch, in any order and place, and returns their results in job order.
 * Implementations: `InProcessExecutor` (this thread, one job after another), `WorkerPool`
 * (node:worker_threads); a distributed queue fits the same contract (see docs/scaling.md).
 */
export interface Executor {
  readonly name: string;
  /** How many jobs can run at the same time. */
  readonly concurrency: number;
  run<R = unknown>(batch: JobBatch, options?: RunOptions): Promise<R[]>;
  /** Releases workers or connections; the executor is not used afterwards. */
  close(): Promise<void>;
}

/** What a job kind does: set up from the shared payload once per worker, run jobs, tear down. */
export interface JobHandler<S = any, J = any, R = any, C = any> {
  setup(shared: S): C | Promise<C>;
  run(context: C, job: J): R | Promise<R>;
  teardown?(context: C): void | Promise<void>;
  /** ArrayBuffers of a result that a worker may transfer instead of copying. */
  transfer?(result: R): ArrayBuffer[];
}

const HANDLERS = new Map<string, JobHandler>();

/** Makes a job kind runnable by every executor of this thread (worker threads register their own on import). */
export function registerJobHandler(kind: string, handler: JobHandler): void {
  if (typeof kind !== 'string' || !kind) throw new InvalidParameterError('kind', kind, 'a non-empty string');
  if (!handler || typeof handler.setup !== 'function' || typeof handler.run !== 'function') throw new InvalidParameterError('handler', handler, '{ setup, run, teardown? }');
  HANDLERS.set(kind, handler);
}

export function jobHandler(kind: string): JobHandler {
  const h = HANDLERS.get(kind);
  if (!h) throw new InvalidParameterError('kind', kind, `a registered job kind: ${[...HANDLERS.keys()].join(', ') || 'none registered'}`);
  return h;
}

export function abortError(): DescentError {
  return new DescentError('ABORTED', 'the job batch was aborted');
}

/**
 * Runs every job in this thread, one after another, yielding to the event loop between jobs (so
 * progress can be printed). The payload is passed by reference: functions in it survive, which
 * lets a custom loss reach the handler. For tests, small grids, and where threads are not wanted.
 */
export class InProcessExecutor implements Executor {
  readonly name = 'in-process';
  readonly concurrency = 1;

  async run<R = unknown>(batch: JobBatch, options: RunOptions = {}): Promise<R[]> {
    const handler = jobHandler(batch.kind);
    if (options.signal?.aborted) throw abortError();
    const context = await handler.setup(batch.shared);
    const results: R[] = [];
    try {
      for (const job of batch.jobs) {
        if (options.signal?.aborted) throw abortError();
        results.push((await handler.run(context, job)) as R);
        options.onProgress?.({ kind: batch.kind, done: results.length, total: batch.jobs.length });
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      await handler.teardown?.(context);
    }
    return results;
  }

  async close(): Promise<void> {}
}
