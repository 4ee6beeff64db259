import { tf, perParameter, DescentError, elementwiseProgram, sum, type Expr, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

/** Configuration of `lion`: the official code's hyperparameters (google/automl lion_pytorch.py) in camelCase, with its defaults. */
export interface LionConfig {
  /** Learning rate (default 1e-4; the paper suggests 3–10× smaller than AdamW's). */
  lr: number;
  /** [β1, β2]: β1 interpolates the update direction, β2 is the decay of the momentum (default [0.9, 0.99]). */
  betas: [number, number];
  /** Decoupled weight decay λ: θ ← θ·(1 − lr·λ) before the step (default 0; the paper suggests 3–10× AdamW's). */
  weightDecay: number;
}

/** Per-parameter state, the official code's name in camelCase: the momentum (`exp_avg`). */
export type LionSlot = { expAvg: tf.Tensor };

/** Live numeric hyperparameters in `state.hyper`; `betas` is held as `beta1` and `beta2`. */
export type LionHyper = { lr: number; beta1: number; beta2: number; weightDecay: number };

export type LionState = PerParamState<LionSlot>;

export const lionDefaults: Readonly<LionConfig> = Object.freeze({ lr: 1e-4, betas: [0.9, 0.99] as [number, number], weightDecay: 0 });

/**
 * sign(x) ∈ {−1, 0, 1} from two comparisons. tf.sign is not used: the wasm backend of
 * TensorFlow.js 4.22 returns 0 for every |x| ≤ 2⁻²³ (float32 epsilon), which would freeze the
 * entries whose momentum is small; comparisons are exact on every backend.
 */
export function exactSign(x: tf.Tensor): tf.Tensor {
  return tf.sub(tf.cast(tf.greater(x, 0), 'float32'), tf.cast(tf.less(x, 0), 'float32'));
}

/**
 * One Lion step of one parameter as a program run (for perParameter's `step`), shared by `lion`
 * (decoupled decay) and `lion-book` (decay added to the gradient). `param` is called only when
 * λ ≠ 0. The element-wise math is one program (fused into a single native pass where the backend
 * has it); its `sign` is exact for tiny values on every path, like {@link exactSign}.
 */
export function lionStep(grad: tf.Tensor, slot: LionSlot, h: LionHyper, coupled: boolean, param: () => tf.Tensor) {
  const { lr, beta1, beta2, weightDecay } = h;
  const decay: LionDecay = weightDecay === 0 ? 'none' : coupled ? 'coupled' : 'decoupled';
  return {
    program: lionProgram(decay),
    inputs: { grad, param: decay === 'none' ? undefined : param(), expAvg: slot.expAvg },
    scalars: { lr, beta1, beta2, weightDecay },
    slot: (out: Record<string, tf.Tensor>): LionSlot => ({ expAvg: out.expAvg }),
  };
}

/**
 * One Lion step of one parameter (inside the caller's tidy): {@link lionStep} run on its own, for
 * transforms written with perParameter's `update`. The same numbers as `lion` and `lion-book`.
 */
export function lionUpdate(grad: tf.Tensor, slot: LionSlot, h: LionHyper, coupled: boolean, param: () => tf.Tensor): { update: tf.Tensor; slot: LionSlot } {
  const s = lionStep(grad, slot, h, coupled, param);
  const out = s.program.run(s.inputs, s.scalars);
  return { update: out.update, slot: s.slot(out) };
}

type LionDecay = 'none' | 'coupled' | 'decoupled';
type LionProgram = ReturnType<typeof makeLionProgram>;
const programs = new Map<LionDecay, LionProgram>();

function lionProgram(decay: LionDecay): LionProgram {
  let p = programs.get(decay);
  if (p === undefined) programs.set(decay, (p = makeLionProgram(decay)));
  return p;
}

function makeLionProgram(decay: LionDecay) {
  return elementwiseProgram(`lion-${decay}`, ['grad', 'param', 'expAvg'], ['lr', 'beta1', 'beta2', 'weightDecay'], (x, s) => {
    let g: Expr = x.grad;
    // Decoupled decay as an additive update: θ·(1 − lr·λ) − θ is exact in float32 (Sterbenz), so
    // θ + update rounds like the official p.mul_(1 − lr·λ) followed by the signed step.
    let decayed: Expr | undefined;
    if (decay === 'coupled') g = g.add(x.param.mul(s.weightDecay));
    else if (decay === 'decoupled') decayed = x.param.mul(sum(1).sub(s.lr.mul(s.weightDecay))).sub(x.param);
    const direction = x.expAvg.mul(s.beta1).add(g.mul(sum(1).sub(s.beta1))).sign();
    const expAvg = x.expAvg.mul(s.beta2).add(g.mul(sum(1).sub(s.beta2)));
    const step = direction.mul(s.lr.neg());
    return { update: decayed ? decayed.add(step) : step, expAvg };
  });
}

export function requireParam(param: tf.Tensor | undefined, name: string, id: string): tf.Tensor {
  if (param === undefined) throw new DescentError('NO_PARAMS', `${id}: weight decay needs the value of "${name}"; pass the parameters to update()`);
  return param;
}

/**
 * Lion, "EvoLved Sign Momentum" (Chen et al. 2023, Symbolic Discovery of Optimization
 * Algorithms), with the semantics of the official code (google/automl, lion/lion_pytorch.py):
 *
 *     θ ← θ·(1 − lr·λ)                                   (decoupled weight decay)
 *     c ← β1·m + (1 − β1)·g
 *     θ ← θ − lr·sign(c)                                 (sign(0) = 0)
 *     m ← β2·m + (1 − β2)·g
 *
 * Every entry moves by exactly ±lr (or 0) besides the decay, so the update has a larger norm
 * than Adam's: use a 3–10× smaller lr and a 3–10× larger λ than with AdamW.
 * State: 4 bytes per parameter (the momentum m).
 */
function build(c: LionConfig): GradientTransform<LionState> {
  const hyper: LionHyper = { lr: c.lr, beta1: c.betas[0], beta2: c.betas[1], weightDecay: c.weightDecay };
  return perParameter<LionSlot>({
    hyper,
    init: (p) => ({ expAvg: tf.zerosLike(p) }),
    step: (grad, slot, { hyper: h, param, name }) => lionStep(grad, slot, h as LionHyper, false, () => requireParam(param, name, 'lion')),
  });
}

const beta = (which: string) => schema.number({ min: 0, max: 1, exclusiveMax: true, description: `${which}, 0 ≤ β < 1` });

export function lionSchema(decayDescription: string) {
  return schema.object({
    lr: schema.number({ min: 0, description: 'learning rate' }),
    betas: schema.tuple([beta('interpolation factor of the update direction'), beta('decay rate of the momentum')], { description: '[β1, β2]' }),
    weightDecay: schema.number({ min: 0, description: decayDescription }),
  });
}

export const lion = definePlugin({
  id: 'lion',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'Lion (EvoLved Sign Momentum) with decoupled weight decay, as the official google/automl code.',
  reference: 'Chen et al. 2023, Symbolic Discovery of Optimization Algorithms (arXiv:2302.06675); official code google/automl lion/lion_pytorch.py',
  defaults: { ...lionDefaults, betas: [...lionDefaults.betas] } as LionConfig,
  schema: lionSchema('decoupled weight decay: θ ← θ·(1 − lr·λ) before the step'),
  create: build,
});

/** Validates `config` (merged over the defaults) and builds Lion; same as `lion.create(config)`. */
export function lionTransform(config: Partial<LionConfig> = {}): GradientTransform<LionState> {
  return lion.create(config) as GradientTransform<LionState>;
}
