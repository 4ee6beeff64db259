// Case 2, optimizer steps: one step of every registered Descent optimizer (the @descent/optim-*
// plugins, through toTfOptimizer(...).applyGradients on tfjs variables, as the training loop
// uses them) on 283,914 parameters (the ReLU SimpleNetwork's shapes) and on 10,010,000 (ten
// 1000×1000 layers with biases), against torch.optim with foreach=True (torch 1.13:
// SGD, Adam, AdamW, Adagrad, RMSprop, Adadelta, Adamax, NAdam, RAdam) and against tfjs' own
// optimizers (tf.train.*) on the same backend. Gradients are fixed random tensors; only the
// step is timed: warm-up steps, then the median (min–max) of the timed ones.
// usage: node tools/bench/optimizer-steps.mjs [--quick] [--sizes=284k,10m] [--only=adam,sgd]
//   (needs `npm run build`; the reference needs /usr/bin/python3 with python3-torch)
// The finiteness check of the training loop (one readback per step) is off here
// (nonFinite: 'ignore'): this is the optimizer's own cost.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { loadavg } from 'node:os';
import { useBackend, tf, toTfOptimizer, stateBytes } from '@descent/tensor';
import { isPlugin } from '@descent/registry';
import { summary, python, fmt, machine } from './lib.mjs';

export const OPTIM_PACKAGES = ['sgd', 'adam', 'adagrad', 'rmsprop', 'adadelta', 'adamax', 'nadam', 'radam', 'lion', 'sophia', 'adafactor', 'lamb', 'lars', 'adabelief'];

/** The same hyperparameters as optimizer_steps_torch.py gives torch.optim (defaults otherwise). */
export const CONFIGS = {
  sgd: { lr: 0.01, momentum: 0.9 },
  'sgd-book': { lr: 0.01, momentum: 0.9 },
  adam: { lr: 1e-3 },
  adamw: { lr: 1e-3, weightDecay: 0.01 },
  adagrad: { lr: 0.01 },
  rmsprop: { lr: 0.01, alpha: 0.99, eps: 1e-8 },
  adadelta: { lr: 1, rho: 0.9, eps: 1e-6 },
  adamax: { lr: 2e-3 },
  nadam: { lr: 2e-3 },
  radam: { lr: 1e-3 },
};

/** tfjs' own optimizer for the same update, where tfjs has one. */
const TFJS = {
  sgd: () => tf.train.momentum(0.01, 0.9),
  adam: () => tf.train.adam(1e-3, 0.9, 0.999, 1e-8),
  adagrad: () => tf.train.adagrad(0.01, 0),
  rmsprop: () => tf.train.rmsprop(0.01, 0.99, 0, 1e-8),
  adadelta: () => tf.train.adadelta(1, 0.9, 1e-6),
  adamax: () => tf.train.adamax(2e-3, 0.9, 0.999, 1e-8, 0),
};
const TFJS_NAME = { sgd: 'momentum', adam: 'adam', adagrad: 'adagrad', rmsprop: 'rmsprop', adadelta: 'adadelta', adamax: 'adamax' };

export const SHAPES = {
  '284k': [[784, 256], [256], [256, 192], [192], [192, 128], [128], [128, 64], [64], [64, 10], [10]],
  '10m': Array.from({ length: 10 }, () => [[1000, 1000], [1000]]).flat(),
};

/** Every optimizer plugin of the @descent/optim-* packages, by id. */
export async function optimizerPlugins() {
  const out = {};
  for (const p of OPTIM_PACKAGES) {
    const mod = await import(`@descent/optim-${p}`);
    for (const v of Object.values(mod)) if (isPlugin(v) && v.kind === 'optimizer') out[v.id] = v;
  }
  return out;
}

let made = 0;
/** Variables and fixed gradients of the given shapes (seeded normal values). */
export function makeParams(size) {
  const tag = `bench${made++}`;
  const vars = {};
  const grads = {};
  SHAPES[size].forEach((shape, i) => {
    const name = `${tag}/p${i}`;
    vars[name] = tf.variable(tf.tidy(() => tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 2 * i + 1), 0.05)), true, name);
    grads[name] = tf.tidy(() => tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 2 * i + 2), 0.01));
  });
  const last = Object.values(vars).at(-1);
  return { vars, grads, sync: () => last.dataSync(), dispose: () => tf.dispose([...Object.values(vars), ...Object.values(grads)]) };
}

function timeSteps(opt, p, warmup, steps) {
  const times = [];
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    opt.applyGradients(p.grads);
    p.sync();
    const dt = (performance.now() - t0) / 1000;
    if (i >= warmup) times.push(dt);
  }
  return times;
}

