import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { useBackend, initializeModel, Rng, type GradientTransform, type Initializer, describeBackend } from '@descent/tensor';
import { train, writeFileAtomic, type EpochRecord, type HessianSchedule, type TrainResult } from '@descent/train';
import { sophiaEstimator } from '@descent/optim-sophia';
import { buildModel, listModels } from '@descent/models';
import { parse, helpText, type OptionSpec } from '../args';
import type { Plugin } from '@descent/registry';
import { loadRegistry } from '../builtins';
import { distribute } from '../plugin-options';
import { loadData, DATASETS } from '../data';
import { EXIT, UsageError } from '../errors';
import { renderTrainReport } from '../report';
import { epochTable } from '../table';

export const TRAIN_OPTIONS: Record<string, OptionSpec> = {
  dataset: { type: 'string', description: `data set: ${DATASETS.join(', ')}`, default: 'fashion-mnist', value: '<name>' },
  'data-source': { type: 'string', description: 'only this data location: explicit, env, debian or embedded', value: '<kind>' },
  'data-dir': { type: 'string', description: 'folder with the data files (else DESCENT_DATA, the Debian location, the embedded copy)', value: '<dir>' },
  model: { type: 'string', description: 'model builder (see --help for the list)', default: 'simple-mlp', value: '<name>' },
  activation: { type: 'string', description: 'activation of simple-mlp: relu, tanh, gelu, sigmoid, leakyRelu, prelu, silu, mish', default: 'relu', value: '<name>' },
  hidden: { type: 'string', description: 'hidden sizes of simple-mlp, comma-separated', value: '<n,n,...>' },
  init: { type: 'string', description: 'initializer plugin id (default: the model\'s own initializers)', value: '<id>' },
  optimizer: { type: 'string', description: 'optimizer plugin id', default: 'adam', value: '<id>' },
  'hessian-estimator': {
    type: 'string',
    description: "sophia only: its Hessian-diagonal estimate every k steps, gnb (Gauss-Newton-Bartlett, Sophia-G) or hutchinson (Sophia-H); default gnb",
    value: '<kind>',
  },
  epochs: { type: 'string', description: 'epochs', default: '3', value: '<n>' },
  'batch-size': { type: 'string', description: 'batch size', default: '128', value: '<n>' },
  seed: { type: 'string', description: 'seed of initialisation, shuffling and estimators', default: '0', value: '<n>' },
  'train-size': { type: 'string', description: 'use only the first n training examples', value: '<n>' },
  'test-size': { type: 'string', description: 'use only the first n test examples', value: '<n>' },
  out: { type: 'string', description: 'run folder for results.jsonl/csv, summary.json, report.html, checkpoints', value: '<dir>' },
  resume: { type: 'boolean', description: 'continue from the newest checkpoint in --out' },
  'checkpoint-every': { type: 'string', description: 'checkpoint every n epochs', default: '1', value: '<n>' },
  'keep-checkpoints': { type: 'string', description: "how many of the newest checkpoints to keep, or 'all' (the landscape commands read them)", default: '2', value: '<n|all>' },
  'non-finite': { type: 'string', description: "NaN/Inf gradients: 'error' ends the run as diverged, 'skip' skips the step", default: 'error', value: '<policy>' },
  backend: { type: 'string', description: 'auto, tensorflow, wasm or cpu', default: 'auto', value: '<name>' },
  demo: { type: 'boolean', description: 'a short demo run: 2 epochs of the ReLU MLP with Kaiming init and Adam on FashionMNIST' },
  json: { type: 'boolean', description: 'print the result as JSON on stdout' },
  quiet: { type: 'boolean', description: 'no progress output' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

function int(name: string, raw: unknown, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

function keepCheckpoints(raw: unknown): number {
  return raw === 'all' ? Number.POSITIVE_INFINITY : int('keep-checkpoints', raw, 1);
}

type Estimator = 'gnb' | 'hutchinson';
const ESTIMATORS: Estimator[] = ['gnb', 'hutchinson'];

/**
 * `sophia` needs a Hessian-diagonal estimate every k steps, as `descent study optimizers` gives it:
 * Gauss-Newton-Bartlett unless --hessian-estimator says hutchinson. Its `batchSize` (the scale of
 * the estimates, official default 5120) follows --batch-size unless given as --optimizer.batch-size.
 * Other optimizers take no estimate: --hessian-estimator with them is a usage error rather than
 * silently ignored (e.g. sophia-book refreshes its h from g² itself).
 */
function sophiaHessian(plugin: Plugin, raw: unknown, optimizerConfig: Record<string, unknown>, batchSize: number): { kind: Estimator; schedule: HessianSchedule } | undefined {
  if (plugin.id !== 'sophia') {
    if (raw !== undefined) throw new UsageError(`--hessian-estimator applies to --optimizer sophia only; ${plugin.id} takes no Hessian estimate`);
    return undefined;
  }
  const kind = String(raw ?? 'gnb') as Estimator;
  if (!ESTIMATORS.includes(kind)) throw new UsageError(`--hessian-estimator must be ${ESTIMATORS.join(' or ')}, got "${kind}"`);
  optimizerConfig.batchSize ??= batchSize;
  const { k } = plugin.resolveConfig(optimizerConfig) as { k: number };
  return { kind, schedule: sophiaEstimator(kind, { every: k }) as HessianSchedule };
}

export async function trainCommand(argv: string[]): Promise<number> {
  const { values, extra, positionals } = parse(argv, TRAIN_OPTIONS, true);
  const { registry } = await loadRegistry();
  if (values.help) {
    const optimizers = registry.list('optimizer').map((p) => p.id).join(', ');
    const inits = registry.list('initializer').map((p) => p.id).join(', ');
    process.stdout.write(
      helpText(
        'descent train [options] [--<plugin option> <value> ...]',
        'Train a network on real data with any registered initializer and optimizer; results, checkpoints and a report go to --out.',
        TRAIN_OPTIONS,
        `Models: ${listModels().join(', ')}\nOptimizers: ${optimizers}\nInitializers: ${inits}\n\nOptimizer and initializer options come from their plugins (see \`descent plugins\`), e.g.\n  --lr 1e-3 --betas 0.9,0.999 --weight-decay 0.01   or, where both plugins have a key, --optimizer.lr / --init.gain\n\nExample:\n  descent train --dataset fashion-mnist --model simple-mlp --activation relu --init kaiming-normal \\\n    --optimizer adam --lr 1e-3 --epochs 3 --batch-size 128 --seed 7 --out runs/x`,
      ),
    );
    return EXIT.ok;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.demo) {
    // The demo's settings, unless given explicitly.
    const given = new Set(argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]));
    const demo: Record<string, string> = { epochs: '2', init: 'kaiming-normal', optimizer: 'adam', 'batch-size': '128', out: 'runs/demo' };
    for (const [k, v] of Object.entries(demo)) if (!given.has(k)) values[k] = v;
  }
  const epochs = int('epochs', values.epochs, 1);
  const batchSize = int('batch-size', values['batch-size'], 1);
  const seed = int('seed', values.seed, 0);
  const nonFinite = String(values['non-finite']);
  if (nonFinite !== 'error' && nonFinite !== 'skip') throw new UsageError(`--non-finite must be error or skip, got "${nonFinite}"`);

  const optimizerPlugin = registry.get(String(values.optimizer), 'optimizer');
  const initPlugin = values.init ? registry.get(String(values.init), 'initializer') : undefined;
  const configs = distribute(extra, { optimizer: optimizerPlugin, ...(initPlugin ? { init: initPlugin } : {}) });
  const hessian = sophiaHessian(optimizerPlugin, values['hessian-estimator'], configs.optimizer, batchSize);
  const transform = optimizerPlugin.create(configs.optimizer) as GradientTransform<any>;
  const initializer = initPlugin ? (initPlugin.create(configs.init) as Initializer) : undefined;

  const log = (line: string) => {
    if (!values.quiet) process.stderr.write(line + '\n');
  };
  const backend = await useBackend(String(values.backend) as 'auto');
  log(`backend: ${describeBackend(backend)} — ${backend.attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`);
  const data = await loadData(String(values.dataset), values['data-dir'] as string | undefined, {
    trainSize: values['train-size'] ? int('train-size', values['train-size'], 1) : undefined,
    testSize: values['test-size'] ? int('test-size', values['test-size'], 1) : undefined,
    source: values['data-source'] as string | undefined,
  });
  data.notes.forEach(log);

  const [h, w, c] = data.train.shape;
  const model = buildModel(String(values.model), {
    activation: String(values.activation),
    ...(values.hidden ? { hiddenSizes: String(values.hidden).split(',').map((s) => int('hidden', s, 1)) } : {}),
    inputShape: [h, w, c],
    numClasses: data.train.numClasses,
    seed,
  });
  if (initializer) initializeModel(model, initializer, { rng: new Rng(seed).fork('init') });

  const out = resolve(String(values.out ?? join('runs', `${new Date().toISOString().replace(/[:.]/g, '-')}-${optimizerPlugin.id}`)));
  mkdirSync(out, { recursive: true });
  const config = {
    dataset: values.dataset,
    model: values.model,
    activation: values.activation,
    hidden: values.hidden ?? null,
    init: initPlugin ? { id: initPlugin.id, config: initPlugin.resolveConfig(configs.init) } : null,
    optimizer: { id: optimizerPlugin.id, config: optimizerPlugin.resolveConfig(configs.optimizer) },
    ...(hessian ? { hessianEstimator: { kind: hessian.kind, every: hessian.schedule.every } } : {}),
    epochs,
    batchSize,
    seed,
    trainSize: data.train.size,
    testSize: data.test.size,
    backend: backend.backend,
    parameters: model.countParams(),
  };
  writeFileAtomic(join(out, 'config.json'), JSON.stringify(config, null, 2));
  log(`model: ${values.model} (${model.countParams().toLocaleString('en')} parameters); optimizer ${optimizerPlugin.id} ${JSON.stringify(config.optimizer.config)}${hessian ? ` with ${hessian.kind} Hessian estimates every ${hessian.schedule.every} steps` : ''}; ${epochs} epochs, batch ${batchSize}; run folder ${out}`);

  const controller = new AbortController();
  const onSigint = () => {
    log('interrupted: stopping after this batch; completed epochs are saved (resume with --resume)');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  let result: TrainResult;
  try {
    result = await train({
      model,
      optimizer: transform,
      ...(hessian ? { hessian: hessian.schedule } : {}),
      train: data.train,
      test: data.test,
      epochs,
      batchSize,
      seed,
      nonFinite,
      outDir: out,
      resume: Boolean(values.resume),
      checkpoint: { every: int('checkpoint-every', values['checkpoint-every'], 1), keep: keepCheckpoints(values['keep-checkpoints']) },
      progress: values.quiet || values.json ? 'none' : 'auto',
      signal: controller.signal,
      meta: config,
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
  const reportPath = await renderTrainReport(out, { title: `descent train — ${optimizerPlugin.id} on ${values.dataset}`, config, result });
  if (values.json) {
    process.stdout.write(JSON.stringify({ status: result.status, diverged: result.diverged ?? null, out, report: reportPath, epochs: result.epochs, seconds: result.seconds }, null, 2) + '\n');
  } else {
    process.stdout.write(epochTable(result.epochs as EpochRecord[]) + '\n');
    if (result.status === 'diverged') process.stdout.write(`diverged at epoch ${result.diverged!.epoch}, batch ${result.diverged!.batch}: ${result.diverged!.reason}\n`);
    process.stdout.write(`results: ${join(out, 'results.csv')}\nreport:  ${reportPath}\n`);
  }
  model.dispose();
  result.optimizer.dispose();
  return result.status === 'completed' ? EXIT.ok : result.status === 'diverged' ? EXIT.diverged : EXIT.interrupted;
}
