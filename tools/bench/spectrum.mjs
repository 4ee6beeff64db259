// @descent/spectrum against NumPy/SciPy on the same float32 matrices, in one run.
// Run from the repository root (sources, no build):
//   npx vite-node --config vitest.config.ts tools/bench/spectrum.mjs [sizes…]
// or, after `npx tsup` in packages/tensor and packages/spectrum: node tools/bench/spectrum.mjs [sizes…]
// Default sizes 512 1024 2048 4096 (square Gaussian, std 1/√n: a freshly initialised layer, the
// flat-spectrum worst case for iterative solvers); above FULL_MAX (env, default 2048) only the top
// of the spectrum is timed. Each timing is the median of REPS runs (env, default 3).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { Matrix, SVD, EigenvalueDecomposition } from 'ml-matrix';
import { Rng, tf, useBackend } from '@descent/tensor';
import { weightSpectrum, singularValues, spectralNorm } from '@descent/spectrum';

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
if (sizes.length === 0) sizes.push(512, 1024, 2048, 4096);
const FULL_MAX = Number(process.env.FULL_MAX ?? 2048);
const REPS = Number(process.env.REPS ?? 3);
const ML_MATRIX_MAX = Number(process.env.ML_MATRIX_MAX ?? 1024); // ml-matrix is ~2.5× slower: skip above
const PY = '/usr/bin/python3';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Wall time and CPU time of this (single-threaded) process, medians. On a shared, loaded machine
// the CPU time is the better estimate of the wall time on an idle one.
function time(fn, reps = REPS) {
  const ms = [];
  const cpu = [];
  let out;
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    out = fn();
    ms.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { ms: median(ms), cpu: median(cpu), out };
}

const PYTHON = String.raw`
import json, sys, time
import numpy as np
import scipy, scipy.sparse.linalg as sla
path, n, reps, full = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == '1'
w32 = np.fromfile(path, dtype=np.float32).reshape(n, n)
w64 = w32.astype(np.float64)
def med(f):
    ts, cs = [], []
    for _ in range(reps):
        c0 = time.process_time(); t0 = time.perf_counter(); out = f()
        ts.append((time.perf_counter() - t0) * 1000); cs.append((time.process_time() - c0) * 1000)
    return dict(ms=float(np.median(ts)), cpu=float(np.median(cs))), out
def metrics(s, m, n, eps):
    tol = s[0] * max(m, n) * eps
    p = s / s.sum()
    return dict(cond='Infinity' if s[-1] <= tol else float(s[0] / s[-1]), erank=float(np.exp(-np.sum(p * np.log(p)))),
                cum=int(np.sum(np.cumsum(s) / s.sum() < 0.95)), stable=float(np.sum(s * s) / s[0] ** 2), rank=int(np.sum(s > tol)))
v0 = np.ones(n) / np.sqrt(n)
ts1, top1 = med(lambda: sla.svds(w64, k=1, v0=v0, return_singular_vectors=False))
ts10, top10 = med(lambda: np.sort(sla.svds(w64, k=10, v0=v0, return_singular_vectors=False))[::-1])
if full:
    t64, s64 = med(lambda: np.linalg.svd(w64, compute_uv=False))
    t32, s32 = med(lambda: np.linalg.svd(w32, compute_uv=False))
    m = metrics(s64, n, n, float(np.finfo(np.float32).eps))
else:
    t64 = t32 = None; s64 = np.sort(sla.svds(w64, k=10, v0=v0, tol=0, return_singular_vectors=False))[::-1]; s32 = s64; m = None
print(json.dumps(dict(numpy=np.__version__, scipy=scipy.__version__, svd64=t64, svd32=t32, svds1=ts1, svds10=ts10,
                      s64=[float(x) for x in s64], s32=[float(x) for x in s32], m=m)))
`;

