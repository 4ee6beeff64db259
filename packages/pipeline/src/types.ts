import type { tf, GradientTransform, Initializer, Schedule } from '@descent/tensor';
import type { NonFinitePolicy } from '@descent/tensor';
import type { PipelineData } from './data';
import type { ModelContext } from './steps';
import type { Analysis } from './analyses';

/** A step by registry (or built-in) id and its config; the form config files use. */
export interface StepRef<C extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  config?: C;
}

/** Data: a built-in data set by id (fashion-mnist, mnist, cifar10, cifar100, synthetic) or your own loader. */
export type DataStep = StepRef | PipelineData | (() => PipelineData | Promise<PipelineData>);
/** Model: a @descent/models builder by id (simple-mlp, cifar-cnn, ...) or your own builder of a logits model. */
export type ModelStep = StepRef | ((ctx: ModelContext) => tf.LayersModel);
/** Initializer: an initializer plugin by id, your own Initializer, or null for the model's own. */
export type InitStep = StepRef | Initializer | null;
/** A gradient transform applied before the optimizer: built-in by id (clip-by-global-norm, ...) or your own. */
export type TransformStep = StepRef | GradientTransform<any>;
/** A learning-rate schedule over epochs: built-in by id (step, cosine, ...) or your own epoch → lr. */
export type ScheduleStep = StepRef | ((epoch: number) => number);
/** An analysis: a registered analysis plugin by id (with an optional output name) or your own. */
export type AnalysisStep = (StepRef & { name?: string }) | Analysis;

export interface OptimizerStep extends StepRef {
  /** Applied to the gradients, in order, before the optimizer. */
  transforms?: TransformStep[];
  /** Sets the optimizer's 'lr' before every epoch. */
  schedule?: ScheduleStep;
}

export interface TrainingSettings {
  epochs: number;
  batchSize: number;
  /** Seeds initialisation, shuffling and estimators (default 0). */
  seed?: number;
  nonFinite?: NonFinitePolicy;
  augment?: boolean;
  evalBatchSize?: number;
  /** Checkpoint every `every` epochs, keeping `keep` (default: every epoch, keep 2). */
  checkpoint?: { every?: number; keep?: number };
}

/** A whole study: data → model → initializer → optimizer → training → analyses. */
export interface Pipeline {
  /** Names the run (and the default output folder of `descent run`). */
  name?: string;
  data: DataStep;
  model: ModelStep;
  init?: InitStep;
  optimizer: OptimizerStep | GradientTransform<any>;
  training: TrainingSettings;
  analyses?: AnalysisStep[];
}

/** Sweep settings: paths into the config (or the aliases seed, lr, epochs, batchSize, optimizer, init) and their values. */
export interface SweepSpec {
  /** Every combination of these values. */
  grid?: Record<string, unknown[]>;
  /** Each entry one set of overrides (crossed with the grid when both are given). */
  list?: Array<Record<string, unknown>>;
}

/** The JSON/YAML form of a pipeline: every step a StepRef, plus an optional sweep. */
export interface PipelineConfig {
  $schema?: string;
  name?: string;
  /** Output folder (relative to the working directory); `descent run --out` overrides it. */
  out?: string;
  data: StepRef;
  model: StepRef;
  init?: StepRef | null;
  optimizer: StepRef & { transforms?: StepRef[]; schedule?: StepRef };
  training: TrainingSettings;
  analyses?: Array<StepRef & { name?: string }>;
  sweep?: SweepSpec;
}

export type { Schedule };
