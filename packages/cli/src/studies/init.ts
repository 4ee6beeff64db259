import { join } from 'node:path';
import { tf, initializeModel, Rng, type GradientTransform, type Initializer } from '@descent/tensor';
import { train, softmaxCrossEntropy, type EpochRecord, type ProgressMode, type TrainResult } from '@descent/train';
import { simpleNetwork, type Activation } from '@descent/models';
import { analyzeModelWeights } from '@descent/spectrum';
import { hasMetaInitPostInit, runPostInit } from '@descent/init-metainit';
import { lineChart, metricsPanels, type Plot } from '@descent/report';
import type { ImageDataset } from '@descent/datasets';
import { stat, showStat, downsample, slug, type Stat } from './common';

/**
 * The chapter's six methods under the book's names, and the registry initializer each one is.
 * The book's lecun is a plain normal N(0, 1/fanIn); its xavier_normal, kaiming_normal and
 * orthogonal are torch.nn.init's with their defaults.
 */
export const BOOK_INIT_METHODS: ReadonlyArray<{ name: string; id: string }> = Object.freeze([
  { name: 'lecun', id: 'lecun-normal' },
  { name: 'xavier_normal', id: 'xavier-normal' },
  { name: 'kaiming_normal', id: 'kaiming-normal' },
  { name: 'orthogonal', id: 'orthogonal' },
  { name: 'scaled_orthogonal', id: 'scaled-orthogonal' },
  { name: 'l-momentum', id: 'l-momentum' },
]);

/** The book's published table (REFERENCE.md: the two printings give ranges), for the report. */
export const BOOK_INIT_TABLE: Readonly<Record<string, { testLoss: string; convergenceSpeed: string; condition: string; spectralNorm: string; rankRatio: string }>> = Object.freeze({
  lecun: { testLoss: '0.48', convergenceSpeed: '0.33', condition: '5.66–5.86', spectralNorm: '1.39–1.42', rankRatio: '0.89' },
  xavier_normal: { testLoss: '0.48–0.49', convergenceSpeed: '0.33', condition: '5.53–5.60', spectralNorm: '1.62–1.64', rankRatio: '0.89' },
  kaiming_normal: { testLoss: '0.45', convergenceSpeed: '0.33', condition: '5.52–5.85', spectralNorm: '1.96–1.98', rankRatio: '0.89' },
  orthogonal: { testLoss: '0.49', convergenceSpeed: '0.33', condition: '1.00', spectralNorm: '0.88', rankRatio: '0.95' },
  scaled_orthogonal: { testLoss: '2.30', convergenceSpeed: '1.00', condition: '1.00', spectralNorm: '0.13', rankRatio: '0.95' },
  'l-momentum': { testLoss: 'nan', convergenceSpeed: '0.00', condition: '5.48–5.78', spectralNorm: '19.0–20.3', rankRatio: '0.89' },
});

/**
 * The book's "convergence speed" (dldna `train_model_with_metrics`): walking the epochs in order
 * (0-based), an epoch whose test loss is below 0.99 × the best so far becomes the best and the
 * "convergence epoch"; the result is (epochs − convergence epoch) / epochs. The convergence epoch
 * starts at `epochs`, so a run whose test loss is never finite (NaN, or an epoch never reached
 * after divergence) scores 0. Lower means the loss kept improving until the end ("0.33" for 3
 * epochs that all improved); 1.00 means only the first epoch improved by more than 1 %.
 */
export function convergenceSpeed(testLosses: ReadonlyArray<number | null | undefined>, epochs: number): number {
  let best = Infinity;
  let convergenceEpoch = epochs;
  for (let e = 0; e < epochs; e++) {
    const loss = testLosses[e];
    if (typeof loss === 'number' && loss < best * 0.99) {
      best = loss;
      convergenceEpoch = e;
    }
  }
  return (epochs - convergenceEpoch) / epochs;
}

