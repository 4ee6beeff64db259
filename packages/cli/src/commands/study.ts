import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { useBackend, type GradientTransform, type Initializer, describeBackend } from '@descent/tensor';
import { writeFileAtomic, type HessianSchedule } from '@descent/train';
import { buildModel, listModels, ACTIVATIONS, type Activation } from '@descent/models';
import { DatasetError } from '@descent/datasets';
import { sophiaEstimator } from '@descent/optim-sophia';
import { htmlReport, writeReport, table, textTable, markdownTable, type ReportSection } from '@descent/report';
import type { Plugin, Registry } from '@descent/registry';
import { parse, helpText, type OptionSpec } from '../args';
import { loadRegistry } from '../builtins';
import { loadData, DATASETS } from '../data';
import { EXIT, UsageError } from '../errors';
import { reportVersions } from '../versions';
import { extractSettings, settingValue, intOption, numberOption, list } from '../studies/common';
import { BOOK_INIT_METHODS, BOOK_INIT_TABLE, INIT_TABLE_NOTES, runInitStudy, initTableRows, type InitMethodSpec, type InitStudyResult } from '../studies/init';
import { BOOK_OPTIMIZER_CONFIGS, runOptimizerStudy, optimizerTableRows, configText, type OptimizerRunSpec } from '../studies/optimizers';
import { SURFACE_NAMES, surfaceByName, runSurfaceStudy, sophiaSurfaceExtras, type Surface } from '../studies/surfaces';

const STUDIES_HELP = `Usage: descent study <study> [options]

Studies of the book's chapter 5 (Deep Learning DNA), each writing a table, plots and an HTML
report into --out.

Studies:
  init         initialisation methods: test loss, error rate, convergence speed, spectrum at
               initialisation, signal and gradient variance through depth
  optimizers   optimizers on FashionMNIST (or CIFAR-100), or on a 2-D test surface (--surface)

Run \`descent study <study> --help\` for its options.
`;

