import { tf, perParameter, DescentError, elementwiseProgram, sum, type Expr, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

/** Configuration of `adam` and `adamw`: torch.optim.Adam/AdamW's hyperparameters in camelCase, with torch's defaults. */
export interface AdamConfig {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates [β1, β2] of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator, √v̂ + eps (default 1e-8). */
  eps: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay θ ← θ·(1 − lr·λ) (default 0.01). */
  weightDecay: number;
  /** AMSGrad: normalise by the running maximum of v (Reddi et al. 2018) (default false). */
  amsgrad: boolean;
  /** Ascend instead of descend (default false). */
  maximize: boolean;
}

/**
 * Per-parameter state, torch's names in camelCase: the step count (torch's `state['step']`),
 * the moment estimates, and the running maximum of the second moment with AMSGrad.
 */
export type AdamSlot = { step: number; expAvg: tf.Tensor; expAvgSq: tf.Tensor; maxExpAvgSq?: tf.Tensor };

/** Live numeric hyperparameters in `state.hyper`; `betas` is held as `beta1` and `beta2`. */
export type AdamHyper = { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number };

export type AdamState = PerParamState<AdamSlot>;

export const adamDefaults: Readonly<AdamConfig> = Object.freeze({ lr: 1e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
export const adamwDefaults: Readonly<AdamConfig> = Object.freeze({ ...adamDefaults, weightDecay: 1e-2 });

/**
 * Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), torch.optim semantics (torch 1.13,
 * single-tensor path), t the per-parameter step count:
 *
 *     g ← −∇ if maximize else ∇
 *     Adam:  g ← g + λθ                 AdamW:  θ ← θ·(1 − lr·λ)
 *     m ← β1·m + (1 − β1)·g             v ← β2·v + (1 − β2)·g²
 *     v* ← max(v*, v) with AMSGrad, else v
 *     θ ← θ − lr/(1 − β1^t) · m / (√v* / √(1 − β2^t) + eps)
 *
 * The bias corrections are computed in float64 from t, as torch does; tensors are float32.
 * State: 8 bytes per parameter (12 with AMSGrad).
 */
function build(c: AdamConfig, decoupled: boolean): GradientTransform<AdamState> {
  const { amsgrad, maximize } = c;
  const id = decoupled ? 'adamw' : 'adam';
  const hyper: AdamHyper = { lr: c.lr, beta1: c.betas[0], beta2: c.betas[1], eps: c.eps, weightDecay: c.weightDecay };
  const programs = new Map<boolean, AdamProgram>();
  const programFor = (decay: boolean) => programs.get(decay) ?? programs.set(decay, adamProgram(id, { amsgrad, maximize, decoupled, decay })).get(decay)!;
  return perParameter<AdamSlot>({
    hyper,
    init: (p) => ({ step: 0, expAvg: tf.zerosLike(p), expAvgSq: tf.zerosLike(p), ...(amsgrad ? { maxExpAvgSq: tf.zerosLike(p) } : {}) }),
    step(grad, slot, { hyper: h, param, name }) {
      const { lr, beta1, beta2, eps, weightDecay } = h;
      const t = slot.step + 1;
      const decay = weightDecay !== 0;
      return {
        program: programFor(decay),
        inputs: { grad, expAvg: slot.expAvg, expAvgSq: slot.expAvgSq, maxExpAvgSq: slot.maxExpAvgSq, param: decay ? (param ?? missingParam(id, name)) : undefined },
        scalars: { lr, beta1, beta2, eps, weightDecay, stepSize: lr / (1 - beta1 ** t), biasCorrection2Sqrt: Math.sqrt(1 - beta2 ** t) },
        slot: (out) => ({ step: t, expAvg: out.expAvg, expAvgSq: out.expAvgSq, ...(amsgrad ? { maxExpAvgSq: out.maxExpAvgSq } : {}) }),
      };
    },
  });
}

type AdamProgram = ReturnType<typeof adamProgram>;

/**
 * One Adam step per element as one program (fused into a single native pass where the backend
 * has it). The bias corrections are scalars computed in float64 from t, as torch does; the
 * operations are torch's, in its order, each rounded to float32.
 */
function adamProgram(id: string, o: { amsgrad: boolean; maximize: boolean; decoupled: boolean; decay: boolean }) {
  return elementwiseProgram(
    `${id}${o.amsgrad ? '-amsgrad' : ''}`,
    ['grad', 'expAvg', 'expAvgSq', 'maxExpAvgSq', 'param'],
    ['lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'stepSize', 'biasCorrection2Sqrt'],
    (x, s) => {
      let g = o.maximize ? x.grad.neg() : x.grad;
      // AdamW's decay as an additive update: θ·(1 − lr·λ) − θ, exact in float32 (Sterbenz), so θ + update
      // rounds like torch's param.mul_(1 − lr·λ) followed by the Adam step.
      let decay: Expr | undefined;
      if (o.decay) {
        if (o.decoupled) decay = x.param.mul(sum(1).sub(s.lr.mul(s.weightDecay))).sub(x.param);
        else g = g.add(x.param.mul(s.weightDecay));
      }
      const expAvg = x.expAvg.mul(s.beta1).add(g.mul(sum(1).sub(s.beta1)));
      const expAvgSq = x.expAvgSq.mul(s.beta2).add(g.mul(sum(1).sub(s.beta2)).mul(g));
      const maxExpAvgSq = o.amsgrad ? x.maxExpAvgSq.maximum(expAvgSq) : expAvgSq;
      const denom = maxExpAvgSq.sqrt().div(s.biasCorrection2Sqrt).add(s.eps);
      const step = expAvg.mul(s.stepSize.neg()).div(denom);
      const out: Record<string, Expr> = { update: decay ? decay.add(step) : step, expAvg, expAvgSq };
      if (o.amsgrad) out.maxExpAvgSq = maxExpAvgSq;
      return out;
    },
  );
}

function missingParam(id: string, name: string): never {
  throw new DescentError('NO_PARAMS', `${id}: weight decay needs the value of "${name}"; pass the parameters to update()`);
}

const beta = (which: string) => schema.number({ min: 0, max: 1, exclusiveMax: true, description: `${which}, 0 ≤ β < 1` });

function adamSchema(decayDescription: string) {
  return schema.object({
    lr: schema.number({ min: 0, description: 'learning rate' }),
    betas: schema.tuple([beta('decay rate of the first moment'), beta('decay rate of the second moment')], { description: '[β1, β2]' }),
    eps: schema.number({ min: 0, description: 'added to the denominator for numerical stability' }),
    weightDecay: schema.number({ min: 0, description: decayDescription }),
    amsgrad: schema.boolean({ description: 'use the running maximum of the second moment (AMSGrad)' }),
    maximize: schema.boolean({ description: 'maximize the objective instead of minimizing it' }),
  });
}

export const adam = definePlugin({
  id: 'adam',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'Adam with optional AMSGrad and L2 weight decay (torch.optim.Adam semantics).',
  reference: 'torch.optim.Adam (torch 1.13); Kingma & Ba 2015, Adam: A Method for Stochastic Optimization; Reddi et al. 2018, On the Convergence of Adam and Beyond',
  defaults: { ...adamDefaults, betas: [...adamDefaults.betas] } as AdamConfig,
  schema: adamSchema('L2 penalty added to the gradient'),
  create: (c) => build(c, false),
});

export const adamw = definePlugin({
  id: 'adamw',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'AdamW: Adam with decoupled weight decay, optional AMSGrad (torch.optim.AdamW semantics).',
  reference: 'torch.optim.AdamW (torch 1.13); Loshchilov & Hutter 2019, Decoupled Weight Decay Regularization',
  defaults: { ...adamwDefaults, betas: [...adamwDefaults.betas] } as AdamConfig,
  schema: adamSchema('decoupled weight decay: θ ← θ·(1 − lr·λ) before the Adam step'),
  create: (c) => build(c, true),
});

/** Validates `config` (merged over the defaults) and builds Adam; same as `adam.create(config)`. */
export function adamTransform(config: Partial<AdamConfig> = {}): GradientTransform<AdamState> {
  return adam.create(config) as GradientTransform<AdamState>;
}

/** Validates `config` (merged over the defaults, weightDecay 0.01) and builds AdamW; same as `adamw.create(config)`. */
export function adamwTransform(config: Partial<AdamConfig> = {}): GradientTransform<AdamState> {
  return adamw.create(config) as GradientTransform<AdamState>;
}
