import { tf, perParameter, DescentError, InvalidParameterError, elementwiseProgram, sum, type Expr, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

/**
 * Configuration of `sophia`: SophiaG's hyperparameters (Liuhong99/Sophia, sophia.py) in camelCase,
 * with the official defaults.
 */
export interface SophiaConfig {
  /** Learning rate; no entry moves by more than lr per step besides the decay (default 1e-4). */
  lr: number;
  /** [β1, β2]: decay of the gradient EMA m and of the Hessian-diagonal EMA h (default [0.965, 0.99]). */
  betas: [number, number];
  /** ρ (the paper's γ): scales the curvature in the denominator (default 0.04). */
  rho: number;
  /**
   * The official `step(bs=...)`: multiplies h in the denominator, ρ·bs·h. The official h holds ĝ²
   * of the mean sampled loss and bs is the number of examples (tokens) per step, so bs·h is the
   * paper's ĥ = B·ĝ². `sophiaEstimator` returns estimates on the same scale: set this to your
   * batch size (default 5120, the official default).
   */
  batchSize: number;
  /** Decoupled weight decay λ: θ ← θ·(1 − lr·λ) before the step (default 0.1). */
  weightDecay: number;
  /**
   * How often the Hessian EMA is refreshed, in steps (default 10). The transform refreshes h
   * whenever an estimate arrives; the training loop decides when (pass `every: k` to
   * `sophiaEstimator`). Recorded in the config so a run states its schedule.
   */
  k: number;
  /** Added to the denominator (default 1e-15, a constant in the official code); > 0. */
  eps: number;
  /** Ascend instead of descend (default false). */
  maximize: boolean;
}

/** Per-parameter state, the official names in camelCase: step count, gradient EMA m, Hessian-diagonal EMA h. */
export type SophiaSlot = { step: number; expAvg: tf.Tensor; hessian: tf.Tensor };

/** Live numeric hyperparameters in `state.hyper`; `betas` is held as `beta1` and `beta2`. */
export type SophiaHyper = { lr: number; beta1: number; beta2: number; rho: number; batchSize: number; weightDecay: number; eps: number };

export type SophiaState = PerParamState<SophiaSlot>;

export const sophiaDefaults: Readonly<SophiaConfig> = Object.freeze({
  lr: 1e-4,
  betas: [0.965, 0.99] as [number, number],
  rho: 0.04,
  batchSize: 5120,
  weightDecay: 0.1,
  k: 10,
  eps: 1e-15,
  maximize: false,
});

/**
 * SophiaG (Liu et al. 2023, Sophia: A Scalable Stochastic Second-order Optimizer for Language
 * Model Pre-training), with the semantics of the official code (Liuhong99/Sophia, sophia.py):
 *
 *     if an estimate ĥ arrives (extras.hessianDiag[name]):  h ← β2·h + (1 − β2)·ĥ      (update_hessian)
 *     g ← −∇ if maximize else ∇
 *     θ ← θ·(1 − lr·λ)
 *     m ← β1·m + (1 − β1)·g
 *     θ ← θ − lr·sign(m)·min(|m| / (ρ·bs·max(h, 0) + eps), 1)
 *
 * m and h start at zero, so until the first estimate every step is −lr·sign(m) (the clip is
 * active everywhere). The transform does not compute ĥ: pass it as `extras.hessianDiag` (a
 * ParamMap by parameter name); `sophiaEstimator` gives @descent/train's loop one. The refresh
 * happens before the step that carries the estimate, as the official loop calls update_hessian()
 * between two steps. max(h, 0) is SophiaH's relu: a Gauss-Newton-Bartlett h is never negative,
 * so SophiaG is unchanged, while negative Hutchinson entries cannot flip the step uphill. The
 * step count is kept per parameter, as the official state['step'] (SophiaG does not use it).
 * State: 8 bytes per parameter (m and h).
 */
function build(c: SophiaConfig): GradientTransform<SophiaState> {
  const { maximize } = c;
  const hyper: SophiaHyper = { lr: c.lr, beta1: c.betas[0], beta2: c.betas[1], rho: c.rho, batchSize: c.batchSize, weightDecay: c.weightDecay, eps: c.eps };
  return perParameter<SophiaSlot>({
    hyper,
    init: (p) => ({ step: 0, expAvg: tf.zerosLike(p), hessian: tf.zerosLike(p) }),
    step(grad, slot, { hyper: h, param, name, extras }) {
      const { lr, beta1, beta2, rho, batchSize, weightDecay, eps } = h as SophiaHyper;
      const estimate = extras?.hessianDiag?.[name];
      if (estimate && !tf.util.arraysEqual(estimate.shape, grad.shape)) {
        throw new InvalidParameterError(`extras.hessianDiag["${name}"].shape`, estimate.shape, `[${grad.shape}] (the parameter's shape)`);
      }
      const decay = weightDecay !== 0;
      return {
        program: sophiaProgram({ maximize, decay, estimate: estimate !== undefined }),
        inputs: { grad, param: decay ? (param ?? missingParam(name)) : undefined, expAvg: slot.expAvg, hessian: slot.hessian, estimate },
        scalars: { lr, beta1, beta2, rho, batchSize, weightDecay, eps },
        slot: (out) => ({ step: slot.step + 1, expAvg: out.expAvg, hessian: estimate ? out.hessian : slot.hessian }),
      };
    },
  });
}

type SophiaOptions = { maximize: boolean; decay: boolean; estimate: boolean };
type SophiaProgram = ReturnType<typeof makeSophiaProgram>;
const programs = new Map<string, SophiaProgram>();

/** One Sophia step per element as one program (cached per variant): the reference's operations, in its order. */
function sophiaProgram(o: SophiaOptions): SophiaProgram {
  const key = `${o.maximize}/${o.decay}/${o.estimate}`;
  let p = programs.get(key);
  if (p === undefined) programs.set(key, (p = makeSophiaProgram(o)));
  return p;
}

function makeSophiaProgram(o: SophiaOptions) {
  return elementwiseProgram(
    'sophia',
    ['grad', 'param', 'expAvg', 'hessian', 'estimate'],
    ['lr', 'beta1', 'beta2', 'rho', 'batchSize', 'weightDecay', 'eps'],
    (x, s) => {
      const out: Record<string, Expr> = {};
      let hessian = x.hessian;
      if (o.estimate) out.hessian = hessian = x.hessian.mul(s.beta2).add(x.estimate.mul(sum(1).sub(s.beta2)));
      const g = o.maximize ? x.grad.neg() : x.grad;
      // θ·(1 − lr·λ) − θ is exact in float32 (Sterbenz): θ + update rounds like param.mul_().
      const decay = o.decay ? x.param.mul(sum(1).sub(s.lr.mul(s.weightDecay))).sub(x.param) : undefined;
      const expAvg = x.expAvg.mul(s.beta1).add(g.mul(sum(1).sub(s.beta1)));
      out.expAvg = expAvg;
      // sign(m)·min(|m|/d, 1) = clip(m/d, −1, 1) for d > 0; relu(h) = max(h, 0), clip = min(max(·, −1), 1).
      const denom = hessian.maximum(0).mul(s.rho.mul(s.batchSize)).add(s.eps);
      const step = expAvg.div(denom).maximum(-1).minimum(1).mul(s.lr.neg());
      out.update = decay ? decay.add(step) : step;
      return out;
    },
  );
}

function missingParam(name: string): never {
  throw new DescentError('NO_PARAMS', `sophia: weight decay needs the value of "${name}"; pass the parameters to update()`);
}

const beta = (which: string) => schema.number({ min: 0, max: 1, exclusiveMax: true, description: `${which}, 0 ≤ β < 1` });

export const sophia = definePlugin({
  id: 'sophia',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'SophiaG: clipped updates preconditioned by a Hessian-diagonal EMA (estimates passed as extras.hessianDiag), as the official code.',
  reference: 'Liu, Li, Hall, Liang, Ma 2023, Sophia: A Scalable Stochastic Second-order Optimizer for Language Model Pre-training (arXiv:2305.14342); official code Liuhong99/Sophia sophia.py SophiaG',
  defaults: { ...sophiaDefaults, betas: [...sophiaDefaults.betas] } as SophiaConfig,
  schema: schema.object({
    lr: schema.number({ min: 0, description: 'learning rate (the largest step of an entry)' }),
    betas: schema.tuple([beta('decay rate of the gradient EMA'), beta('decay rate of the Hessian-diagonal EMA')], { description: '[β1, β2]' }),
    rho: schema.number({ min: 0, description: 'scale of the curvature in the denominator (the paper\'s γ)' }),
    batchSize: schema.number({ min: 0, exclusiveMin: true, description: 'examples per step; multiplies the Hessian EMA (official bs)' }),
    weightDecay: schema.number({ min: 0, description: 'decoupled weight decay: θ ← θ·(1 − lr·λ) before the step' }),
    k: schema.integer({ min: 1, description: 'steps between Hessian estimates (for the training loop)' }),
    eps: schema.number({ min: 0, exclusiveMin: true, description: 'added to the denominator' }),
    maximize: schema.boolean({ description: 'maximize the objective instead of minimizing it' }),
  }),
  create: build,
});

/** Validates `config` (merged over the defaults) and builds SophiaG; same as `sophia.create(config)`. */
export function sophiaTransform(config: Partial<SophiaConfig> = {}): GradientTransform<SophiaState> {
  return sophia.create(config) as GradientTransform<SophiaState>;
}
