// Compiles native/*.c (descent_blas.c holds the module; util.c, elementwise.c, conv.c) into build/descent_blas.node when a C compiler, Node's headers
// and OpenBLAS (Debian: libopenblas-dev) are present. Otherwise prints one line and exits 0:
// the addon is optional and @descent/tensor falls back to the wasm path. Never fails the build.
//
// usage: node scripts/build-native.mjs [--force]
// env:   DESCENT_NATIVE_BUILD=0 skips; CC picks the compiler; DESCENT_BLAS_CFLAGS / DESCENT_BLAS_LIBS
//        add include / link flags (e.g. "-I/opt/openblas/include", "-L/opt/openblas/lib -lopenblas").
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(pkg, 'native');
const sources = readdirSync(nativeDir).filter((f) => f.endsWith('.c')).sort().map((f) => join(nativeDir, f));
const newestSource = () => Math.max(...readdirSync(nativeDir).map((f) => statSync(join(nativeDir, f)).mtimeMs));
const outDir = join(pkg, 'build');
const out = join(outDir, 'descent_blas.node');
const say = (msg) => console.log(`@descent/native-blas: ${msg}`);

function nodeHeaders() {
  const candidates = [
    process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include', 'node'),
    join(dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
    join(homedir(), '.cache', 'node-gyp', process.versions.node, 'include', 'node'),
  ].filter(Boolean);
  return candidates.find((dir) => existsSync(join(dir, 'node_api.h')));
}

function compiler() {
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean)) {
    const r = spawnSync(cc, ['--version'], { stdio: 'ignore' });
    if (r.status === 0) return cc;
  }
  return undefined;
}

function main() {
  if (process.env.DESCENT_NATIVE_BUILD === '0') return say('skipped (DESCENT_NATIVE_BUILD=0); the wasm fallback will be used');
  if (process.platform === 'win32') return say('no build recipe for Windows yet; the wasm fallback will be used');
  const force = process.argv.includes('--force');
  if (!force && existsSync(out) && statSync(out).mtimeMs >= newestSource()) return say(`up to date (${out})`);
  const cc = compiler();
  if (!cc) return say('no C compiler (cc, gcc, clang) found; the wasm fallback will be used');
  const headers = nodeHeaders();
  if (!headers) return say("Node's headers (node_api.h) not found; the wasm fallback will be used");
  // A portable baseline: no -march=native (OpenBLAS dispatches on the CPU at run time).
  const cflags = ['-O3', '-fno-math-errno', '-fPIC', '-shared', '-std=c11', '-pthread', `-I${headers}`, '-I/usr/include/openblas', '-I/usr/local/opt/openblas/include', '-I/opt/homebrew/opt/openblas/include'];
  const libs = ['-lopenblas', '-lm', '-lpthread'];
  if (process.platform === 'darwin') cflags.push('-undefined', 'dynamic_lookup', '-L/usr/local/opt/openblas/lib', '-L/opt/homebrew/opt/openblas/lib');
  const extra = (name) => (process.env[name] ?? '').split(/\s+/).filter(Boolean);
  mkdirSync(outDir, { recursive: true });
  const tmp = join(outDir, `descent_blas.${process.pid}.tmp.node`);
  const r = spawnSync(cc, [...cflags, ...extra('DESCENT_BLAS_CFLAGS'), ...sources, '-o', tmp, ...extra('DESCENT_BLAS_LIBS'), ...libs], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    const why = /cblas\.h/.test(r.stderr ?? '') ? 'cblas.h not found (install libopenblas-dev)' : /-lopenblas|openblas/.test(r.stderr ?? '') ? 'libopenblas not found (install libopenblas-dev)' : `${cc} failed: ${(r.stderr ?? r.error?.message ?? '').split('\n').find((l) => l.trim()) ?? 'unknown error'}`;
    return say(`not built: ${why}; the wasm fallback will be used`);
  }
  // Smoke test in a child process: load the addon and multiply 2x2 matrices on a wasm memory.
  const check = spawnSync(process.execPath, ['-e', `
    const a = require(${JSON.stringify(tmp)});
    const buf = new WebAssembly.Memory({ initial: 1 }).buffer, f = new Float32Array(buf);
    f.set([1, 2, 3, 4, 5, 6, 7, 8]);
    a.sgemm(buf, false, false, 2, 2, 2, 1, 0, 16, 0, 32, 1, 0, 0, 0, -1, 0, 0, 0);
    if (String(Array.from(f.subarray(8, 12))) !== '19,22,43,50') throw new Error('wrong product ' + f.subarray(8, 12));
  `], { encoding: 'utf8' });
  if (check.status !== 0) {
    rmSync(tmp, { force: true });
    return say(`built, but it does not load or compute correctly (${(check.stderr ?? '').split('\n').find((l) => /Error/.test(l)) ?? 'unknown'}); the wasm fallback will be used`);
  }
  renameSync(tmp, out);
  say(`built ${out} (${cc}, OpenBLAS)`);
}

try {
  main();
} catch (e) {
  say(`not built: ${e?.message ?? e}; the wasm fallback will be used`);
}
