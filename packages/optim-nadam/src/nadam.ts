import { tf, perParameter, DescentError, elementwiseProgram, sum, type Expr, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

/** Configuration of `nadam`: torch.optim.NAdam's hyperparameters in camelCase, with torch's defaults. */
export interface NadamConfig {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** Decay rates [β1, β2] of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator, √v̂ + eps (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient, g + λθ (default 0). */
  weightDecay: number;
  /** ψ of the momentum schedule μ_t = β1·(1 − ½·0.96^(t·ψ)) (default 4e-3). */
  momentumDecay: number;
}

/**
 * Per-parameter state, torch's names: the step count, the product μ_1·…·μ_t (kept in float32, like
 * torch's 0-dim float32 tensor), and the moment estimates.
 */
export type NadamSlot = { step: number; muProduct: number; expAvg: tf.Tensor; expAvgSq: tf.Tensor };

/** Live numeric hyperparameters in `state.hyper`; `betas` is held as `beta1` and `beta2`. */
export type NadamHyper = { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; momentumDecay: number };

export type NadamState = PerParamState<NadamSlot>;

export const nadamDefaults: Readonly<NadamConfig> = Object.freeze({ lr: 2e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3 });

/**
 * NAdam (Dozat 2016, with the momentum schedule of torch), the algorithm of torch ≥ 2.0's
 * torch.optim.NAdam, t the per-parameter step count:
 *
 *     g ← g + λθ                                         (λ = weightDecay ≠ 0)
 *     μ_t = β1·(1 − ½·0.96^(t·ψ)),  μ_{t+1} likewise;  Π_t = Π_{t−1}·μ_t,  Π_{t+1}' = Π_t·μ_{t+1}
 *     m ← β1·m + (1 − β1)·g             v ← β2·v + (1 − β2)·g²
 *     d = √(v/(1 − β2^t)) + eps
 *     θ ← θ − lr·(1 − μ_t)/(1 − Π_t) · g/d − lr·μ_{t+1}/(1 − Π_{t+1}') · m/d
 *
 * torch 1.13 computes Π_{t+1}' = Π_t·μ_t·μ_{t+1}, counting μ_t twice; torch 2.0 fixed that and
 * so does Descent, which therefore differs from torch 1.13 on purpose. State: 8 bytes per parameter.
 */
function build(c: NadamConfig): GradientTransform<NadamState> {
  const hyper: NadamHyper = { lr: c.lr, beta1: c.betas[0], beta2: c.betas[1], eps: c.eps, weightDecay: c.weightDecay, momentumDecay: c.momentumDecay };
  return perParameter<NadamSlot>({
    hyper,
    init: (p) => ({ step: 0, muProduct: 1, expAvg: tf.zerosLike(p), expAvgSq: tf.zerosLike(p) }),
    step(grad, slot, { hyper: h, param, name }) {
      const { lr, beta1, beta2, eps, weightDecay, momentumDecay } = h;
      const t = slot.step + 1;
      const biasCorrection2 = 1 - beta2 ** t;
      const decay = weightDecay !== 0;
      const mu = beta1 * (1 - 0.5 * 0.96 ** (t * momentumDecay));
      const muNext = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentumDecay));
      // torch ≥ 2.0 keeps mu_product as a float32 tensor: one float32 multiplication per step.
      const muProduct = Math.fround(slot.muProduct * Math.fround(mu));
      const muProductNext = muProduct * muNext;
      return {
        program: nadamProgram(decay),
        inputs: { grad, param: decay ? (param ?? missingParam(name)) : undefined, expAvg: slot.expAvg, expAvgSq: slot.expAvgSq },
        scalars: {
          beta1, beta2, eps, weightDecay, biasCorrection2,
          gradScale: (-lr * (1 - mu)) / (1 - muProduct),
          momentumScale: (-lr * muNext) / (1 - muProductNext),
        },
        slot: (out) => ({ step: t, muProduct, expAvg: out.expAvg, expAvgSq: out.expAvgSq }),
      };
    },
  });
}

type NadamProgram = ReturnType<typeof makeNadamProgram>;
const programs = new Map<boolean, NadamProgram>();

/** One NAdam step per element as one program (cached per variant): torch's operations, in its order. */
function nadamProgram(decay: boolean): NadamProgram {
  let p = programs.get(decay);
  if (p === undefined) programs.set(decay, (p = makeNadamProgram(decay)));
  return p;
}

function makeNadamProgram(decay: boolean) {
  return elementwiseProgram(
    'nadam',
    ['grad', 'param', 'expAvg', 'expAvgSq'],
    ['beta1', 'beta2', 'eps', 'weightDecay', 'biasCorrection2', 'gradScale', 'momentumScale'],
    (x, s) => {
      const g: Expr = decay ? x.grad.add(x.param.mul(s.weightDecay)) : x.grad;
      const expAvg = x.expAvg.mul(s.beta1).add(g.mul(sum(1).sub(s.beta1)));
      const expAvgSq = x.expAvgSq.mul(s.beta2).add(g.mul(sum(1).sub(s.beta2)).mul(g));
      const denom = expAvgSq.div(s.biasCorrection2).sqrt().add(s.eps);
      const fromGrad = g.mul(s.gradScale).div(denom);
      const fromMomentum = expAvg.mul(s.momentumScale).div(denom);
      return { update: fromGrad.add(fromMomentum), expAvg, expAvgSq };
    },
  );
}

function missingParam(name: string): never {
  throw new DescentError('NO_PARAMS', `nadam: weight decay needs the value of "${name}"; pass the parameters to update()`);
}

const beta = (which: string) => schema.number({ min: 0, max: 1, exclusiveMax: true, description: `${which}, 0 ≤ β < 1` });

export const nadam = definePlugin({
  id: 'nadam',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'NAdam, Adam with Nesterov momentum and a momentum schedule (torch >= 2.0 torch.optim.NAdam semantics).',
  reference: 'torch.optim.NAdam (torch >= 2.0 algorithm); Dozat 2016, Incorporating Nesterov Momentum into Adam',
  defaults: { ...nadamDefaults, betas: [...nadamDefaults.betas] } as NadamConfig,
  schema: schema.object({
    lr: schema.number({ min: 0, description: 'learning rate' }),
    betas: schema.tuple([beta('decay rate of the first moment'), beta('decay rate of the second moment')], { description: '[β1, β2]' }),
    eps: schema.number({ min: 0, description: 'added to the denominator for numerical stability' }),
    weightDecay: schema.number({ min: 0, description: 'L2 penalty added to the gradient' }),
    momentumDecay: schema.number({ min: 0, description: 'ψ of the momentum schedule μ_t = β1·(1 − ½·0.96^(t·ψ))' }),
  }),
  create: build,
});

/** Validates `config` (merged over the defaults) and builds the transform; same as `nadam.create(config)`. */
export function nadamTransform(config: Partial<NadamConfig> = {}): GradientTransform<NadamState> {
  return nadam.create(config) as GradientTransform<NadamState>;
}
