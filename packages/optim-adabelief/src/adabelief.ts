import { tf, perParameter, DescentError, elementwiseProgram, sum, type Expr, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

/** Configuration of `adabelief`: adabelief-pytorch 0.2.0's arguments in camelCase. */
export interface AdaBeliefConfig {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates [β1, β2] of the gradient EMA and of the belief EMA (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the belief s at every step and to the denominator (default 1e-16). */
  eps: number;
  /** Weight decay λ (default 0): decoupled with `weightDecouple`, else added to the gradient. */
  weightDecay: number;
  /** Normalise by the running maximum of s (AMSGrad) (default false). */
  amsgrad: boolean;
  /** Decoupled weight decay θ ← θ·(1 − lr·λ), as AdamW (default true). */
  weightDecouple: boolean;
  /** With weightDecouple: θ ← θ·(1 − λ), not scaled by lr (default false). */
  fixedDecay: boolean;
  /** RAdam's rectification of the step size (default false; adabelief-pytorch 0.2.0 defaults to true, see the README). */
  rectify: boolean;
  /** With rectify: take SGD-with-momentum steps while the variance is not tractable, else none (default true). */
  degeneratedToSgd: boolean;
}

/** Per-parameter state, the official names in camelCase: step, m, the belief s, and its maximum with AMSGrad. */
export type AdaBeliefSlot = { step: number; expAvg: tf.Tensor; expAvgVar: tf.Tensor; maxExpAvgVar?: tf.Tensor };

/** Live numeric hyperparameters in `state.hyper`; `betas` is held as `beta1` and `beta2`. */
export type AdaBeliefHyper = { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number };

export type AdaBeliefState = PerParamState<AdaBeliefSlot>;

export const adabeliefDefaults: Readonly<AdaBeliefConfig> = Object.freeze({
  lr: 1e-3,
  betas: [0.9, 0.999] as [number, number],
  eps: 1e-16,
  weightDecay: 0,
  amsgrad: false,
  weightDecouple: true,
  fixedDecay: false,
  rectify: false,
  degeneratedToSgd: true,
});

/**
 * AdaBelief (Zhuang et al. 2020, AdaBelief Optimizer: Adapting Stepsizes by the Belief in
 * Observed Gradients), with the semantics of the official adabelief-pytorch 0.2.0, t the
 * per-parameter step count:
 *
 *     weightDecouple:  θ ← θ·(1 − λ) if fixedDecay else θ·(1 − lr·λ);   otherwise g ← g + λθ
 *     m ← β1·m + (1 − β1)·g
 *     s ← β2·s + (1 − β2)·(g − m)² + eps              (eps enters the state at every step)
 *     s* ← max(s*, s) with AMSGrad, else s
 *     θ ← θ − lr/(1 − β1^t) · m / (√s* / √(1 − β2^t) + eps)
 *
 * With rectify (RAdam's): ρ∞ = 2/(1 − β2) − 1, ρt = ρ∞ − 2t·β2^t/(1 − β2^t); when ρt ≥ 5
 *     θ ← θ − lr·r_t/(1 − β1^t) · m / (√s + eps),  r_t = √((1 − β2^t)(ρt − 4)(ρt − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρt))
 * (the plain s even with AMSGrad, as the official code), else θ ← θ − lr/(1 − β1^t)·m with
 * degeneratedToSgd, or no step.
 * State: 8 bytes per parameter (12 with AMSGrad).
 */
function build(c: AdaBeliefConfig): GradientTransform<AdaBeliefState> {
  const { amsgrad, weightDecouple, fixedDecay, rectify, degeneratedToSgd } = c;
  const hyper: AdaBeliefHyper = { lr: c.lr, beta1: c.betas[0], beta2: c.betas[1], eps: c.eps, weightDecay: c.weightDecay };
  return perParameter<AdaBeliefSlot>({
    hyper,
    init: (p) => ({ step: 0, expAvg: tf.zerosLike(p), expAvgVar: tf.zerosLike(p), ...(amsgrad ? { maxExpAvgVar: tf.zerosLike(p) } : {}) }),
    step(grad, slot, { hyper: h, param, name }) {
      const { lr, beta1, beta2, eps, weightDecay } = h as AdaBeliefHyper;
      const decay: AdaBeliefDecay = weightDecay === 0 ? 'none' : weightDecouple ? 'decoupled' : 'l2';
      const t = slot.step + 1;
      const bc1 = 1 - beta1 ** t;
      const bc2 = 1 - beta2 ** t;
      // The rectification switch on ρ_t is a scalar branch: it picks the program variant and the step scale.
      let mode: AdaBeliefMode = 'adaptive';
      let stepScale = -lr / bc1;
      if (rectify) {
        const beta2t = beta2 ** t;
        const rhoInf = 2 / (1 - beta2) - 1;
        const rhoT = rhoInf - (2 * t * beta2t) / (1 - beta2t);
        if (rhoT >= 5) {
          mode = 'rectified';
          const stepSize = Math.sqrt((((((1 - beta2t) * (rhoT - 4)) / (rhoInf - 4)) * (rhoT - 2)) / rhoT) * (rhoInf / (rhoInf - 2))) / bc1;
          stepScale = -stepSize * lr;
        } else mode = degeneratedToSgd ? 'sgd' : 'none';
      }
      return {
        program: adaBeliefProgram({ decay, amsgrad, mode }),
        inputs: {
          grad,
          param: decay !== 'none' ? (param ?? missingParam(name)) : undefined,
          expAvg: slot.expAvg,
          expAvgVar: slot.expAvgVar,
          maxExpAvgVar: amsgrad ? (slot.maxExpAvgVar ?? tf.zerosLike(grad)) : undefined,
        },
        // θ·f − θ with f = 1 − λ (fixed decay) or 1 − lr·λ, computed in float64 as before.
        scalars: { beta1, beta2, eps, weightDecay, decayFactor: fixedDecay ? 1 - weightDecay : 1 - lr * weightDecay, stepScale, biasCorrection2Sqrt: Math.sqrt(bc2) },
        slot: (out) => ({ step: t, expAvg: out.expAvg, expAvgVar: out.expAvgVar, ...(amsgrad ? { maxExpAvgVar: out.maxExpAvgVar } : {}) }),
      };
    },
  });
}

type AdaBeliefDecay = 'none' | 'decoupled' | 'l2';
/** adaptive: the plain step; rectified: RAdam's rectified step; sgd: ρ_t < 5 degenerated to SGD; none: no step. */
type AdaBeliefMode = 'adaptive' | 'rectified' | 'sgd' | 'none';
type AdaBeliefOptions = { decay: AdaBeliefDecay; amsgrad: boolean; mode: AdaBeliefMode };
type AdaBeliefProgram = ReturnType<typeof makeAdaBeliefProgram>;
const programs = new Map<string, AdaBeliefProgram>();

/** One AdaBelief step per element as one program (cached per variant): the reference's operations, in its order. */
function adaBeliefProgram(o: AdaBeliefOptions): AdaBeliefProgram {
  const key = `${o.decay}/${o.amsgrad}/${o.mode}`;
  let p = programs.get(key);
  if (p === undefined) programs.set(key, (p = makeAdaBeliefProgram(o)));
  return p;
}

function makeAdaBeliefProgram(o: AdaBeliefOptions) {
  return elementwiseProgram(
    `adabelief${o.amsgrad ? '-amsgrad' : ''}-${o.mode}`,
    ['grad', 'param', 'expAvg', 'expAvgVar', 'maxExpAvgVar'],
    ['beta1', 'beta2', 'eps', 'weightDecay', 'decayFactor', 'stepScale', 'biasCorrection2Sqrt'],
    (x, s) => {
      let g: Expr = x.grad;
      let decay: Expr | undefined;
      // θ·f − θ is exact in float32 (Sterbenz) for f near 1: θ + update rounds like p.mul_(f).
      if (o.decay === 'decoupled') decay = x.param.mul(s.decayFactor).sub(x.param);
      else if (o.decay === 'l2') g = g.add(x.param.mul(s.weightDecay));
      const expAvg = x.expAvg.mul(s.beta1).add(g.mul(sum(1).sub(s.beta1)));
      const residual = g.sub(expAvg);
      const expAvgVar = x.expAvgVar.mul(s.beta2).add(residual.mul(residual).mul(sum(1).sub(s.beta2))).add(s.eps);
      const out: Record<string, Expr> = { expAvg, expAvgVar };
      const maxExpAvgVar = o.amsgrad ? x.maxExpAvgVar.maximum(expAvgVar) : undefined;
      if (maxExpAvgVar) out.maxExpAvgVar = maxExpAvgVar;
      let step: Expr | undefined;
      if (o.mode === 'adaptive') step = expAvg.mul(s.stepScale).div((maxExpAvgVar ?? expAvgVar).sqrt().div(s.biasCorrection2Sqrt).add(s.eps));
      else if (o.mode === 'rectified') step = expAvg.mul(s.stepScale).div(expAvgVar.sqrt().add(s.eps));
      else if (o.mode === 'sgd') step = expAvg.mul(s.stepScale);
      if (decay && step) out.update = decay.add(step);
      else if (decay) out.update = decay.add(0);
      else if (step) out.update = step;
      // No step and no decoupled decay (ρ_t < 5 without degeneratedToSgd): a zero update, +0 for
      // every gradient (|sign(g)| is 0 or 1, also for ±∞ and NaN), as the output a step must have.
      else out.update = x.grad.sign().abs().mul(0);
      return out;
    },
  );
}

function missingParam(name: string): never {
  throw new DescentError('NO_PARAMS', `adabelief: weight decay needs the value of "${name}"; pass the parameters to update()`);
}

const beta = (which: string) => schema.number({ min: 0, max: 1, exclusiveMax: true, description: `${which}, 0 ≤ β < 1` });

export const adabelief = definePlugin({
  id: 'adabelief',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'AdaBelief: Adam with the belief s = EMA((g − m)²) + eps as second moment; decoupled decay, AMSGrad, rectification (adabelief-pytorch 0.2.0 semantics).',
  reference: 'Zhuang et al. 2020, AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed Gradients (NeurIPS); official adabelief-pytorch 0.2.0',
  defaults: { ...adabeliefDefaults, betas: [...adabeliefDefaults.betas] } as AdaBeliefConfig,
  schema: schema.object({
    lr: schema.number({ min: 0, description: 'learning rate' }),
    betas: schema.tuple([beta('decay rate of the gradient EMA'), beta('decay rate of the belief EMA')], { description: '[β1, β2]' }),
    eps: schema.number({ min: 0, description: 'added to the belief at every step and to the denominator' }),
    weightDecay: schema.number({ min: 0, description: 'weight decay (decoupled with weightDecouple, else L2 added to the gradient)' }),
    amsgrad: schema.boolean({ description: 'use the running maximum of the belief (AMSGrad)' }),
    weightDecouple: schema.boolean({ description: 'decoupled weight decay θ ← θ·(1 − lr·λ), as AdamW' }),
    fixedDecay: schema.boolean({ description: 'with weightDecouple: θ ← θ·(1 − λ), not scaled by lr' }),
    rectify: schema.boolean({ description: "RAdam's rectification of the step size" }),
    degeneratedToSgd: schema.boolean({ description: 'with rectify: SGD-with-momentum steps while the variance is not tractable' }),
  }),
  create: build,
});

/** Validates `config` (merged over the defaults) and builds AdaBelief; same as `adabelief.create(config)`. */
export function adabeliefTransform(config: Partial<AdaBeliefConfig> = {}): GradientTransform<AdaBeliefState> {
  return adabelief.create(config) as GradientTransform<AdaBeliefState>;
}