/** One analysed weight at initialisation. */
export interface InitLayerSpectrum {
  name: string;
  shape: number[];
  spectralNorm: number;
  condition: number;
  /** The book's count: singular values whose cumulative share of Σσ stays below 95 %, over min(m, n). */
  rankRatioBook: number;
  /** Entropy effective rank (Roy & Vetterli) over min(m, n). */
  rankRatioEntropy: number;
  singularValues: number[];
}

/** The book's at-initialisation columns: plain means over the analysed weights. */
export interface InitSpectrum {
  condition: number;
  spectralNorm: number;
  rankRatioBook: number;
  rankRatioEntropy: number;
  layers: InitLayerSpectrum[];
}

/**
 * Spectrum metrics of a model's weights as the book computes them: every kernel plus every 1-D
 * trainable non-bias weight (the shared PReLU slope: spectral norm |a|, condition 1, rank 1),
 * averaged plainly over those entries.
 */
export function initSpectrum(model: tf.LayersModel): InitSpectrum {
  const { layers, averages } = analyzeModelWeights(model, { variant: 'book', includeVectors: true });
  return {
    condition: averages.condition,
    spectralNorm: averages.spectralNorm,
    rankRatioBook: averages.cumulativeRankRatio,
    rankRatioEntropy: averages.effectiveRankRatio,
    layers: layers.map((l) => ({
      name: l.name,
      shape: l.shape,
      spectralNorm: l.spectralNorm,
      condition: l.condition,
      rankRatioBook: l.cumulativeRankRatio,
      rankRatioEntropy: l.effectiveRankRatio,
      singularValues: Array.from(l.singularValues),
    })),
  };
}

/** Signal propagation through depth on one batch at the current weights. */
export interface DepthProfile {
  /** Variance (over batch and units) of each hidden layer's output after the activation, layer 1…L−1. */
  activationVariance: number[];
  /** Variance of each dense layer's output before the activation (the last one: the logits), layer 1…L. */
  preActivationVariance: number[];
  /** Variance of the entries of each dense kernel's loss gradient, layer 1…L. */
  gradientVariance: number[];
}

const variance = (t: tf.Tensor): number => tf.tidy(() => tf.moments(t).variance.dataSync()[0]);

/**
 * Forwards `batch` through a SimpleNetwork-shaped model (flatten, then dense layers with one
 * activation layer between them) recording each layer's output variance, then takes the gradient
 * of the mean cross-entropy and records each kernel's gradient variance. Nothing is changed.
 */
export function depthProfile(model: tf.LayersModel, batch: { x: tf.Tensor; y: tf.Tensor }): DepthProfile {
  const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
  const flatten = model.layers.find((l) => l.getClassName() === 'Flatten');
  const act = model.layers.find((l) => !['Dense', 'Flatten', 'InputLayer'].includes(l.getClassName()));
  const activationVariance: number[] = [];
  const preActivationVariance: number[] = [];
  tf.tidy(() => {
    let h = flatten ? (flatten.apply(batch.x) as tf.Tensor) : batch.x;
    dense.forEach((layer, i) => {
      h = layer.apply(h) as tf.Tensor;
      preActivationVariance.push(variance(h));
      if (i < dense.length - 1 && act) {
        h = act.apply(h) as tf.Tensor;
        activationVariance.push(variance(h));
      }
    });
  });
  const kernels = dense.map((l) => l.trainableWeights.find((w) => w.shape.length >= 2)!.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => softmaxCrossEntropy(model.apply(batch.x, { training: true }) as tf.Tensor, batch.y), kernels);
  const gradientVariance = kernels.map((k) => variance(grads[k.name]));
  value.dispose();
  tf.dispose(Object.values(grads));
  return { activationVariance, preActivationVariance, gradientVariance };
}

/** One method to study: its display name, registry id and config, and a factory. */
export interface InitMethodSpec {
  name: string;
  id: string;
  config: Record<string, unknown>;
  create(): Initializer;
}

