import { tf, perParameter, DescentError, elementwiseProgram, sum, type Expr, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

/** Configuration of `rmsprop`: torch.optim.RMSprop's hyperparameters in camelCase, with torch's defaults. */
export interface RmspropConfig {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant α of the moving averages (default 0.99). */
  alpha: number;
  /** Added to the denominator, √v + eps (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient, g + λθ (default 0). */
  weightDecay: number;
  /** Momentum factor μ (default 0). */
  momentum: number;
  /** Centered RMSprop: normalise by an estimate of the variance, v − ḡ², instead of v (default false). */
  centered: boolean;
  /** Ascend instead of descend (default false). */
  maximize: boolean;
}

/**
 * Per-parameter state, torch's names: the step count, the moving average of g², the momentum
 * buffer (when momentum > 0) and the moving average of g (centered only).
 */
export type RmspropSlot = { step: number; squareAvg: tf.Tensor; momentumBuffer?: tf.Tensor; gradAvg?: tf.Tensor };

/** Live numeric hyperparameters in `state.hyper`. */
export type RmspropHyper = Pick<RmspropConfig, 'lr' | 'alpha' | 'eps' | 'weightDecay' | 'momentum'>;

export type RmspropState = PerParamState<RmspropSlot>;

export const rmspropDefaults: Readonly<RmspropConfig> = Object.freeze({ lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false });

/**
 * RMSprop (Hinton, Coursera lecture 6e, 2012; centered form: Graves 2013), torch.optim.RMSprop
 * semantics (torch 1.13, single-tensor path):
 *
 *     g ← −∇ if maximize else ∇;   g ← g + λθ          (λ = weightDecay ≠ 0)
 *     v ← α·v + (1 − α)·g²
 *     centered:  ḡ ← α·ḡ + (1 − α)·g;   d ← √(v − ḡ²) + eps      else  d ← √v + eps
 *     μ > 0:  b ← μ·b + g/d;  θ ← θ − lr·b                          else  θ ← θ − lr·g/d
 *
 * eps is added outside the square root, as in torch (TensorFlow adds it inside). State: 4 bytes
 * per parameter, +4 with momentum, +4 centered. A momentum buffer is made at the first step taken
 * with momentum > 0 if momentum was 0 when the parameter was first seen (torch would fail there).
 */
function build(c: RmspropConfig): GradientTransform<RmspropState> {
  const { centered, maximize } = c;
  const hyper: RmspropHyper = { lr: c.lr, alpha: c.alpha, eps: c.eps, weightDecay: c.weightDecay, momentum: c.momentum };
  return perParameter<RmspropSlot>({
    hyper,
    init: (p, _name, h) => ({
      step: 0,
      squareAvg: tf.zerosLike(p),
      ...(h.momentum > 0 ? { momentumBuffer: tf.zerosLike(p) } : {}),
      ...(centered ? { gradAvg: tf.zerosLike(p) } : {}),
    }),
    step(grad, slot, { hyper: h, param, name }) {
      const { lr, alpha, eps, weightDecay, momentum } = h;
      const decay = weightDecay !== 0;
      const withMomentum = momentum > 0;
      return {
        program: rmspropProgram({ maximize, centered, decay, momentum: withMomentum }),
        inputs: {
          grad,
          param: decay ? (param ?? missingParam(name)) : undefined,
          squareAvg: slot.squareAvg,
          gradAvg: centered ? (slot.gradAvg ?? tf.zerosLike(grad)) : undefined,
          // Momentum switched on mid-run: the buffer starts at zero, as in torch.
          momentumBuffer: withMomentum ? (slot.momentumBuffer ?? tf.zerosLike(grad)) : undefined,
        },
        scalars: { lr, alpha, eps, weightDecay, momentum },
        slot(out) {
          const next: RmspropSlot = { ...slot, step: slot.step + 1, squareAvg: out.squareAvg };
          if (centered) next.gradAvg = out.gradAvg;
          if (withMomentum) next.momentumBuffer = out.momentumBuffer;
          return next;
        },
      };
    },
  });
}

type RmspropProgram = ReturnType<typeof makeRmspropProgram>;
const programs = new Map<string, RmspropProgram>();

/** One RMSprop step per element as one program (cached per variant): torch's operations, in its order. */
function rmspropProgram(o: { maximize: boolean; centered: boolean; decay: boolean; momentum: boolean }): RmspropProgram {
  const key = `${o.maximize}/${o.centered}/${o.decay}/${o.momentum}`;
  let p = programs.get(key);
  if (p === undefined) programs.set(key, (p = makeRmspropProgram(o)));
  return p;
}

function makeRmspropProgram(o: { maximize: boolean; centered: boolean; decay: boolean; momentum: boolean }) {
  return elementwiseProgram(
    `rmsprop${o.centered ? '-centered' : ''}${o.momentum ? '-momentum' : ''}`,
    ['grad', 'param', 'squareAvg', 'gradAvg', 'momentumBuffer'],
    ['lr', 'alpha', 'eps', 'weightDecay', 'momentum'],
    (x, s) => {
      let g: Expr = o.maximize ? x.grad.neg() : x.grad;
      if (o.decay) g = g.add(x.param.mul(s.weightDecay));
      const out: Record<string, Expr> = {};
      const squareAvg = x.squareAvg.mul(s.alpha).add(g.mul(sum(1).sub(s.alpha)).mul(g));
      out.squareAvg = squareAvg;
      let avg: Expr;
      if (o.centered) {
        const gradAvg = x.gradAvg.mul(s.alpha).add(g.mul(sum(1).sub(s.alpha)));
        out.gradAvg = gradAvg;
        avg = squareAvg.sub(gradAvg.mul(gradAvg)).sqrt();
      } else {
        avg = squareAvg.sqrt();
      }
      avg = avg.add(s.eps);
      if (o.momentum) {
        const buf = x.momentumBuffer.mul(s.momentum).add(g.div(avg));
        out.momentumBuffer = buf;
        out.update = buf.mul(s.lr.neg());
      } else {
        out.update = g.mul(s.lr.neg()).div(avg);
      }
      return out;
    },
  );
}

function missingParam(name: string): never {
  throw new DescentError('NO_PARAMS', `rmsprop: weight decay needs the value of "${name}"; pass the parameters to update()`);
}

export const rmsprop = definePlugin({
  id: 'rmsprop',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'RMSprop with momentum and the centered variant (torch.optim.RMSprop semantics).',
  reference: 'torch.optim.RMSprop (torch 1.13); Hinton, Neural Networks for Machine Learning, lecture 6e (2012); Graves 2013, Generating Sequences With Recurrent Neural Networks (centered)',
  defaults: { ...rmspropDefaults } as RmspropConfig,
  schema: schema.object({
    lr: schema.number({ min: 0, description: 'learning rate' }),
    alpha: schema.number({ min: 0, description: 'smoothing constant of the moving averages' }),
    eps: schema.number({ min: 0, description: 'added to the denominator for numerical stability' }),
    weightDecay: schema.number({ min: 0, description: 'L2 penalty added to the gradient' }),
    momentum: schema.number({ min: 0, description: 'momentum factor' }),
    centered: schema.boolean({ description: 'normalise by the estimated variance of the gradient' }),
    maximize: schema.boolean({ description: 'maximize the objective instead of minimizing it' }),
  }),
  create: build,
});

/** Validates `config` (merged over the defaults) and builds the transform; same as `rmsprop.create(config)`. */
export function rmspropTransform(config: Partial<RmspropConfig> = {}): GradientTransform<RmspropState> {
  return rmsprop.create(config) as GradientTransform<RmspropState>;
}
