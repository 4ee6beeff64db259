import {
  clipByGlobalNorm,
  clipByValue,
  addDecayedWeights,
  decayMask,
  stepSchedule,
  exponentialSchedule,
  cosineSchedule,
  warmupCosineSchedule,
  oneCycleSchedule,
  type GradientTransform,
  type Schedule,
  type tf,
} from '@descent/tensor';
import { buildModel, describeModels, ACTIVATIONS } from '@descent/models';
import { schema, type TSchema } from '@descent/registry';

/** A built-in step that is not a registry plugin (models, gradient transforms, schedules). */
export interface StepEntry<A, R> {
  description: string;
  schema: TSchema;
  build(config: Record<string, any>, args: A): R;
}

/** What a model step gets: the data's example shape and class count, and the run's seed. */
export interface ModelContext {
  inputShape: number[];
  numClasses: number;
  seed: number;
}

const modelSchema = schema.object({
  activation: schema.enum(ACTIVATIONS, { description: 'activation of simple-mlp (default relu)' }),
  hiddenSizes: schema.array(schema.integer({ min: 1 }), { minItems: 1, description: 'hidden layer sizes of simple-mlp' }),
});

/** The built-in model steps: every @descent/models builder by name. */
export const MODEL_STEPS: Record<string, StepEntry<ModelContext, tf.LayersModel>> = Object.fromEntries(
  describeModels().map(({ name, description }) => [
    name,
    {
      description,
      schema: modelSchema,
      build: (config, ctx) => buildModel(name, { ...config, inputShape: ctx.inputShape, numClasses: ctx.numClasses, seed: ctx.seed }),
    } satisfies StepEntry<ModelContext, tf.LayersModel>,
  ]),
);

/** Gradient transforms applied to the gradients before the optimizer (chain order). */
export const TRANSFORM_STEPS: Record<string, StepEntry<void, GradientTransform<any>>> = {
  'clip-by-global-norm': {
    description: 'rescale all gradients together so their global norm is at most maxNorm (torch clip_grad_norm_)',
    schema: schema.object({ maxNorm: schema.number({ min: 0, exclusiveMin: true, description: 'largest global norm (default 1)' }) }),
    build: (c) => clipByGlobalNorm(c.maxNorm ?? 1),
  },
  'clip-by-value': {
    description: 'clip every gradient entry to [−maxDelta, maxDelta] (torch clip_grad_value_)',
    schema: schema.object({ maxDelta: schema.number({ min: 0, exclusiveMin: true, description: 'largest magnitude (default 1)' }) }),
    build: (c) => clipByValue(c.maxDelta ?? 1),
  },
  'l2-penalty': {
    description: 'add weightDecay·θ to the gradients (L2 regularisation; biases and 1-D weights excluded unless mask is "all")',
    schema: schema.object({
      weightDecay: schema.number({ min: 0, description: 'coefficient (default 1e-4)' }),
      mask: schema.enum(['weights', 'all'] as const, { description: 'weights (default: no biases or 1-D weights) or all' }),
    }),
    build: (c) => addDecayedWeights(c.weightDecay ?? 1e-4, c.mask === 'all' ? undefined : decayMask),
  },
};

/** What a schedule step gets: the optimizer's base learning rate and the number of epochs. */
export interface ScheduleContext {
  lr: number;
  epochs: number;
}

const base = { lr: schema.number({ min: 0, description: "base learning rate (default: the optimizer's lr)" }) };

/** Learning-rate schedules over epochs (the step count of @descent/tensor's schedules is the 0-based epoch). */
export const SCHEDULE_STEPS: Record<string, StepEntry<ScheduleContext, Schedule>> = {
  step: {
    description: 'lr · gamma^⌊epoch / stepSize⌋ (torch StepLR)',
    schema: schema.object({ ...base, stepSize: schema.integer({ min: 1, description: 'epochs per decay (default 1)' }), gamma: schema.number({ min: 0, description: 'factor (default 0.1)' }) }),
    build: (c, s) => stepSchedule(c.lr ?? s.lr, c.stepSize ?? 1, c.gamma ?? 0.1),
  },
  exponential: {
    description: 'lr · gamma^epoch (torch ExponentialLR)',
    schema: schema.object({ ...base, gamma: schema.number({ min: 0, description: 'factor per epoch (default 0.9)' }) }),
    build: (c, s) => exponentialSchedule(c.lr ?? s.lr, c.gamma ?? 0.9),
  },
  cosine: {
    description: 'cosine decay from lr to minLr over decayEpochs (default: all epochs)',
    schema: schema.object({ ...base, decayEpochs: schema.integer({ min: 1 }), minLr: schema.number({ min: 0, description: 'final rate (default 0)' }) }),
    build: (c, s) => cosineSchedule(c.lr ?? s.lr, c.decayEpochs ?? s.epochs, c.minLr ?? 0),
  },
  'warmup-cosine': {
    description: 'linear warm-up from initLr to lr over warmupEpochs, then cosine decay to endLr at the last epoch',
    schema: schema.object({ ...base, warmupEpochs: schema.integer({ min: 0, description: 'default 1' }), initLr: schema.number({ min: 0 }), endLr: schema.number({ min: 0 }) }),
    build: (c, s) => warmupCosineSchedule({ peakValue: c.lr ?? s.lr, warmupSteps: c.warmupEpochs ?? 1, totalSteps: s.epochs, initValue: c.initLr ?? 0, endValue: c.endLr ?? 0 }),
  },
  'one-cycle': {
    description: 'one-cycle policy over the epochs, peak lr (torch OneCycleLR)',
    schema: schema.object({ ...base, pctStart: schema.number({ min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }), divFactor: schema.number({ min: 1 }), finalDivFactor: schema.number({ min: 1 }) }),
    build: (c, s) => oneCycleSchedule({ maxValue: c.lr ?? s.lr, totalSteps: s.epochs, pctStart: c.pctStart, divFactor: c.divFactor, finalDivFactor: c.finalDivFactor }),
  },
};