export async function benchOptimizerSteps({ quick = false, sizes = ['284k', '10m'], only } = {}) {
  const backend = await useBackend('auto');
  const plugins = await optimizerPlugins();
  const ids = Object.keys(plugins).filter((id) => !only || only.includes(id));
  // 284k: enough warm-up steps for V8 to optimise the step's JavaScript (as the tens of thousands of steps of a run do).
  const plan = { '284k': quick ? [20, 30] : [50, 100], '10m': quick ? [1, 3] : [2, 7] };
  const here = dirname(fileURLToPath(import.meta.url));
  const rows = [];
  const torchInfo = {};
  for (const size of sizes) {
    const [warmup, steps] = plan[size];
    const torchNames = ids.filter((id) => ['sgd', 'adam', 'adamw', 'adagrad', 'rmsprop', 'adadelta', 'adamax', 'nadam', 'radam'].includes(id));
    // torch first, while this process holds no big tensors.
    const torch = torchNames.length ? python(join(here, 'optimizer_steps_torch.py'), [size, warmup, steps, 1, torchNames.join(',')]) : { results: {} };
    torchInfo.version = torch.torch;
    for (const id of ids) {
      const p = makeParams(size);
      const numParams = Object.values(p.vars).reduce((a, v) => a + v.size, 0);
      const opt = toTfOptimizer(plugins[id].create(CONFIGS[id] ?? {}), { nonFinite: 'ignore' });
      const before = tf.memory().numTensors;
      let row;
      try {
        const times = timeSteps(opt, p, warmup, steps);
        row = { size, id, params: numParams, descent: summary(times), stateBytes: stateBytes(opt.getState()), tensorsPerStep: tf.memory().numTensors - before };
      } catch (e) {
        row = { size, id, params: numParams, error: String(e.message ?? e).split('\n')[0] };
      }
      opt.dispose();
      if (TFJS[id]) {
        const tfo = TFJS[id]();
        row.tfjs = summary(timeSteps(tfo, p, warmup, steps));
        tfo.dispose();
      }
      const t = torch.results[id];
      if (t) row.torch = { ...summary(t.times), stateBytes: t.stateBytes };
      p.dispose();
      rows.push(row);
      process.stderr.write(`  optimizer-steps ${size} ${id}: ${row.descent ? fmt(row.descent.median) : row.error}\n`);
    }
  }
  return { backend, rows, torch: torchInfo.version, plan };
}

const spread = (s) => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const quick = process.argv.includes('--quick');
  const sizes = (arg('sizes') ?? '284k,10m').split(',');
  const only = arg('only')?.split(',');
  const load0 = loadavg();
  const r = await benchOptimizerSteps({ quick, sizes, only });
  console.log(machine());
  console.log(`load average (1, 5, 15 min) at the start: ${load0.map((v) => v.toFixed(2)).join(', ')}; at the end: ${loadavg().map((v) => v.toFixed(2)).join(', ')}`);
  console.log(`Descent on tfjs ${r.backend.backend} ${tf.version_core} (toTfOptimizer(plugin).applyGradients on variables, nonFinite 'ignore'); torch.optim ${r.torch}, foreach=True, torch.set_num_threads(1); tf.train.* on the same backend.`);
  console.log(`Per step: median (min–max) of ${Object.entries(r.plan).map(([s, [w, n]]) => `${n} steps after ${w} warm-up (${s})`).join(', ')}. Ratio = reference time / Descent time (≥ 1: Descent as fast or faster).`);
  console.log('');
  console.log('| params | optimizer | Descent step | torch.optim (foreach) | torch / Descent | tf.train | tf.train / Descent | state bytes/param Descent | torch |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of r.rows) {
    if (row.error) {
      console.log(`| ${row.size} | ${row.id} | failed: ${row.error} | | | | | | |`);
      continue;
    }
    const d = row.descent;
    const torchCol = row.torch ? `${spread(row.torch)} | ${(row.torch.median / d.median).toFixed(2)}×` : '— | —';
    const tfCol = row.tfjs ? `${spread(row.tfjs)} (${TFJS_NAME[row.id]}) | ${(row.tfjs.median / d.median).toFixed(2)}×` : '— | —';
    console.log(`| ${row.size} | ${row.id} | ${spread(d)} | ${torchCol} | ${tfCol} | ${(row.stateBytes / row.params).toFixed(2)} | ${row.torch ? (row.torch.stateBytes / row.params).toFixed(2) : '—'} |`);
  }
}