await useBackend('wasm');
const baseline = tf.memory().numTensors;
{
  // Warm the JIT on a small matrix so that the first size is not charged for compilation.
  const w = tf.tidy(() => new Rng('warm-up').randomNormal([96, 96]));
  for (let i = 0; i < 3; i++) {
    weightSpectrum(w);
    spectralNorm(w, { method: 'randomized' });
    singularValues(w, { k: 10, method: 'randomized' });
  }
  w.dispose();
}
const dir = mkdtempSync(join(tmpdir(), 'spectrum-bench-'));
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}, median of ${REPS}`);
const rows = [];
try {
  for (const n of sizes) {
    const rng = new Rng(`bench-${n}`);
    const values = new Float32Array(n * n);
    for (let i = 0; i < values.length; i++) values[i] = rng.normal() / Math.sqrt(n);
    const file = join(dir, `w${n}.f32`);
    writeFileSync(file, Buffer.from(values.buffer));
    const withFull = n <= FULL_MAX;
    const py = spawnSync(PY, ['-c', PYTHON, file, String(n), String(REPS), withFull ? '1' : '0'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (py.status !== 0) throw new Error(py.stderr);
    const ref = JSON.parse(py.stdout);

    const w = tf.tensor2d(values, [n, n]);
    const full = withFull ? time(() => weightSpectrum(w)) : { ms: NaN, cpu: NaN, out: undefined };
    const top1 = time(() => spectralNorm(w, { method: 'randomized' }));
    const top10 = time(() => singularValues(w, { k: 10, method: 'randomized' }));
    w.dispose();
    let ml = { ms: NaN, cpu: NaN };
    let gram = { ms: NaN, cpu: NaN };
    if (n <= ML_MATRIX_MAX) {
      const x = new Matrix(n, n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) x.set(i, j, values[i * n + j]);
      ml = time(() => new SVD(x, { computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal);
      gram = time(() => new EigenvalueDecomposition(x.transpose().mmul(x), { assumeSymmetric: true }).realEigenvalues);
    }
    const err1 = Math.abs(top1.out - ref.s64[0]) / ref.s64[0];
    const err10 = Math.max(...Array.from(top10.out, (v, i) => Math.abs(v - ref.s64[i]) / ref.s64[i]));
    let errFull = NaN;
    let metricsAgree = false;
    if (full.out) {
      const s = full.out.singularValues;
      errFull = Math.max(...Array.from(s, (v, i) => Math.abs(v - ref.s64[i]) / ref.s64[0]));
      metricsAgree =
        (ref.m.cond === 'Infinity' ? full.out.condition === Infinity : Math.abs(full.out.condition - ref.m.cond) / ref.m.cond < 1e-8) &&
        Math.abs(full.out.effectiveRank - ref.m.erank) / ref.m.erank < 1e-10 &&
        full.out.cumulativeRank === ref.m.cum &&
        full.out.numericalRank === ref.m.rank;
    }
    rows.push({ n, full, ml, gram, ref, top1, top10, errFull, err1, err10, metricsAgree });
    console.log(`${n}² done`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const sec = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const f = (t) => (t == null || Number.isNaN(t.ms) ? '—' : `${sec(t.ms)} (${sec(t.cpu)})`);
const x = (a, b) => `${(a.cpu / b.cpu).toFixed(1)}×`;
console.log(`\nWall time (CPU time) of each call. All singular values + every metric (NumPy ${rows[0]?.ref.numpy}, SciPy ${rows[0]?.ref.scipy}; NumPy runs LAPACK gesdd on OpenBLAS threads, whose CPU time adds up):\n`);
console.log('| matrix | Descent `weightSpectrum` | ml-matrix SVD (values only) | ml-matrix Gram + EVD | NumPy `svd` float64 | NumPy `svd` float32 | Descent / NumPy f64 (CPU) | max \\|Δσ\\|/σ₁ vs NumPy f64 | metrics equal |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows.filter((r) => !Number.isNaN(r.full.ms))) {
  console.log(`| ${r.n}² | ${f(r.full)} | ${f(r.ml)} | ${f(r.gram)} | ${f(r.ref.svd64)} | ${f(r.ref.svd32)} | ${x(r.full, r.ref.svd64)} | ${r.errFull.toExponential(1)} | ${r.metricsAgree ? 'yes' : 'NO'} |`);
}
console.log('\nTop of the spectrum (randomised block Krylov, tol 1e-9) against SciPy `svds` (ARPACK, float64; above FULL_MAX the reference values are `svds` with tol 0):\n');
console.log('| matrix | Descent σ₁ | SciPy `svds` k=1 | ratio (CPU) | rel. error σ₁ | Descent top 10 | SciPy `svds` k=10 | ratio (CPU) | max rel. error top 10 |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.n}² | ${f(r.top1)} | ${f(r.ref.svds1)} | ${x(r.top1, r.ref.svds1)} | ${r.err1.toExponential(1)} | ${f(r.top10)} | ${f(r.ref.svds10)} | ${x(r.top10, r.ref.svds10)} | ${r.err10.toExponential(1)} |`);
}
console.log(`\nload average after: ${loadavg().map((v) => v.toFixed(1)).join(' ')}; tensors left by the bench: ${tf.memory().numTensors - baseline}`);
