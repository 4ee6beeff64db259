import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkNumber, DescentError, InvalidParameterError } from '@descent/tensor';
import { abortError, InProcessExecutor, type Executor, type JobBatch, type RunOptions } from './executor';

/** Messages between the pool and a worker (see grid-worker.ts). */
export type ToWorker = { type: 'setup'; run: number; kind: string; shared: unknown } | { type: 'job'; run: number; index: number; job: unknown } | { type: 'teardown'; run: number };
export type FromWorker =
  | { type: 'ready'; run: number }
  | { type: 'result'; run: number; index: number; result: unknown }
  | { type: 'error'; run: number; name: string; code?: string; message: string; stack?: string };

export interface WorkerData {
  /** Modules every worker imports before its first job, e.g. ones that register custom layers or job handlers. */
  imports: string[];
  /** Imported if installed, ignored if not (default: '@descent/models', for its custom layers). */
  optionalImports: string[];
  backend: 'wasm' | 'cpu';
}

/**
 * Where the worker script is: next to this module in the built package (dist/grid-worker.js for
 * ESM, dist/grid-worker.cjs for CJS). Run from the TypeScript sources (vitest), this module is
 * src/worker-pool.ts and Node cannot run a .ts worker: the pool then uses the package's built
 * dist/grid-worker.js if it exists — which runs the *built* packages, so rebuild after changing
 * sources — and otherwise there is no script (undefined) and `defaultExecutor` runs in-process.
 */
export function gridWorkerScript(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  const candidates = here.endsWith('.cjs') ? [join(dir, 'grid-worker.cjs')] : here.endsWith('.ts') ? [join(dir, '..', 'dist', 'grid-worker.js')] : [join(dir, 'grid-worker.js')];
  return candidates.find((p) => existsSync(p));
}

export interface WorkerPoolOptions {
  /** Number of worker threads (default: the available parallelism). */
  size?: number;
  /** The worker script (default: gridWorkerScript()). */
  script?: string;
  /** Modules each worker imports first (custom layers, more job handlers). */
  imports?: string[];
  /** tfjs backend of the workers (default 'wasm'). */
  backend?: 'wasm' | 'cpu';
}

function transferables(value: unknown, out = new Set<ArrayBuffer>()): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (Array.isArray(value)) value.forEach((v) => transferables(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => transferables(v, out));
  return out;
}

/**
 * An executor on node:worker_threads. Workers start on first use and stay until `close()`
 * (they do not keep the process alive while idle). Each run sends every worker it uses one copy
 * of the shared payload — a structured clone whose ArrayBuffers are transferred, so the caller's
 * arrays stay intact — then hands out jobs one at a time as workers finish (dynamic balancing).
 * A job error, a crashed worker or an abort rejects the run and restarts the workers.
 */
export class WorkerPool implements Executor {
  readonly name = 'worker-threads';
  readonly concurrency: number;
  private readonly script: string;
  private readonly data: WorkerData;
  private workers: Worker[] = [];
  private runs = 0;
  private busy = false;

  constructor(options: WorkerPoolOptions = {}) {
    this.concurrency = checkNumber('size', options.size ?? availableParallelism(), { min: 1, integer: true });
    const script = options.script ?? gridWorkerScript();
    if (!script) {
      throw new DescentError('NO_WORKER_SCRIPT', 'the landscape worker script was not found: build @descent/landscape (dist/grid-worker.js), or use the InProcessExecutor');
    }
    this.script = script;
    const backend = options.backend ?? 'wasm';
    if (backend !== 'wasm' && backend !== 'cpu') throw new InvalidParameterError('backend', backend, "'wasm' or 'cpu'");
    this.data = { imports: options.imports ?? [], optionalImports: ['@descent/models'], backend };
  }

  private spawn(n: number): Worker[] {
    while (this.workers.length < n) this.workers.push(new Worker(this.script, { workerData: this.data }));
    return this.workers.slice(0, n);
  }

  private async reset(): Promise<void> {
    const old = this.workers;
    this.workers = [];
    await Promise.all(old.map((w) => w.terminate()));
  }

  async run<R = unknown>(batch: JobBatch, options: RunOptions = {}): Promise<R[]> {
    if (this.busy) throw new DescentError('EXECUTOR_BUSY', 'this WorkerPool is already running a batch; await it or use another pool');
    const total = batch.jobs.length;
    if (total === 0) return [];
    if (options.signal?.aborted) throw abortError();
    this.busy = true;
    const run = ++this.runs;
    const used = this.spawn(Math.min(this.concurrency, total));
    const results = new Array<R>(total);
    let next = 0;
    let done = 0;
    try {
      return await new Promise<R[]>((resolve, reject) => {
        let settled = false;
        const detach: Array<() => void> = [];
        const finish = (err?: unknown) => {
          if (settled) return;
          settled = true;
          detach.forEach((f) => f());
          used.forEach((w) => w.unref());
          if (err) this.reset().then(() => reject(err), () => reject(err));
          else resolve(results);
        };
        const dispatch = (w: Worker) => {
          if (next < total) {
            const index = next++;
            w.postMessage({ type: 'job', run, index, job: batch.jobs[index] } satisfies ToWorker);
          } else w.postMessage({ type: 'teardown', run } satisfies ToWorker);
        };
        const onAbort = () => finish(abortError());
        options.signal?.addEventListener('abort', onAbort, { once: true });
        detach.push(() => options.signal?.removeEventListener('abort', onAbort));
        for (const w of used) {
          w.ref();
          const onMessage = (m: FromWorker) => {
            if (m.run !== run) return;
            if (m.type === 'error') {
              const e = new DescentError(m.code ?? 'WORKER_JOB_FAILED', `${batch.kind} in a worker thread: ${m.message}`);
              if (m.stack) e.stack = `${e.name}: ${e.message}\n--- in the worker ---\n${m.stack}`;
              finish(e);
            } else if (m.type === 'ready') dispatch(w);
            else if (m.type === 'result') {
              results[m.index] = m.result as R;
              done++;
              options.onProgress?.({ kind: batch.kind, done, total });
              dispatch(w);
              if (done === total) finish();
            }
          };
          const onError = (e: Error) => finish(new DescentError('WORKER_CRASHED', `a worker thread failed: ${e.message}`));
          const onExit = (code: number) => finish(new DescentError('WORKER_EXITED', `a worker thread exited (code ${code}) during ${batch.kind}`));
          w.on('message', onMessage);
          w.on('error', onError);
          w.on('exit', onExit);
          detach.push(() => {
            w.off('message', onMessage);
            w.off('error', onError);
            w.off('exit', onExit);
          });
          // One structured clone per worker; its buffers move instead of being copied again.
          const shared = structuredClone(batch.shared);
          w.postMessage({ type: 'setup', run, kind: batch.kind, shared } satisfies ToWorker, [...transferables(shared)]);
        }
      });
    } finally {
      this.busy = false;
    }
  }

  async close(): Promise<void> {
    await this.reset();
  }
}

/**
 * A worker pool of `workers` threads when the worker script is available and more than one
 * worker is asked for; otherwise the in-process executor. Says which in `name`.
 */
export function defaultExecutor(options: WorkerPoolOptions & { workers?: number } = {}): Executor {
  const size = options.workers ?? options.size ?? availableParallelism();
  checkNumber('workers', size, { min: 1, integer: true });
  const script = options.script ?? gridWorkerScript();
  if (size <= 1 || !script) return new InProcessExecutor();
  return new WorkerPool({ ...options, size, script });
}
