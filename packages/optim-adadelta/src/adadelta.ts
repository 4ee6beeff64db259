import { tf, perParameter, DescentError, elementwiseProgram, sum, type Expr, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

/** Configuration of `adadelta`: torch.optim.Adadelta's hyperparameters in camelCase, with torch's defaults. */
export interface AdadeltaConfig {
  /** Coefficient that scales the update before it is applied (default 1.0). */
  lr: number;
  /** Decay rate ρ of the moving averages, 0 ≤ ρ ≤ 1 (default 0.9). */
  rho: number;
  /** Added inside both square roots (default 1e-6). */
  eps: number;
  /** L2 penalty added to the gradient, g + λθ (default 0). */
  weightDecay: number;
  /** Ascend instead of descend (default false). */
  maximize: boolean;
}

/** Per-parameter state, torch's names: the step count, the moving averages of g² and of the squared updates. */
export type AdadeltaSlot = { step: number; squareAvg: tf.Tensor; accDelta: tf.Tensor };

/** Live numeric hyperparameters in `state.hyper`. */
export type AdadeltaHyper = Pick<AdadeltaConfig, 'lr' | 'rho' | 'eps' | 'weightDecay'>;

export type AdadeltaState = PerParamState<AdadeltaSlot>;

export const adadeltaDefaults: Readonly<AdadeltaConfig> = Object.freeze({ lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false });

/**
 * Adadelta (Zeiler 2012), torch.optim.Adadelta semantics (torch 1.13, single-tensor path):
 *
 *     g ← −∇ if maximize else ∇;   g ← g + λθ          (λ = weightDecay ≠ 0)
 *     v ← ρ·v + (1 − ρ)·g²
 *     Δ ← √(u + eps) / √(v + eps) · g
 *     u ← ρ·u + (1 − ρ)·Δ²
 *     θ ← θ − lr·Δ
 *
 * State: 8 bytes per parameter.
 */
function build(c: AdadeltaConfig): GradientTransform<AdadeltaState> {
  const { maximize } = c;
  const hyper: AdadeltaHyper = { lr: c.lr, rho: c.rho, eps: c.eps, weightDecay: c.weightDecay };
  return perParameter<AdadeltaSlot>({
    hyper,
    init: (p) => ({ step: 0, squareAvg: tf.zerosLike(p), accDelta: tf.zerosLike(p) }),
    step(grad, slot, { hyper: h, param, name }) {
      const { lr, rho, eps, weightDecay } = h;
      const decay = weightDecay !== 0;
      return {
        program: adadeltaProgram({ maximize, decay }),
        inputs: { grad, param: decay ? (param ?? missingParam(name)) : undefined, squareAvg: slot.squareAvg, accDelta: slot.accDelta },
        scalars: { lr, rho, eps, weightDecay },
        slot: (out) => ({ step: slot.step + 1, squareAvg: out.squareAvg, accDelta: out.accDelta }),
      };
    },
  });
}

type AdadeltaProgram = ReturnType<typeof makeAdadeltaProgram>;
const programs = new Map<string, AdadeltaProgram>();

/** One Adadelta step per element as one program (cached per variant): torch's operations, in its order. */
function adadeltaProgram(o: { maximize: boolean; decay: boolean }): AdadeltaProgram {
  const key = `${o.maximize}/${o.decay}`;
  let p = programs.get(key);
  if (p === undefined) programs.set(key, (p = makeAdadeltaProgram(o)));
  return p;
}

function makeAdadeltaProgram(o: { maximize: boolean; decay: boolean }) {
  return elementwiseProgram('adadelta', ['grad', 'param', 'squareAvg', 'accDelta'], ['lr', 'rho', 'eps', 'weightDecay'], (x, s) => {
    let g: Expr = o.maximize ? x.grad.neg() : x.grad;
    if (o.decay) g = g.add(x.param.mul(s.weightDecay));
    const squareAvg = x.squareAvg.mul(s.rho).add(g.mul(sum(1).sub(s.rho)).mul(g));
    const std = squareAvg.add(s.eps).sqrt();
    const delta = x.accDelta.add(s.eps).sqrt().div(std).mul(g);
    const accDelta = x.accDelta.mul(s.rho).add(delta.mul(sum(1).sub(s.rho)).mul(delta));
    return { update: delta.mul(s.lr.neg()), squareAvg, accDelta };
  });
}

function missingParam(name: string): never {
  throw new DescentError('NO_PARAMS', `adadelta: weight decay needs the value of "${name}"; pass the parameters to update()`);
}

export const adadelta = definePlugin({
  id: 'adadelta',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'Adadelta (torch.optim.Adadelta semantics).',
  reference: 'torch.optim.Adadelta (torch 1.13); Zeiler 2012, ADADELTA: An Adaptive Learning Rate Method',
  defaults: { ...adadeltaDefaults } as AdadeltaConfig,
  schema: schema.object({
    lr: schema.number({ min: 0, description: 'coefficient that scales the update' }),
    rho: schema.number({ min: 0, max: 1, description: 'decay rate of the moving averages' }),
    eps: schema.number({ min: 0, description: 'added inside the square roots' }),
    weightDecay: schema.number({ min: 0, description: 'L2 penalty added to the gradient' }),
    maximize: schema.boolean({ description: 'maximize the objective instead of minimizing it' }),
  }),
  create: build,
});

/** Validates `config` (merged over the defaults) and builds the transform; same as `adadelta.create(config)`. */
export function adadeltaTransform(config: Partial<AdadeltaConfig> = {}): GradientTransform<AdadeltaState> {
  return adadelta.create(config) as GradientTransform<AdadeltaState>;
}
