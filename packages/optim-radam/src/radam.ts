import { tf, perParameter, DescentError, elementwiseProgram, sum, type Expr, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

/** Configuration of `radam`: torch.optim.RAdam's hyperparameters in camelCase, with torch's defaults. */
export interface RadamConfig {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates [β1, β2] of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator, √v + eps (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient, g + λθ (default 0). */
  weightDecay: number;
}

/** Per-parameter state, torch's names: the step count and the moment estimates. */
export type RadamSlot = { step: number; expAvg: tf.Tensor; expAvgSq: tf.Tensor };

/** Live numeric hyperparameters in `state.hyper`; `betas` is held as `beta1` and `beta2`. */
export type RadamHyper = { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number };

export type RadamState = PerParamState<RadamSlot>;

export const radamDefaults: Readonly<RadamConfig> = Object.freeze({ lr: 1e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0 });

/**
 * RAdam (Liu et al. 2020), torch.optim.RAdam semantics (torch 1.13, single-tensor path), t the
 * per-parameter step count:
 *
 *     g ← g + λθ                                         (λ = weightDecay ≠ 0)
 *     m ← β1·m + (1 − β1)·g             v ← β2·v + (1 − β2)·g²
 *     ρ∞ = 2/(1 − β2) − 1,   ρ_t = ρ∞ − 2t·β2^t/(1 − β2^t)
 *     ρ_t > 5:  r = √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t))
 *               θ ← θ − lr · m/(1 − β1^t) · √(1 − β2^t)/(√v + eps) · r
 *     else:     θ ← θ − lr · m/(1 − β1^t)              (SGD with momentum while the variance is untrustworthy)
 *
 * With the default β2 = 0.999 the first five steps are unrectified. State: 8 bytes per parameter.
 */
function build(c: RadamConfig): GradientTransform<RadamState> {
  const hyper: RadamHyper = { lr: c.lr, beta1: c.betas[0], beta2: c.betas[1], eps: c.eps, weightDecay: c.weightDecay };
  return perParameter<RadamSlot>({
    hyper,
    init: (p) => ({ step: 0, expAvg: tf.zerosLike(p), expAvgSq: tf.zerosLike(p) }),
    step(grad, slot, { hyper: h, param, name }) {
      const { lr, beta1, beta2, eps, weightDecay } = h;
      const t = slot.step + 1;
      const biasCorrection1 = 1 - beta1 ** t;
      const biasCorrection2 = 1 - beta2 ** t;
      const decay = weightDecay !== 0;
      const rhoInf = 2 / (1 - beta2) - 1;
      const rhoT = rhoInf - (2 * t * beta2 ** t) / biasCorrection2;
      // The rectification switch on ρ_t is a scalar branch: it picks the program variant.
      const rectified = rhoT > 5;
      const rect = rectified ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
      return {
        program: radamProgram(decay, rectified),
        inputs: { grad, param: decay ? (param ?? missingParam(name)) : undefined, expAvg: slot.expAvg, expAvgSq: slot.expAvgSq },
        scalars: { lr, beta1, beta2, eps, weightDecay, biasCorrection1, biasCorrection2Sqrt: Math.sqrt(biasCorrection2), rect },
        slot: (out) => ({ step: t, expAvg: out.expAvg, expAvgSq: out.expAvgSq }),
      };
    },
  });
}

type RadamProgram = ReturnType<typeof makeRadamProgram>;
const programs = new Map<string, RadamProgram>();

/** One RAdam step per element as one program (cached per variant): torch's operations, in its order. */
function radamProgram(decay: boolean, rectified: boolean): RadamProgram {
  const key = `${decay}/${rectified}`;
  let p = programs.get(key);
  if (p === undefined) programs.set(key, (p = makeRadamProgram(decay, rectified)));
  return p;
}

function makeRadamProgram(decay: boolean, rectified: boolean) {
  return elementwiseProgram(
    `radam${rectified ? '-rectified' : ''}`,
    ['grad', 'param', 'expAvg', 'expAvgSq'],
    ['lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'biasCorrection1', 'biasCorrection2Sqrt', 'rect'],
    (x, s) => {
      const g: Expr = decay ? x.grad.add(x.param.mul(s.weightDecay)) : x.grad;
      const expAvg = x.expAvg.mul(s.beta1).add(g.mul(sum(1).sub(s.beta1)));
      const expAvgSq = x.expAvgSq.mul(s.beta2).add(g.mul(sum(1).sub(s.beta2)).mul(g));
      let step = expAvg.div(s.biasCorrection1).mul(s.lr);
      if (rectified) {
        const adaptiveLr = s.biasCorrection2Sqrt.div(expAvgSq.sqrt().add(s.eps));
        step = step.mul(adaptiveLr).mul(s.rect);
      }
      return { update: step.neg(), expAvg, expAvgSq };
    },
  );
}

function missingParam(name: string): never {
  throw new DescentError('NO_PARAMS', `radam: weight decay needs the value of "${name}"; pass the parameters to update()`);
}

const beta = (which: string) => schema.number({ min: 0, max: 1, exclusiveMax: true, description: `${which}, 0 ≤ β < 1` });

export const radam = definePlugin({
  id: 'radam',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'RAdam, Adam with variance rectification (torch.optim.RAdam semantics).',
  reference: 'torch.optim.RAdam (torch 1.13); Liu et al. 2020, On the Variance of the Adaptive Learning Rate and Beyond',
  defaults: { ...radamDefaults, betas: [...radamDefaults.betas] } as RadamConfig,
  schema: schema.object({
    lr: schema.number({ min: 0, description: 'learning rate' }),
    betas: schema.tuple([beta('decay rate of the first moment'), beta('decay rate of the second moment')], { description: '[β1, β2]' }),
    eps: schema.number({ min: 0, description: 'added to the denominator for numerical stability' }),
    weightDecay: schema.number({ min: 0, description: 'L2 penalty added to the gradient' }),
  }),
  create: build,
});

/** Validates `config` (merged over the defaults) and builds the transform; same as `radam.create(config)`. */
export function radamTransform(config: Partial<RadamConfig> = {}): GradientTransform<RadamState> {
  return radam.create(config) as GradientTransform<RadamState>;
}
