// Shared helpers of the benchmarks: timing, statistics, the Python side, the machine.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

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
