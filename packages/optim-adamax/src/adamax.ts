import { tf, perParameter, DescentError, elementwiseProgram, sum, type Expr, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

/** Configuration of `adamax`: torch.optim.Adamax's hyperparameters in camelCase, with torch's defaults. */
export interface AdamaxConfig {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** Decay rates [β1, β2] of the first moment and of the infinity norm (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to |g| before the maximum (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient, g + λθ (default 0). */
  weightDecay: number;
  /** Ascend instead of descend (default false). */
  maximize: boolean;
}

/** Per-parameter state, torch's names: the step count, the first moment and the exponentially weighted infinity norm. */
export type AdamaxSlot = { step: number; expAvg: tf.Tensor; expInf: tf.Tensor };

/** Live numeric hyperparameters in `state.hyper`; `betas` is held as `beta1` and `beta2`. */
export type AdamaxHyper = { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number };

export type AdamaxState = PerParamState<AdamaxSlot>;

export const adamaxDefaults: Readonly<AdamaxConfig> = Object.freeze({ lr: 2e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0, maximize: false });

/**
 * Adamax (Kingma & Ba 2015, section 7.1), torch.optim.Adamax semantics (torch 1.13, single-tensor
 * path), t the per-parameter step count:
 *
 *     g ← −∇ if maximize else ∇;   g ← g + λθ          (λ = weightDecay ≠ 0)
 *     m ← β1·m + (1 − β1)·g
 *     u ← max(β2·u, |g| + eps)
 *     θ ← θ − lr/(1 − β1^t) · m/u
 *
 * State: 8 bytes per parameter.
 */
function build(c: AdamaxConfig): GradientTransform<AdamaxState> {
  const { maximize } = c;
  const hyper: AdamaxHyper = { lr: c.lr, beta1: c.betas[0], beta2: c.betas[1], eps: c.eps, weightDecay: c.weightDecay };
  return perParameter<AdamaxSlot>({
    hyper,
    init: (p) => ({ step: 0, expAvg: tf.zerosLike(p), expInf: tf.zerosLike(p) }),
    step(grad, slot, { hyper: h, param, name }) {
      const { lr, beta1, beta2, eps, weightDecay } = h;
      const t = slot.step + 1;
      const decay = weightDecay !== 0;
      return {
        program: adamaxProgram({ maximize, decay }),
        inputs: { grad, param: decay ? (param ?? missingParam(name)) : undefined, expAvg: slot.expAvg, expInf: slot.expInf },
        scalars: { beta1, beta2, eps, weightDecay, clr: lr / (1 - beta1 ** t) },
        slot: (out) => ({ step: t, expAvg: out.expAvg, expInf: out.expInf }),
      };
    },
  });
}

type AdamaxProgram = ReturnType<typeof makeAdamaxProgram>;
const programs = new Map<string, AdamaxProgram>();

/** One Adamax step per element as one program (cached per variant): torch's operations, in its order. */
function adamaxProgram(o: { maximize: boolean; decay: boolean }): AdamaxProgram {
  const key = `${o.maximize}/${o.decay}`;
  let p = programs.get(key);
  if (p === undefined) programs.set(key, (p = makeAdamaxProgram(o)));
  return p;
}

function makeAdamaxProgram(o: { maximize: boolean; decay: boolean }) {
  return elementwiseProgram('adamax', ['grad', 'param', 'expAvg', 'expInf'], ['beta1', 'beta2', 'eps', 'weightDecay', 'clr'], (x, s) => {
    let g: Expr = o.maximize ? x.grad.neg() : x.grad;
    if (o.decay) g = g.add(x.param.mul(s.weightDecay));
    const expAvg = x.expAvg.mul(s.beta1).add(g.mul(sum(1).sub(s.beta1)));
    const expInf = x.expInf.mul(s.beta2).maximum(g.abs().add(s.eps));
    return { update: expAvg.mul(s.clr.neg()).div(expInf), expAvg, expInf };
  });
}

function missingParam(name: string): never {
  throw new DescentError('NO_PARAMS', `adamax: weight decay needs the value of "${name}"; pass the parameters to update()`);
}

const beta = (which: string) => schema.number({ min: 0, max: 1, exclusiveMax: true, description: `${which}, 0 ≤ β < 1` });

export const adamax = definePlugin({
  id: 'adamax',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'Adamax, Adam with the infinity norm (torch.optim.Adamax semantics).',
  reference: 'torch.optim.Adamax (torch 1.13); Kingma & Ba 2015, Adam: A Method for Stochastic Optimization, section 7.1',
  defaults: { ...adamaxDefaults, betas: [...adamaxDefaults.betas] } as AdamaxConfig,
  schema: schema.object({
    lr: schema.number({ min: 0, description: 'learning rate' }),
    betas: schema.tuple([beta('decay rate of the first moment'), beta('decay rate of the infinity norm')], { description: '[β1, β2]' }),
    eps: schema.number({ min: 0, description: 'added to |g| for numerical stability' }),
    weightDecay: schema.number({ min: 0, description: 'L2 penalty added to the gradient' }),
    maximize: schema.boolean({ description: 'maximize the objective instead of minimizing it' }),
  }),
  create: build,
});

/** Validates `config` (merged over the defaults) and builds the transform; same as `adamax.create(config)`. */
export function adamaxTransform(config: Partial<AdamaxConfig> = {}): GradientTransform<AdamaxState> {
  return adamax.create(config) as GradientTransform<AdamaxState>;
}