const COMMON: Record<string, OptionSpec> = {
  out: { type: 'string', description: 'folder for the table, results, per-run logs and report.html (default runs/study-<name>-<time>)', value: '<dir>' },
  backend: { type: 'string', description: 'auto, tensorflow, wasm or cpu', default: 'auto', value: '<name>' },
  json: { type: 'boolean', description: 'print the result as JSON on stdout' },
  quiet: { type: 'boolean', description: 'no progress output' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

const DATA: Record<string, OptionSpec> = {
  dataset: { type: 'string', description: `data set: ${DATASETS.join(', ')}`, default: 'fashion-mnist', value: '<name>' },
  'data-dir': { type: 'string', description: 'folder with the data files (else DESCENT_DATA, the Debian location, the embedded copy)', value: '<dir>' },
  'train-size': { type: 'string', description: 'use only the first n training examples', value: '<n>' },
  'test-size': { type: 'string', description: 'use only the first n test examples', value: '<n>' },
  'batch-size': { type: 'string', description: 'batch size', default: '128', value: '<n>' },
  seed: { type: 'string', description: 'seed of the model, the initialisation and the shuffling', default: '0', value: '<n>' },
};

export const INIT_OPTIONS: Record<string, OptionSpec> = {
  methods: {
    type: 'string',
    description: 'comma-separated book names (lecun, xavier_normal, kaiming_normal, orthogonal, scaled_orthogonal, l-momentum) or initializer ids; "book" = the six, "all" = the six and every other registered initializer',
    default: 'book',
    value: '<list>',
  },
  set: { type: 'string', description: 'an initializer setting, repeatable: --set <method>.<key>=<value>, e.g. --set metainit.steps=20', value: '<m.k=v>' },
  book: { type: 'boolean', description: "train with the book's own SGD (sgd-book: momentum buffer an EMA) instead of torch's SGD" },
  lr: { type: 'string', description: 'learning rate of the SGD', default: '1e-3', value: '<x>' },
  momentum: { type: 'string', description: 'momentum of the SGD', default: '0.9', value: '<x>' },
  epochs: { type: 'string', description: 'epochs', default: '3', value: '<n>' },
  repeats: { type: 'string', description: 'runs per method with seeds seed, seed+1, …; the table shows mean ± sd', default: '1', value: '<n>' },
  activation: { type: 'string', description: `activation of the SimpleNetwork: ${ACTIVATIONS.join(', ')}`, default: 'prelu', value: '<name>' },
  hidden: { type: 'string', description: 'hidden sizes (default the book\'s 256,192,128,64)', value: '<n,n,...>' },
  depth: { type: 'string', description: 'instead of --hidden: this many hidden layers of --width units (e.g. 20), where methods separate', value: '<n>' },
  width: { type: 'string', description: 'width of the hidden layers with --depth', default: '256', value: '<n>' },
  'init-only': { type: 'boolean', description: 'only the analysis at initialisation (spectrum, depth profile, MetaInit): no training, fast; with --repeats for the spread over seeds' },
  'probe-size': { type: 'string', description: 'training examples for the depth profile and MetaInit\'s tuning', default: '256', value: '<n>' },
  ...DATA,
  ...COMMON,
};

export const OPTIMIZER_OPTIONS: Record<string, OptionSpec> = {
  optimizers: {
    type: 'string',
    description: 'comma-separated optimizer ids, each optionally named: name:id (e.g. sgd,adam,lion,sgd-fast:sgd); default sgd,adam and lion if registered',
    value: '<list>',
  },
  set: { type: 'string', description: 'an optimizer setting, repeatable: --set <name>.<key>=<value>, e.g. --set sophia.lr=1e-4', value: '<n.k=v>' },
  config: { type: 'string', description: 'JSON file of settings per optimizer name, {"sgd": {"lr": 0.01}, …}; without --optimizers its keys are the runs', value: '<file>' },
  book: { type: 'boolean', description: "use the book's variants where they exist: sgd-book, lion-book, sophia-book for sgd, lion, sophia" },
  epochs: { type: 'string', description: 'epochs', default: '20', value: '<n>' },
  model: { type: 'string', description: `model: ${listModels().join(', ')} (default simple-mlp, cifar-cnn on cifar100)`, value: '<name>' },
  activation: { type: 'string', description: 'activation of simple-mlp', default: 'gelu', value: '<name>' },
  hidden: { type: 'string', description: 'hidden sizes of simple-mlp (default 256,192,128,64)', value: '<n,n,...>' },
  surface: { type: 'string', description: `run on a 2-D test function instead of data: ${SURFACE_NAMES.join(', ')}`, value: '<name>' },
  steps: { type: 'string', description: 'with --surface: optimizer steps (default per surface)', value: '<n>' },
  start: { type: 'string', description: 'with --surface: start point x,y (default per surface)', value: '<x,y>' },
  ...DATA,
  ...COMMON,
};

/** `descent study init|optimizers [options]`. */
export async function studyCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(STUDIES_HELP);
    return sub ? EXIT.ok : EXIT.usage;
  }
  if (sub === 'init') return studyInit(rest);
  if (sub === 'optimizers') return studyOptimizers(rest);
  throw new UsageError(`unknown study "${sub}"; studies: init, optimizers`);
}

function logger(quiet: boolean) {
  return (line: string) => {
    if (!quiet) process.stderr.write(line + '\n');
  };
}

function outDir(values: Record<string, unknown>, name: string): string {
  const out = resolve(String(values.out ?? join('runs', `study-${name}-${new Date().toISOString().replace(/[:.]/g, '-')}`)));
  mkdirSync(out, { recursive: true });
  return out;
}