export interface InitStudyOptions {
  methods: InitMethodSpec[];
  train: ImageDataset;
  test: ImageDataset;
  optimizer: { id: string; config: Record<string, unknown>; create(): GradientTransform<any> };
  epochs: number;
  batchSize: number;
  /** Repeat r uses seed + r for the model, the initializer and the shuffling. */
  seed: number;
  repeats?: number;
  activation?: Activation;
  hiddenSizes?: number[];
  /** Examples (the first of the training set) for the depth profile and MetaInit. Default 256. */
  probeSize?: number;
  /** Only the analysis at initialisation (spectrum, depth profile, MetaInit), no training. */
  initOnly?: boolean;
  /** Each run's results.jsonl/csv and summary.json go to outDir/runs/<method>[-seed<s>]. */
  outDir?: string;
  progress?: ProgressMode;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** One training run of one method. */
export interface InitRun {
  method: string;
  id: string;
  seed: number;
  /** 'not trained' with `initOnly`. */
  status: TrainResult['status'] | 'not trained';
  diverged?: { epoch: number; batch: number; reason: string };
  epochs: EpochRecord[];
  /** Final test loss and accuracy; null when the run did not complete. */
  testLoss: number | null;
  testAccuracy: number | null;
  convergenceSpeed: number;
  spectrum: InitSpectrum;
  profile: DepthProfile;
  /** MetaInit's gradient quotient before and after its tuning, when the method asks for it. */
  gradientQuotient?: { before: number; after: number; steps: number };
  /** Training time (s), without the analysis at initialisation. */
  seconds: number;
  /** Training loss of every step, in order. */
  batchLosses: number[];
}

/** One line of the study's table: a method over its repeats. */
export interface InitRow {
  method: string;
  id: string;
  runs: number;
  completed: number;
  /** Epoch of divergence of each diverged run. */
  divergedEpochs: number[];
  testLoss: Stat | null;
  /** 100 − test accuracy, in %. */
  errorRate: Stat | null;
  convergenceSpeed: Stat | null;
  condition: Stat | null;
  spectralNorm: Stat | null;
  rankRatioBook: Stat | null;
  rankRatioEntropy: Stat | null;
  seconds: Stat | null;
  gradientQuotientBefore: Stat | null;
  gradientQuotientAfter: Stat | null;
}

export interface InitStudyResult {
  rows: InitRow[];
  runs: InitRun[];
  plots: { spectra: Plot[]; depth: Plot[]; loss: Plot[] };
  interrupted: boolean;
  hiddenSizes: number[];
}

/** Averages a method's runs into a table row. */
export function initRow(method: string, id: string, runs: InitRun[]): InitRow {
  const done = runs.filter((r) => r.status === 'completed');
  const gq = runs.filter((r) => r.gradientQuotient);
  return {
    method,
    id,
    runs: runs.length,
    completed: done.length,
    divergedEpochs: runs.filter((r) => r.status === 'diverged').map((r) => r.diverged!.epoch),
    testLoss: stat(done.map((r) => r.testLoss)),
    errorRate: stat(done.map((r) => (r.testAccuracy === null ? null : 100 * (1 - r.testAccuracy)))),
    convergenceSpeed: stat(runs.filter((r) => r.status === 'completed' || r.status === 'diverged').map((r) => r.convergenceSpeed)),
    condition: statAll(runs.map((r) => r.spectrum.condition)),
    spectralNorm: stat(runs.map((r) => r.spectrum.spectralNorm)),
    rankRatioBook: stat(runs.map((r) => r.spectrum.rankRatioBook)),
    rankRatioEntropy: stat(runs.map((r) => r.spectrum.rankRatioEntropy)),
    seconds: stat(runs.filter((r) => r.status !== 'not trained').map((r) => r.seconds)),
    gradientQuotientBefore: gq.length ? stat(gq.map((r) => r.gradientQuotient!.before)) : null,
    gradientQuotientAfter: gq.length ? stat(gq.map((r) => r.gradientQuotient!.after)) : null,
  };
}

/** Like stat, but an infinite value (a singular weight) makes the mean infinite instead of being dropped. */
function statAll(values: number[]): Stat | null {
  if (values.some((v) => v === Infinity)) return { mean: Infinity, sd: NaN, n: values.length };
  return stat(values);
}

/**
 * The book's initialisation study (Deep Learning DNA ch. 5; REFERENCE.md): for each method and
 * repeat, build the SimpleNetwork (PReLU by default, one shared slope), initialise it as the book
 * does (kernels by the method, biases 0, the slope left at 0.25), run MetaInit's tuning when the
 * method asks for it, measure the spectrum and the signal/gradient variance through depth at
 * initialisation, then train and evaluate. Returns the table rows, every run and the plots.
 */
export async function runInitStudy(options: InitStudyOptions): Promise<InitStudyResult> {
  const { methods, epochs, batchSize } = options;
  const repeats = options.repeats ?? 1;
  const activation = options.activation ?? 'prelu';
  const hiddenSizes = options.hiddenSizes ?? [256, 192, 128, 64];
  const probeSize = Math.min(options.probeSize ?? 256, options.train.size);
  const log = options.log ?? (() => {});
  const lossFn = (y: tf.Tensor, logits: tf.Tensor) => softmaxCrossEntropy(logits, y);
  const probe = options.train.subset(0, probeSize).toTensors();
  const runs: InitRun[] = [];
  let interrupted = false;
  try {
    outer: for (const [m, spec] of methods.entries()) {
      for (let r = 0; r < repeats; r++) {
        if (options.signal?.aborted) {
          interrupted = true;
          break outer;
        }
        const seed = options.seed + r;
        log(`[${m + 1}/${methods.length}] ${spec.name} (${spec.id})${repeats > 1 ? `, seed ${seed}` : ''}`);
        const model = simpleNetwork({ activation, hiddenSizes, inputShape: [...options.train.shape], numClasses: options.train.numClasses, seed });
        try {
          const init = spec.create();
          initializeModel(model, init, { rng: new Rng(seed).fork('init') });
          let gradientQuotient: InitRun['gradientQuotient'];
          if (hasMetaInitPostInit(init)) {
            log(`  MetaInit: tuning the weight norms on ${probeSize} training examples (${init.postInit.config.steps} steps)`);
            const tuned = runPostInit(init, model, lossFn, { x: probe.x, y: probe.y })!;
            gradientQuotient = { before: tuned.history[0], after: tuned.history[tuned.history.length - 1], steps: tuned.history.length - 1 };
            log(`  gradient quotient ${gradientQuotient.before.toFixed(3)} → ${gradientQuotient.after.toFixed(3)}`);
          }
          const spectrum = initSpectrum(model);
          const profile = depthProfile(model, probe);
          if (options.initOnly) {
            runs.push({ method: spec.name, id: spec.id, seed, status: 'not trained', epochs: [], testLoss: null, testAccuracy: null, convergenceSpeed: NaN, spectrum, profile, ...(gradientQuotient ? { gradientQuotient } : {}), seconds: 0, batchLosses: [] });
            continue;
          }
          const batchLosses: number[] = [];
          const result = await train({
            model,
            optimizer: options.optimizer.create(),
            train: options.train,
            test: options.test,
            epochs,
            batchSize,
            seed,
            outDir: options.outDir ? join(options.outDir, 'runs', slug(repeats > 1 ? `${spec.name}-seed${seed}` : spec.name)) : undefined,
            checkpoint: false,
            progress: options.progress ?? 'none',
            signal: options.signal,
            callbacks: { onBatchEnd: (e) => void batchLosses.push(e.loss) },
            meta: { study: 'init', method: spec.name, init: { id: spec.id, config: spec.config }, optimizer: { id: options.optimizer.id, config: options.optimizer.config }, seed },
          });
          result.optimizer.dispose();
          const last = result.epochs[result.epochs.length - 1];
          const completed = result.status === 'completed';
          runs.push({
            method: spec.name,
            id: spec.id,
            seed,
            status: result.status,
            ...(result.diverged ? { diverged: result.diverged } : {}),
            epochs: result.epochs,
            testLoss: completed ? (last?.testLoss ?? null) : null,
            testAccuracy: completed ? (last?.testAccuracy ?? null) : null,
            convergenceSpeed: convergenceSpeed(
              result.epochs.map((e) => e.testLoss),
              epochs,
            ),
            spectrum,
            profile,
            ...(gradientQuotient ? { gradientQuotient } : {}),
            seconds: result.seconds,
            batchLosses,
          });
          if (result.status === 'interrupted') {
            interrupted = true;
            break outer;
          }
          if (result.status === 'diverged') {
            if ((options.progress ?? 'none') === 'none') log(`  diverged at epoch ${result.diverged!.epoch}, batch ${result.diverged!.batch}: ${result.diverged!.reason}`);
          } else log(`  test loss ${last.testLoss?.toFixed(4)}, accuracy ${(100 * (last.testAccuracy ?? 0)).toFixed(2)} %, ${result.seconds.toFixed(1)} s`);
        } finally {
          model.dispose();
        }
      }
    }
  } finally {
    probe.dispose();
  }
  const rows = methods
    .map((spec) => ({ spec, mine: runs.filter((r) => r.method === spec.name && r.status !== 'interrupted') }))
    .filter(({ mine }) => mine.length > 0)
    .map(({ spec, mine }) => initRow(spec.name, spec.id, mine));
  return { rows, runs, plots: initPlots(runs, hiddenSizes), interrupted, hiddenSizes };
}

const positive = (v: number) => (Number.isFinite(v) && v > 0 ? v : null);

/** The study's figures from its runs (the first seed of each method). */
export function initPlots(runs: InitRun[], hiddenSizes: number[]): InitStudyResult['plots'] {
  const first = new Map<string, InitRun>();
  for (const r of runs) if (!first.has(r.method) && r.status !== 'interrupted') first.set(r.method, r);
  const chosen = [...first.values()];
  if (chosen.length === 0) return { spectra: [], depth: [], loss: [] };
  const depthLabel = `${hiddenSizes.length} hidden layers`;

  const spectra = chosen.map((run) => {
    const data = run.spectrum.layers
      .filter((l) => l.singularValues.length > 1)
      .flatMap((l) => l.singularValues.map((s, i) => ({ index: i + 1, sigma: positive(s), layer: `${l.name.replace(/^.*?(dense_\d+)\/kernel$/, '$1')} [${l.shape.join('×')}]` })));
    return lineChart({
      title: `Singular values at initialisation — ${run.method}`,
      subtitle: `${run.id}; one line per kernel (tfjs [in, out]); mean σ_max over kernels and PReLU slope ${run.spectrum.spectralNorm.toFixed(3)}`,
      x: { field: 'index', title: 'index i (descending)' },
      y: { field: 'sigma', title: 'σᵢ', scale: 'log' },
      series: { field: 'layer', title: 'Weight' },
      data,
      points: false,
    });
  });

  const activationData = chosen.flatMap((run) => run.profile.activationVariance.map((v, i) => ({ layer: i + 1, variance: positive(v), method: run.method })));
  const gradientData = chosen.flatMap((run) => run.profile.gradientVariance.map((v, i) => ({ layer: i + 1, variance: positive(v), method: run.method })));
  const depth = [
    lineChart({
      title: 'Activation variance through depth at initialisation',
      subtitle: `Var of each hidden layer's output after the activation, one batch; ${depthLabel}; gaps: 0 or overflow`,
      x: { field: 'layer', title: 'hidden layer' },
      y: { field: 'variance', title: 'variance', scale: 'log' },
      series: { field: 'method', title: 'Method' },
      data: activationData,
    }),
    lineChart({
      title: 'Weight-gradient variance through depth at initialisation',
      subtitle: `Var of the entries of ∂loss/∂W per dense layer (the last is the output layer), one batch; ${depthLabel}`,
      x: { field: 'layer', title: 'dense layer' },
      y: { field: 'variance', title: 'variance', scale: 'log' },
      series: { field: 'method', title: 'Method' },
      data: gradientData,
    }),
  ];

  const loss: Plot[] = [];
  const withEpochs = chosen.filter((r) => r.epochs.length > 0);
  if (withEpochs.some((r) => r.epochs.some((e) => Number.isFinite(e.trainLoss)))) {
    loss.push(
      metricsPanels(
        withEpochs.map((r) => ({ name: r.method, records: r.epochs })),
        [
          { metric: 'trainLoss', scale: 'log' },
          { metric: 'testLoss', scale: 'log' },
          'testAccuracy',
          'gradNorm',
        ],
        { title: 'Training per epoch', subtitle: 'a diverged run stops at its last completed epoch', seriesTitle: 'Method' },
      ),
    );
  }
  const batchData = chosen.flatMap((run) => downsample(run.batchLosses, 150).map((p) => ({ step: p.step, loss: positive(p.value), method: run.method })));
  if (batchData.some((d) => d.loss !== null)) {
    loss.push(
      lineChart({
        title: 'Training loss per step',
        subtitle: 'mean over windows of steps; a diverged run ends where its loss stopped being finite',
        x: { field: 'step', title: 'step' },
        y: { field: 'loss', title: 'cross-entropy', scale: 'log' },
        series: { field: 'method', title: 'Method' },
        data: batchData,
      }),
    );
  }
  return { spectra, depth, loss };
}

/** Table cells of a row: strings, as the terminal, Markdown and HTML tables show them. */
export function initTableRows(rows: InitRow[]): Array<Record<string, string>> {
  const withGq = rows.some((r) => r.gradientQuotientBefore);
  return rows.map((r) => {
    const diverged = r.divergedEpochs.length;
    const epochs = [...new Set(r.divergedEpochs)].sort((a, b) => a - b).join(', ');
    let testLoss: string;
    let errorRate: string;
    if (r.completed === 0 && diverged > 0) {
      testLoss = `diverged (epoch ${epochs})${r.runs > 1 ? ` in ${diverged}/${r.runs}` : ''}`;
      errorRate = '—';
    } else {
      testLoss = showStat(r.testLoss, 3) + (diverged ? ` (${diverged}/${r.runs} diverged, epoch ${epochs})` : '');
      errorRate = showStat(r.errorRate, 2);
    }
    const cells: Record<string, string> = {
      method: r.method,
      init: r.id,
      'test loss': testLoss,
      'error rate (%)': errorRate,
      'conv. speed': showStat(r.convergenceSpeed, 2),
      'avg cond.': showStat(r.condition, 2),
      'spectral norm': showStat(r.spectralNorm, 3),
      'rank ratio (95 %)': showStat(r.rankRatioBook, 3),
      'rank ratio (entropy)': showStat(r.rankRatioEntropy, 3),
      'time (s)': showStat(r.seconds, 1),
    };
    if (withGq) cells['GQ before → after'] = r.gradientQuotientBefore ? `${showStat(r.gradientQuotientBefore, 3)} → ${showStat(r.gradientQuotientAfter, 3)}` : '—';
    return cells;
  });
}

/** What the table's columns mean; printed under it and written into the report. */
export const INIT_TABLE_NOTES = [
  'test loss: final test cross-entropy. The book\'s column "Error Rate (%)" is this number (its table prints the test loss, not an error rate); error rate (%) here is a real one, 100 − test accuracy.',
  'conv. speed: the book\'s definition — (epochs − last epoch, 0-based, whose test loss beat the best so far by > 1 %) / epochs; lower means the loss kept improving to the end; a run that never has a finite test loss scores 0.',
  'avg cond., spectral norm, rank ratios: at initialisation, before training, plain means over the dense kernels plus the shared PReLU slope (spectral norm |a| = 0.25, condition 1, rank 1), as the book. rank ratio (95 %): the book\'s count of singular values whose cumulative share stays below 95 %, over min(m, n); rank ratio (entropy): exp(entropy of σ/Σσ) over min(m, n).',
  'time: training time of the run (s), without the analysis at initialisation.',
];
