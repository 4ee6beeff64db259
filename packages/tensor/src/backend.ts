import * as tf from './tf';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { installFastMatMul } from './fast-matmul';
import { installWasmGradients } from './wasm-gradients';
import { installNativeKernels, type NativeStatus } from './native-kernels';
import { InvalidParameterError } from './errors';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
const CHOICES: BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

export interface BackendAttempt {
  name: string;
  ok: boolean;
  reason: string;
}

export interface BackendReport {
  /** The tfjs backend now active: 'tensorflow', 'wasm' or 'cpu'. */
  backend: string;
  requested: BackendChoice;
  /** Every candidate tried, in order, with why it was taken or passed over. */
  attempts: BackendAttempt[];
  /** Whether Descent's faster matMul kernels are installed on this backend. */
  fastMatMul: boolean;
  /**
   * Which matMul kernels run: 'native' (OpenBLAS on the wasm heap, @descent/native-blas),
   * 'wasm-fast' (the wasm kernels with explicit transposes), or 'backend' (the backend's own).
   */
  matMulPath: 'native' | 'wasm-fast' | 'backend';
  /** Whether the optional native path is active, and why (or why not). DESCENT_NATIVE=0 opts out. */
  native: NativeStatus;
}

async function tryNode(pkg: string): Promise<BackendAttempt> {
  try {
    await import(pkg);
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    const missing = /Cannot find (module|package)|ERR_MODULE_NOT_FOUND|Could not resolve|Failed to load url/.test(msg);
    return { name: pkg, ok: false, reason: missing ? 'not installed (optional peer dependency)' : `failed to load: ${msg.split('\n')[0]}` };
  }
  const ok = await tf.setBackend('tensorflow');
  return { name: pkg, ok, reason: ok ? 'native TensorFlow (libtensorflow) loaded' : 'loaded, but the tensorflow backend did not initialise' };
}

async function trySimple(name: 'wasm' | 'cpu'): Promise<BackendAttempt> {
  try {
    // The cpu backend greets Node users with a banner suggesting tfjs-node; the report says it better.
    const warn = console.warn;
    let ok: boolean;
    try {
      console.warn = () => {};
      ok = await tf.setBackend(name);
      if (ok) tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)));
    } finally {
      console.warn = warn;
    }
    return { name, ok, reason: ok ? (name === 'wasm' ? 'WebAssembly with SIMD, bundled in @tensorflow/tfjs-backend-wasm' : 'pure JavaScript fallback') : 'did not initialise' };
  } catch (e) {
    return { name, ok: false, reason: `failed: ${(e as Error).message}` };
  }
}

/**
 * Selects the compute backend. 'auto' tries @tensorflow/tfjs-node-gpu, then @tensorflow/tfjs-node
 * (both optional; loaded only where installed), then wasm, then cpu, and reports each attempt.
 * `DESCENT_BACKEND` in the environment overrides 'auto'.
 */
export async function useBackend(choice: BackendChoice = 'auto'): Promise<BackendReport> {
  if (!CHOICES.includes(choice)) throw new InvalidParameterError('backend', choice, CHOICES.join(', '));
  const env = process.env.DESCENT_BACKEND as BackendChoice | undefined;
  if (choice === 'auto' && env && env !== 'auto') {
    if (!CHOICES.includes(env)) throw new InvalidParameterError('DESCENT_BACKEND', env, CHOICES.join(', '));
    choice = env;
  }
  const plan: Array<() => Promise<BackendAttempt>> =
    choice === 'auto'
      ? [() => tryNode('@tensorflow/tfjs-node-gpu'), () => tryNode('@tensorflow/tfjs-node'), () => trySimple('wasm'), () => trySimple('cpu')]
      : choice === 'tensorflow'
        ? [() => tryNode('@tensorflow/tfjs-node-gpu'), () => tryNode('@tensorflow/tfjs-node')]
        : [() => trySimple(choice as 'wasm' | 'cpu')];
  const attempts: BackendAttempt[] = [];
  for (const attempt of plan) {
    const a = await attempt();
    attempts.push(a);
    if (a.ok) break;
  }
  if (!attempts.some((a) => a.ok)) {
    throw new InvalidParameterError('backend', choice, `an available backend; tried: ${attempts.map((a) => `${a.name} (${a.reason})`).join('; ')}`);
  }
  const backend = tf.getBackend();
  const fastMatMul = backend === 'wasm' ? (installFastMatMul('wasm'), true) : false;
  if (backend === 'wasm') installWasmGradients('wasm');
  const native: NativeStatus = backend === 'wasm' ? await installNativeKernels('wasm') : { active: false, reason: `only for the wasm backend (${backend} is active)` };
  const matMulPath = native.active ? 'native' : fastMatMul ? 'wasm-fast' : 'backend';
  current = { backend, requested: choice, attempts, fastMatMul, matMulPath, native };
  return current;
}

let current: BackendReport | undefined;
let pending: Promise<BackendReport> | undefined;

/** Selects the automatic backend once; later calls return the same report. */
export function ready(): Promise<BackendReport> {
  if (current) return Promise.resolve(current);
  pending ??= useBackend('auto');
  return pending;
}

/** The last report of `useBackend`, if one ran. */
export function backendReport(): BackendReport | undefined {
  return current;
}

/** One line for logs: the backend and which matMul path runs, e.g. "wasm, matMul: native OpenBLAS". */
export function describeBackend(report: BackendReport): string {
  const path =
    report.matMulPath === 'native'
      ? 'native OpenBLAS'
      : report.matMulPath === 'wasm-fast'
        ? `wasm with explicit transposes${report.native.reason ? ` (native path off: ${report.native.reason})` : ''}`
        : 'the backend\'s own';
  return `${report.backend}, matMul: ${path}`;
}