function withSigint<T>(log: (line: string) => void, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => {
    log('interrupted: stopping after this batch; finished runs are kept');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  return run(controller.signal).finally(() => process.off('SIGINT', onSigint));
}

/** Settings per target name, from --set, each checked against the target's plugin. */
function collectSettings(settings: ReturnType<typeof extractSettings>['settings'], targets: Map<string, Plugin>, what: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const { target, key, raw } of settings) {
    const plugin = targets.get(target);
    if (!plugin) throw new UsageError(`--set ${target}.${key}: "${target}" is not among the ${what} of this study (${[...targets.keys()].join(', ')})`);
    const config = out.get(target) ?? {};
    config[key] = settingValue(plugin, key, raw, target);
    out.set(target, config);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// descent study init

async function studyInit(argv: string[]): Promise<number> {
  const { rest, settings } = extractSettings(argv);
  const { values, positionals } = parse(rest, INIT_OPTIONS, false);
  const { registry } = await loadRegistry();
  if (values.help) {
    process.stdout.write(
      helpText(
        'descent study init [options]',
        "The book's initialisation study (Deep Learning DNA ch. 5): PReLU SimpleNetwork on FashionMNIST, SGD lr 1e-3 momentum 0.9, batch 128, 3 epochs, one run per method.",
        INIT_OPTIONS,
        `Initializers: ${registry.list('initializer').map((p) => p.id).join(', ')}\n\n` +
          "Optimizer: torch's SGD by default — the book's table was produced with torch.optim.SGD(lr=1e-3, momentum=0.9)\n" +
          "(dldna train_model_with_metrics); --book trains with the book's own SGD (sgd-book), whose EMA momentum takes\n" +
          'steps about 10× smaller at the same settings.\n\n' +
          `Columns:\n${INIT_TABLE_NOTES.map((n) => `  - ${n}`).join('\n')}\n\n` +
          'A method whose MetaInit marker asks for it (metainit) is tuned on the probe batch before training; the table\n' +
          'then shows its gradient quotient before → after. A diverged run shows "diverged (epoch E)"; the study still exits 0.\n\n' +
          'Examples:\n  descent study init --out runs/init\n  descent study init --methods kaiming_normal,orthogonal,metainit --set metainit.steps=20 --depth 20 --epochs 1',
      ),
    );
    return EXIT.ok;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const epochs = intOption('epochs', values.epochs, 1);
  const batchSize = intOption('batch-size', values['batch-size'], 1);
  const seed = intOption('seed', values.seed, 0);
  const repeats = intOption('repeats', values.repeats, 1);
  const probeSize = intOption('probe-size', values['probe-size'], 1);
  const lr = numberOption('lr', values.lr, 0);
  const momentum = numberOption('momentum', values.momentum, 0);
  const activation = String(values.activation) as Activation;
  if (!(ACTIVATIONS as readonly string[]).includes(activation)) throw new UsageError(`--activation must be one of ${ACTIVATIONS.join(', ')}, got "${activation}"`);
  if (values.depth !== undefined && values.hidden !== undefined) throw new UsageError('give --depth (with --width) or --hidden, not both');
  const hiddenSizes =
    values.depth !== undefined
      ? Array.from({ length: intOption('depth', values.depth, 1) }, () => intOption('width', values.width, 1))
      : values.hidden !== undefined
        ? list(values.hidden).map((s) => intOption('hidden', s, 1))
        : [256, 192, 128, 64];

  const methods = resolveMethods(String(values.methods), registry);
  const targets = new Map<string, Plugin>();
  for (const m of methods) {
    targets.set(m.name, m.plugin);
    targets.set(m.plugin.id, m.plugin);
  }
  const given = collectSettings(settings, targets, 'methods');
  const specs: InitMethodSpec[] = methods.map((m) => {
    const config = { ...(given.get(m.plugin.id) ?? {}), ...(given.get(m.name) ?? {}) };
    const resolved = m.plugin.resolveConfig(config) as Record<string, unknown>;
    return { name: m.name, id: m.plugin.id, config: resolved, create: () => m.plugin.create(config) as Initializer };
  });
  const optimizerId = values.book ? 'sgd-book' : 'sgd';
  const optimizerPlugin = registry.get(optimizerId, 'optimizer');
  const optimizerConfig = { lr, momentum };
  const resolvedOptimizer = optimizerPlugin.resolveConfig(optimizerConfig) as Record<string, unknown>;

  const log = logger(Boolean(values.quiet));
  const backend = await useBackend(String(values.backend) as 'auto');
  log(`backend: ${describeBackend(backend)}`);
  const data = await loadData(String(values.dataset), values['data-dir'] as string | undefined, {
    trainSize: values['train-size'] ? intOption('train-size', values['train-size'], 1) : undefined,
    testSize: values['test-size'] ? intOption('test-size', values['test-size'], 1) : undefined,
  });
  data.notes.forEach(log);
  const out = outDir(values, 'init');
  const optimizerText = values.book ? `sgd-book (the book's SGD, EMA momentum) lr ${lr} momentum ${momentum}` : `sgd (torch.optim.SGD semantics) lr ${lr} momentum ${momentum}`;
  const config = {
    study: 'init',
    dataset: values.dataset,
    trainSize: data.train.size,
    testSize: data.test.size,
    model: { name: 'simple-mlp', activation, hiddenSizes },
    methods: specs.map((s) => ({ name: s.name, id: s.id, config: s.config })),
    optimizer: { id: optimizerId, config: resolvedOptimizer },
    epochs,
    batchSize,
    seed,
    repeats,
    probeSize,
    backend: backend.backend,
  };
  writeFileAtomic(join(out, 'config.json'), JSON.stringify(config, null, 2));
  log(`study init: ${specs.length} methods × ${repeats} run(s); SimpleNetwork ${activation} [${hiddenSizes.join(', ')}]; ${optimizerText}; ${epochs} epochs, batch ${batchSize}; ${data.train.size} train / ${data.test.size} test examples; folder ${out}`);

  const result = await withSigint(log, (signal) =>
    runInitStudy({
      methods: specs,
      train: data.train,
      test: data.test,
      optimizer: { id: optimizerId, config: resolvedOptimizer, create: () => optimizerPlugin.create(optimizerConfig) as GradientTransform<any> },
      epochs,
      batchSize,
      seed,
      repeats,
      activation,
      hiddenSizes,
      probeSize,
      initOnly: Boolean(values['init-only']),
      outDir: out,
      progress: values.quiet || values.json ? 'none' : 'auto',
      log,
      signal,
    }),
  );

  const display = initTableRows(result.rows);
  const notes = [values['init-only'] ? 'not trained (--init-only): only the columns at initialisation are filled.' : `optimizer: ${optimizerText}.`, ...INIT_TABLE_NOTES, ...data.notes];
  const md = `${markdownTable(display)}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`;
  writeFileAtomic(join(out, 'table.md'), md);
  writeFileAtomic(join(out, 'results.json'), JSON.stringify({ config, rows: result.rows, runs: result.runs, interrupted: result.interrupted }, jsonReplacer, 2));
  const reportPath = join(out, 'report.html');
  await writeReport(reportPath, await initReport(result, config, display, notes));
  if (values.json) {
    process.stdout.write(JSON.stringify({ study: 'init', status: result.interrupted ? 'interrupted' : 'completed', out, report: reportPath, optimizer: config.optimizer, rows: result.rows }, jsonReplacer, 2) + '\n');
  } else {
    process.stdout.write(textTable(display) + '\n\n' + notes.map((n) => `- ${n}`).join('\n') + '\n');
    process.stdout.write(`table:   ${join(out, 'table.md')}\nresults: ${join(out, 'results.json')}\nreport:  ${reportPath}\n`);
  }
  return result.interrupted ? EXIT.interrupted : EXIT.ok;
}

/** JSON with Infinity/NaN kept readable (JSON has neither): as the strings "Infinity" and "NaN". */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

function resolveMethods(raw: string, registry: Registry): Array<{ name: string; plugin: Plugin }> {
  const book = BOOK_INIT_METHODS.map((m) => m.name);
  const entries = list(raw);
  if (entries.length === 0) throw new UsageError('--methods is empty');
  const names: string[] = [];
  for (const e of entries) {
    if (e === 'book') names.push(...book);
    else if (e === 'all') {
      names.push(...book);
      const bookIds = new Set(BOOK_INIT_METHODS.map((m) => m.id));
      names.push(...registry.list('initializer').map((p) => p.id).filter((id) => !bookIds.has(id)));
    } else names.push(e);
  }
  const seen = new Set<string>();
  const out: Array<{ name: string; plugin: Plugin }> = [];
  for (const name of names) {
    const bookEntry = BOOK_INIT_METHODS.find((m) => m.name === name || m.id === name);
    const display = bookEntry ? bookEntry.name : name;
    if (seen.has(display)) continue;
    seen.add(display);
    const id = bookEntry ? bookEntry.id : name;
    if (!registry.has(id)) {
      throw new UsageError(`unknown method "${name}"; book names: ${book.join(', ')}; initializers: ${registry.list('initializer').map((p) => p.id).join(', ')}`);
    }
    out.push({ name: display, plugin: registry.get(id, 'initializer') });
  }
  return out;
}

async function initReport(result: InitStudyResult, config: Record<string, unknown>, display: Array<Record<string, string>>, notes: string[]): Promise<string> {
  const bookRows = Object.entries(BOOK_INIT_TABLE).map(([method, b]) => ({ method, '"Error Rate (%)" (= test loss)': b.testLoss, 'conv. speed': b.convergenceSpeed, 'avg cond.': b.condition, 'spectral norm': b.spectralNorm, 'rank ratio (95 %)': b.rankRatio }));
  const sections: ReportSection[] = [
    { heading: 'Results', text: notes.join('\n\n') + (result.interrupted ? '\n\nThe study was interrupted: only the finished runs are shown.' : ''), tableHtml: table(display) },
    {
      heading: "The book's table",
      text: "As published (two printings; REFERENCE.md). Its first column is the final test loss although it is headed \"Error Rate (%)\"; its l-momentum row reads nan (diverged).",
      tableHtml: table(bookRows),
    },
  ];
  if (result.plots.spectra.length) sections.push({ heading: 'Singular values at initialisation', text: 'Per method (first seed), every kernel\'s singular values in descending order.', plots: result.plots.spectra });
  if (result.plots.depth.length) sections.push({ heading: 'Signal and gradient variance through depth', text: 'One batch of training examples (the probe batch) at initialisation, before any step.', plots: result.plots.depth });
  if (result.plots.loss.length) sections.push({ heading: 'Training', plots: result.plots.loss });
  return htmlReport({
    title: 'descent study init — initialisation methods',
    subtitle: `${(config.model as { activation: string }).activation} SimpleNetwork [${result.hiddenSizes.join(', ')}], ${config.epochs} epochs`,
    summary: { dataset: config.dataset, 'train / test examples': `${config.trainSize} / ${config.testSize}`, optimizer: JSON.stringify(config.optimizer), methods: display.length },
    sections,
    config,
    versions: reportVersions(String((config as { backend?: unknown }).backend ?? '') || undefined),
    links: [
      { href: 'table.md', label: 'table.md' },
      { href: 'results.json', label: 'results.json' },
      { href: 'config.json', label: 'config.json' },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// descent study optimizers

const BOOK_VARIANTS: Record<string, string> = { sgd: 'sgd-book', lion: 'lion-book', sophia: 'sophia-book' };

interface RunChoice {
  name: string;
  plugin: Plugin;
}

function resolveOptimizers(values: Record<string, unknown>, fileConfig: Record<string, Record<string, unknown>> | undefined, registry: Registry): RunChoice[] {
  let entries: string[];
  if (values.optimizers !== undefined) entries = list(values.optimizers);
  else if (fileConfig) entries = Object.keys(fileConfig);
  else entries = ['sgd', 'adam', ...(registry.has('lion') ? ['lion'] : [])];
  if (entries.length === 0) throw new UsageError('--optimizers is empty');
  const out: RunChoice[] = [];
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    let name = colon > 0 ? entry.slice(0, colon) : entry;
    let id = colon > 0 ? entry.slice(colon + 1) : entry;
    if (values.book && BOOK_VARIANTS[id]) {
      if (colon < 0) name = BOOK_VARIANTS[id];
      id = BOOK_VARIANTS[id];
    }
    if (out.some((r) => r.name === name)) throw new UsageError(`optimizer name "${name}" appears twice; name the runs, e.g. sgd-a:sgd,sgd-b:sgd`);
    if (!registry.has(id)) throw new UsageError(`unknown optimizer "${id}"; registered: ${registry.list('optimizer').map((p) => p.id).join(', ')}`);
    out.push({ name, plugin: registry.get(id, 'optimizer') });
  }
  return out;
}

function readConfigFile(path: string): Record<string, Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--config ${path}: ${(e as Error).message}`);
  }
  const body = (parsed as { optimizers?: unknown })?.optimizers ?? parsed;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new UsageError(`--config ${path}: expected an object of settings per optimizer, {"sgd": {"lr": 0.01}, …}`);
  for (const [k, v] of Object.entries(body)) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`--config ${path}: the settings of "${k}" must be an object`);
  }
  return body as Record<string, Record<string, unknown>>;
}

/** Settings of each run: the book's (or the surface's) defaults < --config file < --set. */
function runConfigs(choices: RunChoice[], fileConfig: Record<string, Record<string, unknown>> | undefined, settings: ReturnType<typeof extractSettings>['settings'], base: (c: RunChoice) => Record<string, unknown>): Map<string, Record<string, unknown>> {
  const targets = new Map(choices.map((c) => [c.name, c.plugin] as const));
  if (fileConfig) {
    for (const k of Object.keys(fileConfig)) if (!targets.has(k)) throw new UsageError(`--config: "${k}" is not among the optimizers of this study (${[...targets.keys()].join(', ')})`);
  }
  const given = collectSettings(settings, targets, 'optimizers');
  return new Map(choices.map((c) => [c.name, { ...base(c), ...(fileConfig?.[c.name] ?? {}), ...(given.get(c.name) ?? {}) }]));
}

async function studyOptimizers(argv: string[]): Promise<number> {
  const { rest, settings } = extractSettings(argv);
  const { values, positionals } = parse(rest, OPTIMIZER_OPTIONS, false);
  const { registry } = await loadRegistry();
  if (values.help) {
    process.stdout.write(
      helpText(
        'descent study optimizers [options]',
        "The book's optimizer comparison (Deep Learning DNA ch. 5): GELU SimpleNetwork on FashionMNIST, SGD lr 0.01 momentum 0.9, Adam lr 1e-3, Lion lr 1e-4, 20 epochs; any registered optimizer can join.",
        OPTIMIZER_OPTIONS,
        `Optimizers: ${registry.list('optimizer').map((p) => p.id).join(', ')}\n\n` +
          'Settings: the book\'s for sgd (lr 0.01, momentum 0.9), adam (lr 1e-3) and lion (lr 1e-4), the plugin\'s defaults\n' +
          'for the others; then the --config file; then --set. Every run starts from the same weights and sees the same batches.\n' +
          "SGD is torch's by default; the book ran its own SGD (EMA momentum, steps ~10× smaller at lr 0.01, m 0.9): --book.\n" +
          'sophia gets the Gauss-Newton-Bartlett Hessian estimator every k steps, and batchSize = --batch-size unless set.\n\n' +
          `Surfaces (--surface): ${SURFACE_NAMES.map((n) => `${n}: ${surfaceByName(n).formula}`).join('; ')}.\n` +
          "There sgd/sgd-book default to the surface's sgd learning rate with momentum 0.9, the others to its adaptive one.\n\n" +
          'Examples:\n  descent study optimizers --epochs 3 --out runs/opt\n  descent study optimizers --optimizers sgd,adam,lion,sophia --set sophia.lr=1e-4 --epochs 5\n' +
          '  descent study optimizers --dataset cifar100 --model transformer-small --epochs 2\n  descent study optimizers --surface rosenbrock --optimizers sgd,adam,lion --steps 1000',
      ),
    );
    return EXIT.ok;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const fileConfig = values.config !== undefined ? readConfigFile(String(values.config)) : undefined;
  const choices = resolveOptimizers(values, fileConfig, registry);
  if (values.surface !== undefined) return surfaceStudy(values, choices, fileConfig, settings);

  const epochs = intOption('epochs', values.epochs, 1);
  const batchSize = intOption('batch-size', values['batch-size'], 1);
  const seed = intOption('seed', values.seed, 0);
  const dataset = String(values.dataset);
  const modelName = values.model !== undefined ? String(values.model) : dataset.startsWith('cifar') ? 'cifar-cnn' : 'simple-mlp';
  if (!listModels().includes(modelName)) throw new UsageError(`unknown --model "${modelName}"; models: ${listModels().join(', ')}`);
  const configs = runConfigs(choices, fileConfig, settings, (c) => ({ ...(BOOK_OPTIMIZER_CONFIGS[c.plugin.id] ?? {}), ...(c.plugin.id === 'sophia' ? { batchSize } : {}) }));
  const specs: OptimizerRunSpec[] = choices.map((c) => {
    const config = configs.get(c.name)!;
    const resolved = c.plugin.resolveConfig(config) as Record<string, unknown>;
    const hessian: HessianSchedule | undefined = c.plugin.id === 'sophia' ? (sophiaEstimator('gnb', { every: Number(resolved.k) }) as HessianSchedule) : undefined;
    return { name: c.name, id: c.plugin.id, config, resolved, create: () => c.plugin.create(config) as GradientTransform<any>, ...(hessian ? { hessian } : {}) };
  });

  const log = logger(Boolean(values.quiet));
  const backend = await useBackend(String(values.backend) as 'auto');
  log(`backend: ${describeBackend(backend)}`);
  let data;
  try {
    data = await loadData(dataset, values['data-dir'] as string | undefined, {
      trainSize: values['train-size'] ? intOption('train-size', values['train-size'], 1) : undefined,
      testSize: values['test-size'] ? intOption('test-size', values['test-size'], 1) : undefined,
    });
  } catch (e) {
    if (e instanceof DatasetError && e.code === 'DATA_NOT_FOUND' && dataset.startsWith('cifar')) {
      throw new UsageError(
        `the ${dataset} study needs the CIFAR files, which are not installed: ${e.message}\n` +
          'Nothing is downloaded. Put them in --data-dir (or $DESCENT_DATA), or run the FashionMNIST study (the default --dataset).',
      );
    }
    throw e;
  }
  data.notes.forEach(log);
  const [h, w, ch] = data.train.shape;
  const hiddenSizes = values.hidden !== undefined ? list(values.hidden).map((s) => intOption('hidden', s, 1)) : undefined;
  const make = () => buildModel(modelName, { activation: String(values.activation), ...(hiddenSizes ? { hiddenSizes } : {}), inputShape: [h, w, ch], numClasses: data.train.numClasses, seed });
  const probe = make();
  const parameters = probe.countParams();
  probe.dispose();

  const out = outDir(values, 'optimizers');
  const config = {
    study: 'optimizers',
    dataset,
    trainSize: data.train.size,
    testSize: data.test.size,
    model: { name: modelName, ...(modelName === 'simple-mlp' ? { activation: values.activation, hiddenSizes: hiddenSizes ?? [256, 192, 128, 64] } : {}), parameters },
    optimizers: specs.map((s) => ({ name: s.name, id: s.id, given: s.config, config: s.resolved })),
    epochs,
    batchSize,
    seed,
    book: Boolean(values.book),
    backend: backend.backend,
  };
  writeFileAtomic(join(out, 'config.json'), JSON.stringify(config, null, 2));
  log(`study optimizers: ${specs.map((s) => s.name).join(', ')}; ${modelName} (${parameters.toLocaleString('en')} parameters) on ${dataset}; ${epochs} epochs, batch ${batchSize}; folder ${out}`);

  const result = await withSigint(log, (signal) =>
    runOptimizerStudy({ runs: specs, buildModel: make, train: data.train, test: data.test, epochs, batchSize, seed, outDir: out, progress: values.quiet || values.json ? 'none' : 'auto', log, signal }),
  );
  const display = optimizerTableRows(result.rows);
  const notes = [
    ...(specs.some((s) => s.id === 'sgd-book') ? ["sgd-book is the book's SGD (momentum buffer an EMA of the gradients)."] : []),
    ...(specs.some((s) => s.id === 'sgd') ? ["sgd is torch.optim.SGD (momentum buffer a sum of gradients); the book's run used its own EMA SGD (--book), which steps ~10× less at the same lr and momentum."] : []),
    'grad norm: mean over the last epoch\'s steps of the global gradient norm √Σ‖g‖²; optimizer state: bytes of the optimizer\'s tensors; ms/step: mean time of one training step (forward, backward, update).',
    ...data.notes,
  ];
  writeFileAtomic(join(out, 'table.md'), `${markdownTable(display)}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
  writeFileAtomic(join(out, 'results.json'), JSON.stringify({ config, rows: result.rows, runs: result.runs, interrupted: result.interrupted }, jsonReplacer, 2));
  const reportPath = join(out, 'report.html');
  const html = await htmlReport({
    title: 'descent study optimizers',
    subtitle: `${modelName} on ${dataset}, ${epochs} epochs, batch ${batchSize}`,
    summary: { dataset, 'train / test examples': `${data.train.size} / ${data.test.size}`, model: `${modelName} (${parameters.toLocaleString('en')} parameters)`, optimizers: specs.map((s) => s.name).join(', ') },
    sections: [
      { heading: 'Summary', text: notes.join('\n\n') + (result.interrupted ? '\n\nThe study was interrupted: only the finished runs are shown.' : ''), tableHtml: table(display) },
      ...(result.plots.length ? [{ heading: 'Training curves', plots: result.plots }] : []),
    ],
    config,
    versions: reportVersions(String((config as { backend?: unknown }).backend ?? '') || undefined),
    links: [
      { href: 'table.md', label: 'table.md' },
      { href: 'results.json', label: 'results.json' },
      { href: 'config.json', label: 'config.json' },
    ],
  });
  await writeReport(reportPath, html);
  if (values.json) {
    process.stdout.write(JSON.stringify({ study: 'optimizers', status: result.interrupted ? 'interrupted' : 'completed', out, report: reportPath, rows: result.rows }, jsonReplacer, 2) + '\n');
  } else {
    process.stdout.write(textTable(display) + '\n\n' + notes.map((n) => `- ${n}`).join('\n') + '\n');
    process.stdout.write(`table:   ${join(out, 'table.md')}\nresults: ${join(out, 'results.json')}\nreport:  ${reportPath}\n`);
  }
  return result.interrupted ? EXIT.interrupted : EXIT.ok;
}

async function surfaceStudy(values: Record<string, unknown>, choices: RunChoice[], fileConfig: Record<string, Record<string, unknown>> | undefined, settings: ReturnType<typeof extractSettings>['settings']): Promise<number> {
  const name = String(values.surface) === 'gaussian-bowl' ? 'bowl' : String(values.surface);
  if (!SURFACE_NAMES.includes(name)) throw new UsageError(`unknown --surface "${values.surface}"; surfaces: ${SURFACE_NAMES.join(', ')}`);
  const surface: Surface = surfaceByName(name);
  const steps = values.steps !== undefined ? intOption('steps', values.steps, 1) : surface.steps;
  let start = surface.start;
  if (values.start !== undefined) {
    const parts = list(values.start).map((s, i) => numberOption(`start[${i}]`, s));
    if (parts.length !== 2) throw new UsageError(`--start must be x,y, got "${values.start}"`);
    start = [parts[0], parts[1]];
  }
  const configs = runConfigs(choices, fileConfig, settings, (c) => surfaceDefaults(c.plugin, surface));
  const runs = choices.map((c) => {
    const config = configs.get(c.name)!;
    const resolved = c.plugin.resolveConfig(config) as Record<string, unknown>;
    const every = Number(resolved.k ?? 10);
    return {
      name: c.name,
      id: c.plugin.id,
      config,
      create: () => c.plugin.create(config) as GradientTransform<any>,
      ...(c.plugin.id === 'sophia' ? { extras: sophiaSurfaceExtras(surface, every) } : {}),
    };
  });
  const log = logger(Boolean(values.quiet));
  await useBackend(String(values.backend) as 'auto');
  const out = outDir(values, `surface-${surface.name}`);
  const result = runSurfaceStudy({ surface, runs, start, steps });
  const f = (v: number | null, d = 4) => (v === null ? '—' : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(d));
  const display = result.rows.map((r) => ({
    optimizer: r.name,
    settings: configText(r.id, r.config),
    steps: String(r.steps),
    'final (x, y)': `(${f(r.finalX, 3)}, ${f(r.finalY, 3)})`,
    'final f': f(r.finalF),
    ...(surface.minimum ? { 'distance to min': f(r.distance), [`steps to f < ${surface.minimum.f} + 1e-3`]: r.stepsToTolerance === null ? 'not reached' : String(r.stepsToTolerance) } : {}),
    status: r.status === 'ran' ? 'ran' : `${r.status} (step ${r.statusStep})`,
  }));
  const config = { study: 'optimizers', surface: surface.name, formula: surface.formula, start, steps, optimizers: runs.map((r) => ({ name: r.name, id: r.id, given: r.config })) };
  writeFileAtomic(join(out, 'config.json'), JSON.stringify(config, null, 2));
  writeFileAtomic(join(out, 'table.md'), markdownTable(display) + '\n');
  writeFileAtomic(join(out, 'results.json'), JSON.stringify({ config, rows: result.rows, paths: result.paths }, jsonReplacer, 2));
  const reportPath = join(out, 'report.html');
  const html = await htmlReport({
    title: `descent study optimizers — ${surface.name}`,
    subtitle: `f(x, y) = ${surface.formula}`,
    summary: { surface: surface.name, start: `(${start.join(', ')})`, steps, optimizers: runs.map((r) => r.name).join(', ') },
    sections: [
      { heading: 'Summary', text: 'Each optimizer runs on the parameters {x, y} (two scalars) through the GradientTransform contract, gradients by tf autodiff (optimizerPath of @descent/landscape); a path stops when it leaves the plotted region or stops being finite.', tableHtml: table(display) },
      { heading: 'Paths', plots: [result.plot] },
    ],
    config,
    versions: reportVersions(String((config as { backend?: unknown }).backend ?? '') || undefined),
    links: [
      { href: 'table.md', label: 'table.md' },
      { href: 'results.json', label: 'results.json' },
      { href: 'config.json', label: 'config.json' },
    ],
  });
  await writeReport(reportPath, html);
  if (values.json) process.stdout.write(JSON.stringify({ study: 'optimizers', surface: surface.name, out, report: reportPath, rows: result.rows }, jsonReplacer, 2) + '\n');
  else {
    process.stdout.write(textTable(display) + '\n');
    process.stdout.write(`table:   ${join(out, 'table.md')}\nreport:  ${reportPath}\n`);
  }
  log(`surface ${surface.name}: ${runs.length} optimizers, ${steps} steps from (${start.join(', ')})`);
  return EXIT.ok;
}

/** Learning rates that suit the surface: sgd-like steps scale with the gradient, the others' with lr. */
function surfaceDefaults(plugin: Plugin, surface: Surface): Record<string, unknown> {
  const props = ((plugin.schema as { properties?: Record<string, unknown> }).properties ?? {}) as Record<string, unknown>;
  if (plugin.id === 'sgd' || plugin.id === 'sgd-book') return { lr: surface.sgdLr, momentum: 0.9 };
  const out: Record<string, unknown> = {};
  if ('lr' in props) out.lr = surface.adaptiveLr;
  if (plugin.id === 'sophia') Object.assign(out, { batchSize: 1, weightDecay: 0 });
  return out;
}
