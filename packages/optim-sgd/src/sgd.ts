import { tf, perParameter, DescentError, elementwiseProgram, sum, type Expr, type GradientTransform, type PerParamState } from '@descent/tensor';
import { ConfigError, definePlugin, schema } from '@descent/registry';

/** Configuration of `sgd`: torch.optim.SGD's hyperparameters in camelCase, with torch's defaults. */
export interface SgdConfig {
  /** Learning rate (default 1e-3; torch 1.13 has no default, torch ≥ 2.2 uses 1e-3). */
  lr: number;
  /** Momentum factor μ (default 0: plain SGD, no state). */
  momentum: number;
  /** Dampening τ of the gradient entering the momentum buffer (default 0). */
  dampening: number;
  /** L2 penalty λ added to the gradient, g + λθ (default 0). */
  weightDecay: number;
  /** Nesterov momentum: step along g + μ·buf instead of buf (needs momentum > 0 and dampening = 0). */
  nesterov: boolean;
  /** Ascend instead of descend (default false). */
  maximize: boolean;
}

/** Per-parameter state: the momentum buffer, created at the first step taken with momentum ≠ 0 (torch's `state['momentum_buffer']`). */
export type SgdSlot = { momentumBuffer?: tf.Tensor };

/** Live numeric hyperparameters in `state.hyper` (change them mid-run with `setHyperparam`). */
export type SgdHyper = Pick<SgdConfig, 'lr' | 'momentum' | 'dampening' | 'weightDecay'>;

export type SgdState = PerParamState<SgdSlot>;

export const sgdDefaults: Readonly<SgdConfig> = Object.freeze({ lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });

/** The parameter an update needs (weight decay); a clear error when the caller did not pass it. */
function requireParam(param: tf.Tensor | undefined, name: string, id: string): tf.Tensor {
  if (param === undefined) throw new DescentError('NO_PARAMS', `${id}: weight decay needs the value of "${name}"; pass the parameters to update()`);
  return param;
}

/**
 * Stochastic gradient descent with momentum, torch.optim.SGD semantics (torch 1.13, single-tensor path):
 *
 *     g ← −∇ if maximize else ∇;   g ← g + λθ                    (λ = weightDecay ≠ 0)
 *     if μ ≠ 0:  b ← g at the first step, else b ← μ·b + (1 − τ)·g
 *                g ← g + μ·b if nesterov else b
 *     θ ← θ − lr·g
 *
 * Momentum as in Sutskever et al. 2013, "On the importance of initialization and momentum in
 * deep learning" (torch's form: the learning rate multiplies the buffer, not the gradient).
 * State: 4 bytes per parameter with momentum, none without.
 */
function build(c: SgdConfig): GradientTransform<SgdState> {
  const { nesterov, maximize } = c;
  const hyper: SgdHyper = { lr: c.lr, momentum: c.momentum, dampening: c.dampening, weightDecay: c.weightDecay };
  return perParameter<SgdSlot>({
    hyper,
    init: () => ({}),
    step: (grad, slot, { hyper: h, param, name }) => sgdStep(grad, slot, h as SgdHyper, { nesterov, maximize }, () => requireParam(param, name, 'sgd')),
  });
}

/**
 * One SGD step of one parameter as a program run (for perParameter's `step`), shared by `sgd` and
 * `sgd-book`. `param` is called only when weight decay needs the parameter's value. The
 * element-wise math is one program (fused into a single native pass where the backend has it).
 */
export function sgdStep(grad: tf.Tensor, slot: SgdSlot, h: SgdHyper, flags: { nesterov: boolean; maximize: boolean }, param: () => tf.Tensor) {
  const decay = h.weightDecay !== 0;
  // torch: the first buffer is a copy of the gradient, not (1 − τ)·g.
  const momentum: SgdMomentum = h.momentum === 0 ? 'none' : slot.momentumBuffer === undefined ? 'first' : 'buffer';
  return {
    program: sgdProgram({ ...flags, decay, momentum }),
    inputs: { grad, param: decay ? param() : undefined, momentumBuffer: slot.momentumBuffer },
    scalars: { lr: h.lr, momentum: h.momentum, dampening: h.dampening, weightDecay: h.weightDecay },
    slot: (out: Record<string, tf.Tensor>): SgdSlot => (momentum === 'none' ? slot : { momentumBuffer: out.momentumBuffer }),
  };
}

type SgdMomentum = 'none' | 'first' | 'buffer';
type SgdProgram = ReturnType<typeof makeSgdProgram>;
const sgdPrograms = new Map<string, SgdProgram>();

/** The program of one variant (cached): torch's operations, in its order. */
function sgdProgram(o: { nesterov: boolean; maximize: boolean; decay: boolean; momentum: SgdMomentum }): SgdProgram {
  const key = `${o.nesterov}/${o.maximize}/${o.decay}/${o.momentum}`;
  let p = sgdPrograms.get(key);
  if (p === undefined) sgdPrograms.set(key, (p = makeSgdProgram(o)));
  return p;
}

function makeSgdProgram(o: { nesterov: boolean; maximize: boolean; decay: boolean; momentum: SgdMomentum }) {
  return elementwiseProgram(
    `sgd${o.momentum === 'none' ? '' : '-momentum'}${o.nesterov ? '-nesterov' : ''}`,
    ['grad', 'param', 'momentumBuffer'],
    ['lr', 'momentum', 'dampening', 'weightDecay'],
    (x, s) => {
      let d: Expr = o.maximize ? x.grad.neg() : x.grad;
      if (o.decay) d = d.add(x.param.mul(s.weightDecay));
      const out: Record<string, Expr> = {};
      if (o.momentum !== 'none') {
        // The first buffer is g itself (×1, exact: a new tensor, never the gradient).
        const buf = o.momentum === 'first' ? (d === x.grad ? d.mul(1) : d) : x.momentumBuffer.mul(s.momentum).add(d.mul(sum(1).sub(s.dampening)));
        out.momentumBuffer = buf;
        d = o.nesterov ? d.add(buf.mul(s.momentum)) : buf;
      }
      out.update = d.mul(s.lr.neg());
      return out;
    },
  );
}

export const sgd = definePlugin({
  id: 'sgd',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'SGD with momentum, dampening, Nesterov momentum and weight decay (torch.optim.SGD semantics).',
  reference: 'torch.optim.SGD (torch 1.13); Sutskever et al. 2013, On the importance of initialization and momentum in deep learning',
  defaults: { ...sgdDefaults } as SgdConfig,
  schema: schema.object({
    lr: schema.number({ min: 0, description: 'learning rate' }),
    momentum: schema.number({ min: 0, description: 'momentum factor' }),
    dampening: schema.number({ description: 'dampening of the gradient entering the momentum buffer' }),
    weightDecay: schema.number({ min: 0, description: 'L2 penalty added to the gradient' }),
    nesterov: schema.boolean({ description: 'Nesterov momentum (needs momentum > 0 and dampening = 0)' }),
    maximize: schema.boolean({ description: 'maximize the objective instead of minimizing it' }),
  }),
  check(c) {
    if (c.nesterov && (c.momentum <= 0 || c.dampening !== 0)) {
      throw new ConfigError('nesterov', true, `Nesterov momentum requires momentum > 0 and dampening = 0 (got momentum ${c.momentum}, dampening ${c.dampening})`, 'sgd');
    }
  },
  create: build,
});

/** Validates `config` (merged over the defaults) and builds the transform; same as `sgd.create(config)`. */
export function sgdTransform(config: Partial<SgdConfig> = {}): GradientTransform<SgdState> {
  return sgd.create(config) as GradientTransform<SgdState>;
}
