// Shared helpers of the benchmarks: timing, statistics, the Python side, the machine.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { openblasCoreTypeHint } from '@descent/native-blas';

/**
 * Debian's OpenBLAS 0.3.21 does not know some recent CPUs and falls back to its slowest kernels
 * (it calls a Sapphire Rapids VM "Prescott"). @descent/native-blas forces the right core type for
 * its own OpenBLAS; the references (PyTorch and NumPy use the same libopenblas) get the same fix
 * here, so both sides run at their best: measured on such a machine, a PyTorch MLP epoch takes
 * 1.2 s with it and 1.9 s without.
 */
export const OPENBLAS_CORETYPE = process.env.OPENBLAS_CORETYPE ?? openblasCoreTypeHint();
if (OPENBLAS_CORETYPE !== undefined) process.env.OPENBLAS_CORETYPE = OPENBLAS_CORETYPE;

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median and spread (min–max) of seconds. */
export function summary(times) {
  return { median: median(times), min: Math.min(...times), max: Math.max(...times), reps: times.length };
}

export function fmt(s) {
  return s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(1)} ms`;
}

/** Runs a Python reference script with Debian's python (which sees torch, pywt, gudhi) and parses its JSON. */
export function python(script, args = [], env = {}) {
  const out = execFileSync('/usr/bin/python3', [script, ...args.map(String)], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  return JSON.parse(out.trim().split('\n').pop());
}

export function machine() {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}
