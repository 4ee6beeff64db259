import { tf, perParameter, DescentError, type GradientTransform, type PerParamState } from '@descent/tensor';
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
    update(grad, slot, { hyper: h, param, name }) {
      const { lr, beta1, beta2, eps, weightDecay } = h as AdaBeliefHyper;
      let g = grad;
      let decay: tf.Tensor | undefined;
      if (weightDecay !== 0) {
        const p = param ?? missingParam(name);
        // θ·f − θ is exact in float32 (Sterbenz) for f near 1: θ + update rounds like p.mul_(f).
        if (weightDecouple) decay = tf.sub(tf.mul(p, fixedDecay ? 1 - weightDecay : 1 - lr * weightDecay), p);
        else g = tf.add(g, tf.mul(p, weightDecay));
      }
      const t = slot.step + 1;
      const bc1 = 1 - beta1 ** t;
      const bc2 = 1 - beta2 ** t;
      const expAvg = tf.add(tf.mul(slot.expAvg, beta1), tf.mul(g, 1 - beta1));
      const residual = tf.sub(g, expAvg);
      const expAvgVar = tf.add(tf.add(tf.mul(slot.expAvgVar, beta2), tf.mul(tf.mul(residual, residual), 1 - beta2)), eps);
      let maxExpAvgVar: tf.Tensor | undefined;
      if (amsgrad) maxExpAvgVar = tf.maximum(slot.maxExpAvgVar ?? tf.zerosLike(grad), expAvgVar);
      let step: tf.Tensor;
      if (!rectify) {
        const denom = tf.add(tf.div(tf.sqrt(maxExpAvgVar ?? expAvgVar), Math.sqrt(bc2)), eps);
        step = tf.div(tf.mul(expAvg, -lr / bc1), denom);
      } else {
        const beta2t = beta2 ** t;
        const rhoInf = 2 / (1 - beta2) - 1;
        const rhoT = rhoInf - (2 * t * beta2t) / (1 - beta2t);
        if (rhoT >= 5) {
          const stepSize = Math.sqrt((((((1 - beta2t) * (rhoT - 4)) / (rhoInf - 4)) * (rhoT - 2)) / rhoT) * (rhoInf / (rhoInf - 2))) / bc1;
          step = tf.div(tf.mul(expAvg, -stepSize * lr), tf.add(tf.sqrt(expAvgVar), eps));
        } else if (degeneratedToSgd) step = tf.mul(expAvg, -lr / bc1);
        else step = tf.zerosLike(grad);
      }
      const next: AdaBeliefSlot = { step: t, expAvg, expAvgVar, ...(maxExpAvgVar ? { maxExpAvgVar } : {}) };
      return { update: decay ? tf.add(decay, step) : step, slot: next };
    },
  });
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
