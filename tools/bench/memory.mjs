// Case 8, memory: for each Descent optimizer, the optimizer-state bytes per parameter
// (stateBytes of the live state) and the peak RSS of a fresh process that holds 10,010,000
// parameters and their gradients and takes 3 steps; beside torch.optim's state bytes and peak
// RSS in the same set-up (optimizer_steps_torch.py --memory). Each optimizer runs in its own
// process so that the peak is its own.
// usage: node tools/bench/memory.mjs [size=10m|284k]   (needs `npm run build`)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { loadavg } from 'node:os';
import { fmt, machine } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const TORCH = ['sgd', 'adam', 'adamw', 'adagrad', 'rmsprop', 'adadelta', 'adamax', 'nadam', 'radam'];
const child = process.argv.find((a) => a.startsWith('--child='))?.split('=')[1];
const mib = (b) => `${(b / 2 ** 20).toFixed(0)} MiB`;

if (child) {
  // One optimizer, one process: report what it holds and the process' peak.
  const { useBackend, tf, toTfOptimizer, stateBytes } = await import('@descent/tensor');
  const { optimizerPlugins, makeParams, CONFIGS } = await import('./optimizer-steps.mjs');
  const size = process.argv.find((a) => a.startsWith('--size='))?.split('=')[1] ?? '10m';
  await useBackend('auto');
  const plugins = await optimizerPlugins();
  const p = makeParams(size);
  const params = Object.values(p.vars).reduce((a, v) => a + v.size, 0);
  const rssBefore = process.resourceUsage().maxRSS * 1024;
  const opt = toTfOptimizer(plugins[child].create(CONFIGS[child] ?? {}), { nonFinite: 'ignore' });
  for (let i = 0; i < 3; i++) opt.applyGradients(p.grads);
  p.sync();
  console.log(JSON.stringify({ id: child, params, stateBytes: stateBytes(opt.getState()), maxRss: process.resourceUsage().maxRSS * 1024, rssBeforeOptimizer: rssBefore, tfBytes: tf.memory().numBytes }));
  process.exit(0);
}

const size = process.argv[2] ?? '10m';
const load0 = loadavg();
const { optimizerPlugins } = await import('./optimizer-steps.mjs');
const ids = Object.keys(await optimizerPlugins());
const rows = [];
for (const id of ids) {
  const t0 = performance.now();
  const d = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), `--child=${id}`, `--size=${size}`], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split('\n').pop());
  let t;
  if (TORCH.includes(id)) t = JSON.parse(execFileSync('/usr/bin/python3', [join(here, 'optimizer_steps_torch.py'), '--memory', id, size], { encoding: 'utf8' }).trim().split('\n').pop());
  rows.push({ id, d, t });
  process.stderr.write(`  memory ${id}: ${mib(d.maxRss)} (${fmt((performance.now() - t0) / 1000)})\n`);
}
console.log(machine());
console.log(`load average (1, 5, 15 min) at the start: ${load0.map((v) => v.toFixed(2)).join(', ')}; at the end: ${loadavg().map((v) => v.toFixed(2)).join(', ')}`);
console.log(`Memory: ${rows[0].d.params.toLocaleString('en')} float32 parameters and as many gradients, 3 steps; one process per optimizer (Descent: Node + tfjs wasm, whose heap only grows; PyTorch ${'1.13'}: /usr/bin/python3). "before" = peak RSS with parameters and gradients, before the optimizer.`);
console.log('');
console.log('| optimizer | state bytes/param Descent | torch.optim | peak RSS Descent (before) | peak RSS PyTorch (before) |');
console.log('|---|---:|---:|---:|---:|');
for (const { id, d, t } of rows) {
  console.log(`| ${id} | ${(d.stateBytes / d.params).toFixed(2)} | ${t ? (t.stateBytes / t.params).toFixed(2) : '—'} | ${mib(d.maxRss)} (${mib(d.rssBeforeOptimizer)}) | ${t ? `${mib(t.maxRss)} (${mib(t.rssBeforeOptimizer)})` : '—'} |`);
}
