import { tf, perParameter, DescentError, elementwiseProgram, type Expr, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

/** Configuration of `adagrad`: torch.optim.Adagrad's hyperparameters in camelCase, with torch's defaults. */
export interface AdagradConfig {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Learning-rate decay: the step size is lr / (1 + (t − 1)·lrDecay) (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient, g + λθ (default 0). */
  weightDecay: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator, √sum + eps (default 1e-10). */
  eps: number;
  /** Ascend instead of descend (default false). */
  maximize: boolean;
}

/** Per-parameter state, torch's names: the step count and the running sum of squared gradients. */
export type AdagradSlot = { step: number; sum: tf.Tensor };

/** Live numeric hyperparameters in `state.hyper`; initialAccumulatorValue applies to parameters seen later. */
export type AdagradHyper = Pick<AdagradConfig, 'lr' | 'lrDecay' | 'weightDecay' | 'initialAccumulatorValue' | 'eps'>;

export type AdagradState = PerParamState<AdagradSlot>;

export const adagradDefaults: Readonly<AdagradConfig> = Object.freeze({ lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false });

/**
 * Adagrad (Duchi, Hazan & Singer 2011), torch.optim.Adagrad semantics (torch 1.13, single-tensor
 * path, dense gradients), t the per-parameter step count:
 *
 *     g ← −∇ if maximize else ∇;   g ← g + λθ          (λ = weightDecay ≠ 0)
 *     sum ← sum + g²                                     (sum starts at initialAccumulatorValue)
 *     θ ← θ − lr/(1 + (t − 1)·lrDecay) · g / (√sum + eps)
 *
 * State: 4 bytes per parameter.
 */
function build(c: AdagradConfig): GradientTransform<AdagradState> {
  const { maximize } = c;
  const hyper: AdagradHyper = { lr: c.lr, lrDecay: c.lrDecay, weightDecay: c.weightDecay, initialAccumulatorValue: c.initialAccumulatorValue, eps: c.eps };
  return perParameter<AdagradSlot>({
    hyper,
    init: (p, _name, h) => ({ step: 0, sum: tf.fill(p.shape, h.initialAccumulatorValue, 'float32') }),
    step(grad, slot, { hyper: h, param, name }) {
      const t = slot.step + 1;
      const decay = h.weightDecay !== 0;
      const clr = h.lr / (1 + (t - 1) * h.lrDecay);
      return {
        program: adagradProgram({ maximize, decay }),
        inputs: { grad, param: decay ? (param ?? missingParam(name)) : undefined, sum: slot.sum },
        scalars: { clr, eps: h.eps, weightDecay: h.weightDecay },
        slot: (out) => ({ step: t, sum: out.sum }),
      };
    },
  });
}

type AdagradProgram = ReturnType<typeof makeAdagradProgram>;
const programs = new Map<string, AdagradProgram>();

/** One Adagrad step per element as one program (cached per variant): torch's operations, in its order. */
function adagradProgram(o: { maximize: boolean; decay: boolean }): AdagradProgram {
  const key = `${o.maximize}/${o.decay}`;
  let p = programs.get(key);
  if (p === undefined) programs.set(key, (p = makeAdagradProgram(o)));
  return p;
}

function makeAdagradProgram(o: { maximize: boolean; decay: boolean }) {
  return elementwiseProgram('adagrad', ['grad', 'param', 'sum'], ['clr', 'eps', 'weightDecay'], (x, s) => {
    let g: Expr = o.maximize ? x.grad.neg() : x.grad;
    if (o.decay) g = g.add(x.param.mul(s.weightDecay));
    const sumSq = x.sum.add(g.mul(g));
    const std = sumSq.sqrt().add(s.eps);
    return { update: g.mul(s.clr.neg()).div(std), sum: sumSq };
  });
}

function missingParam(name: string): never {
  throw new DescentError('NO_PARAMS', `adagrad: weight decay needs the value of "${name}"; pass the parameters to update()`);
}

export const adagrad = definePlugin({
  id: 'adagrad',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'Adagrad with learning-rate decay, weight decay and an initial accumulator (torch.optim.Adagrad semantics).',
  reference: 'torch.optim.Adagrad (torch 1.13); Duchi, Hazan & Singer 2011, Adaptive Subgradient Methods for Online Learning and Stochastic Optimization',
  defaults: { ...adagradDefaults } as AdagradConfig,
  schema: schema.object({
    lr: schema.number({ min: 0, description: 'learning rate' }),
    lrDecay: schema.number({ min: 0, description: 'learning-rate decay: lr / (1 + (t − 1)·lrDecay)' }),
    weightDecay: schema.number({ min: 0, description: 'L2 penalty added to the gradient' }),
    initialAccumulatorValue: schema.number({ min: 0, description: 'starting value of the sum of squared gradients' }),
    eps: schema.number({ min: 0, description: 'added to the denominator for numerical stability' }),
    maximize: schema.boolean({ description: 'maximize the objective instead of minimizing it' }),
  }),
  create: build,
});

/** Validates `config` (merged over the defaults) and builds the transform; same as `adagrad.create(config)`. */
export function adagradTransform(config: Partial<AdagradConfig> = {}): GradientTransform<AdagradState> {
  return adagrad.create(config) as GradientTransform<AdagradState>;
}
