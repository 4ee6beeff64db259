/**
 * The worker-thread entry of WorkerPool (built to dist/grid-worker.js and .cjs). It imports the
 * requested modules (custom layers, extra job handlers), selects the tfjs backend, then serves
 * setup / job / teardown messages one at a time with the registered job handlers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { useBackend } from '@descent/tensor';
import { jobHandler, type JobHandler } from './executor';
import type { FromWorker, ToWorker, WorkerData } from './worker-pool';
import { registerSurfaceJobs } from './grid-jobs';
import { registerDensityJobs } from './density-jobs';

const port = parentPort;
if (!port) throw new Error('grid-worker.js runs as a worker thread of WorkerPool');
const data = workerData as WorkerData;
registerSurfaceJobs();
registerDensityJobs();

async function init(): Promise<void> {
  for (const m of data.optionalImports) {
    try {
      await import(m);
    } catch {
      // Not installed: its classes are then simply not available.
    }
  }
  for (const m of data.imports) await import(m);
  await useBackend(data.backend);
}

let current: { run: number; handler: JobHandler; context: unknown } | undefined;

async function handle(m: ToWorker): Promise<void> {
  if (m.type === 'setup') {
    const handler = jobHandler(m.kind);
    current = { run: m.run, handler, context: await handler.setup(m.shared) };
    post({ type: 'ready', run: m.run });
  } else if (m.type === 'job') {
    if (!current || current.run !== m.run) throw new Error(`job for run ${m.run} without its setup`);
    const result = await current.handler.run(current.context, m.job);
    post({ type: 'result', run: m.run, index: m.index, result }, current.handler.transfer?.(result) ?? []);
  } else if (m.type === 'teardown') {
    if (current && current.run === m.run) {
      const { handler, context } = current;
      current = undefined;
      await handler.teardown?.(context);
    }
  }
}

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

// A failed init fails every message (each reports the init error).
const ready = init();
ready.catch(() => undefined);
let chain: Promise<void> = Promise.resolve();
port.on('message', (m: ToWorker) => {
  chain = chain
    .then(async () => {
      await ready;
      await handle(m);
    })
    .catch((e: Error & { code?: string }) => {
      post({ type: 'error', run: m.run, name: e?.name ?? 'Error', code: e?.code, message: e?.message ?? String(e), stack: e?.stack });
    });
});
