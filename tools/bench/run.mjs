// The benchmark suite in one command: checks (and, as root on Debian, installs) the Python
// references, builds the packages if a dist is missing, runs every case (each times Descent and its
// reference side by side in one run) and writes the generated parts of docs/benchmarks.md: the
// machine and one section per case, between <!-- bench:… --> markers, so the hand-written analysis
// around them stays.
//   npm run bench                       all cases at their default sizes (10 min on an idle 2-core machine)
//   npm run bench -- --quick            smaller sizes, fewer repetitions (a smoke run, ~6 min)
//   npm run bench -- --only=hessian,topology   some cases (by name, see CASES, or number)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const only = argv.find((a) => a.startsWith('--only='))?.slice(7).split(',').filter(Boolean)
  ?? argv.filter((a) => !a.startsWith('--')); // `npm run bench -- hessian` works too

/** The cases of the suite, in the order of the issue. `text`: the script prints plain text (kept in a code block). */
const CASES = [
  { n: 1, name: 'train-epoch', title: 'Training: one MLP epoch (60k FashionMNIST, batch 256, Adam) vs PyTorch', args: ['2'], quickArgs: ['1'], text: true },
  { n: 1, name: 'train-cnn', title: 'Training: CIFAR100CNN on CIFAR-shaped data vs PyTorch', args: [], quickArgs: ['256', '1'] },
  { n: 2, name: 'optimizer-steps', title: 'Optimizer steps vs torch.optim (foreach) and tf.train', args: [], quickArgs: ['--quick'] },
  { n: 3, name: 'hessian', title: 'Hessian: top-1/top-5 eigenvalues and Hutchinson trace vs PyTorch double backprop', args: [], quickArgs: ['1', '10', '10'] },
  { n: 4, name: 'landscape', title: 'Landscape: 41×41 grid on 256 samples vs a PyTorch loop; worker threads', args: ['41', '2'], quickArgs: ['21', '1'], text: true },
  { n: 5, name: 'topology', title: 'Topology: cubical persistence vs GUDHI CubicalComplex', args: ['3', '256,512,1024', '', '200,1000'], quickArgs: ['3', '256,512', '', '200'] },
  { n: 6, name: 'wavelet', title: 'Wavelets: wavedec2 1024² and CWT 4096 vs PyWavelets', args: ['9'], quickArgs: ['3'] },
  { n: 7, name: 'spectrum', title: 'Spectrum: SVD-based metrics vs NumPy/SciPy', args: ['512', '1024', '2048'], quickArgs: ['512', '1024'] },
  { n: 8, name: 'memory', title: 'Memory: optimizer state bytes per parameter and peak RSS', args: ['10m'], quickArgs: ['284k'] },
];

const PY = '/usr/bin/python3';
const PY_MODULES = 'torch, pywt, gudhi, numpy, scipy, sklearn';
const DEBIAN_PACKAGES = ['python3-torch', 'python3-pywt', 'python3-gudhi', 'python3-scipy', 'python3-sklearn', 'python3-numpy', 'dataset-fashion-mnist'];

function pythonReady() {
  return existsSync(PY) && spawnSync(PY, ['-c', `import ${PY_MODULES}`], { stdio: 'ignore' }).status === 0;
}

/** The references come from Debian: install them when we may (root), else say what to run. */
function ensurePython() {
  if (pythonReady() && existsSync('/usr/share/datasets/fashion-mnist')) return;
  const command = `apt-get install -y ${DEBIAN_PACKAGES.join(' ')}`;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    process.stderr.write(`bench: installing the Python references and FashionMNIST from Debian: ${command}\n`);
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', ...DEBIAN_PACKAGES], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (pythonReady()) return;
  }
  process.stderr.write(
    `bench: the references need ${PY} with ${PY_MODULES} (and FashionMNIST in /usr/share/datasets/fashion-mnist).\n` +
      `On Debian/Ubuntu run as root:  sudo ${command}\nthen run \`npm run bench\` again.\n`,
  );
  process.exit(2);
}

/** Builds the workspace when any package the cases import has no dist yet. */
function ensureBuilt() {
  const needed = ['native-blas', 'tensor', 'registry', 'datasets', 'models', 'train', 'landscape', 'hessian', 'topology', 'wavelet', 'spectrum', 'optim-adam', 'optim-sgd', 'optim-lion', 'optim-sophia'];
  const missing = needed.filter((p) => !existsSync(join(root, 'packages', p, 'dist', 'index.js')));
  if (missing.length === 0) return;
  process.stderr.write(`bench: no build of ${missing.join(', ')}: npm run build\n`);
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], { cwd: root, stdio: 'inherit' });
}

function versions() {
  const py = spawnSync(PY, ['-c', 'import json, torch, pywt, gudhi, numpy, scipy; print(json.dumps({"torch": torch.__version__, "pywt": pywt.__version__, "gudhi": gudhi.__version__, "numpy": numpy.__version__, "scipy": scipy.__version__, "torchThreads": torch.get_num_threads()}))'], { encoding: 'utf8' });
  let v = {};
  try {
    v = JSON.parse(py.stdout.trim());
  } catch {}
  let tfjs = '?';
  try {
    tfjs = JSON.parse(readFileSync(join(root, 'node_modules/@tensorflow/tfjs-core/package.json'), 'utf8')).version;
  } catch {}
  return { ...v, tfjs, node: process.version };
}

/** Markdown of a script's stdout: tables as they are, every other line its own paragraph. */
function asMarkdown(out, text) {
  if (text) return '```\n' + out.trim() + '\n```';
  const blocks = [];
  for (const line of out.trim().split('\n')) {
    const table = line.startsWith('|');
    const last = blocks.at(-1);
    if (table && last?.table) last.lines.push(line);
    else if (line.trim()) blocks.push({ table, lines: [line] });
  }
  return blocks.map((b) => b.lines.join('\n')).join('\n\n');
}

function replaceBetween(doc, key, body) {
  const start = `<!-- bench:${key}:start -->`;
  const end = `<!-- bench:${key}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) return doc.slice(0, i) + block + doc.slice(j + end.length);
  return `${doc.trimEnd()}\n\n${block}\n`;
}

const selected = CASES.filter((c) => !only.length || only.some((o) => c.name.startsWith(o) || String(c.n) === o));
if (selected.length === 0) {
  process.stderr.write(`bench: no case matches ${only.join(', ')}; cases: ${CASES.map((c) => c.name).join(', ')}\n`);
  process.exit(2);
}
ensurePython();
ensureBuilt();
const { writeFileAtomic } = await import('@descent/train');
const { OPENBLAS_CORETYPE } = await import('./lib.mjs'); // sets it in process.env for every case

const load0 = loadavg();
const started = new Date();
const v = versions();
const sections = [];
for (const c of selected) {
  const args = quick ? c.quickArgs : c.args;
  const command = `node tools/bench/${c.name}.mjs ${args.map((a) => (a === '' ? "''" : a)).join(' ')}`.trim();
  const l = loadavg();
  const t0 = Date.now();
  process.stderr.write(`bench: case ${c.n} ${c.name} (${command}) ...\n`);
  const r = spawnSync(process.execPath, [join(here, `${c.name}.mjs`), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  const seconds = ((Date.now() - t0) / 1000).toFixed(0);
  const ok = r.status === 0;
  const out = ok ? r.stdout : `FAILED (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}):\n${r.stdout ?? ''}${r.error ? String(r.error) : ''}`;
  sections.push({
    key: `case-${c.name}`,
    body: `### ${c.n}. ${c.title}\n\nCommand: \`${command}\` (took ${seconds} s; started ${new Date(t0).toISOString().slice(0, 16)}Z, load average ${l.map((x) => x.toFixed(1)).join(' ')})\n\n${asMarkdown(out, !ok || c.text)}\n`,
  });
  process.stderr.write(`bench: ${c.name} ${ok ? 'done' : 'FAILED'} in ${seconds} s\n`);
}

const c0 = cpus();
const machineBlock = `Machine: ${c0.length} cores × ${c0[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average (1, 5, 15 min) at the start: ${load0.map((x) => x.toFixed(2)).join(', ')}.
Software: Node ${v.node}, TensorFlow.js ${v.tfjs} (wasm backend unless a case says otherwise), PyTorch ${v.torch ?? '?'} (CPU), PyWavelets ${v.pywt ?? '?'}, GUDHI ${v.gudhi ?? '?'}, NumPy ${v.numpy ?? '?'}, SciPy ${v.scipy ?? '?'} (Debian packages, /usr/bin/python3).
Reference setting: PyTorch at its best setting on this machine, \`torch.set_num_threads(1)\` with OpenBLAS's own threads, unless a row says otherwise; OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE ?? '(unset)'} for every OpenBLAS user (PyTorch, NumPy, Descent's native path: tools/bench/lib.mjs says why).
Run: \`npm run bench${quick ? ' -- --quick' : ''}${only.length ? ` -- --only=${only.join(',')}` : ''}\` on ${started.toISOString().slice(0, 16)}Z, ${((Date.now() - started.getTime()) / 60000).toFixed(1)} min${quick ? ' (QUICK: reduced sizes)' : ''}.`;

const path = join(root, 'docs', 'benchmarks.md');
let doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
// A partial run leaves the machine block of the last full run; its sections carry their own date and load.
if (!only.length) doc = replaceBetween(doc, 'machine', machineBlock);
for (const s of sections) doc = replaceBetween(doc, s.key, s.body);
writeFileAtomic(path, doc);
process.stderr.write(`bench: wrote docs/benchmarks.md (${sections.length} case${sections.length === 1 ? '' : 's'})\n`);
