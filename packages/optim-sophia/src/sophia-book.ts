import { tf, DescentError, elementwiseProgram, sum, type Expr, type GradientTransform, type Hyperparams, type ParamMap, type StateTree } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

/** Configuration of `sophia-book`: the Sophia of the book's companion code (dldna advanced.Sophia), its names and defaults. */
export interface SophiaBookConfig {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** [β1, β2]: decay of the gradient EMA and of the g² EMA (default [0.965, 0.99]). */
  betas: [number, number];
  /** ρ in the denominator ρ·h + 1e-8 (default 0.04). */
  rho: number;
  /** L2 penalty added to the gradient, g + λθ (default 0). */
  weightDecay: number;
  /** h is refreshed at every k-th step (default 10). */
  k: number;
}

/** Per-parameter state: the gradient EMA and the "Hessian" (an EMA of g², starting at ones). */
export type SophiaBookSlot = { expAvg: tf.Tensor; hessian: tf.Tensor };

/** The book counts steps once per optimizer step, for all parameters together. */
export type SophiaBookState = { [key: string]: StateTree; hyper: Hyperparams; steps: number; slots: Record<string, SophiaBookSlot> };

export const sophiaBookDefaults: Readonly<SophiaBookConfig> = Object.freeze({ lr: 1e-3, betas: [0.965, 0.99] as [number, number], rho: 0.04, weightDecay: 0, k: 10 });

/**
 * The Sophia of the book's companion code (Deep Learning DNA, chapter 5, `dldna`
 * optimizers.advanced.Sophia), offered by name for reproducing the book's studies; it is not the
 * paper's Sophia and never Descent's default. There is no Hessian estimator: the curvature is an
 * EMA of g², starting at ones and refreshed only at every k-th step (a step count shared by all
 * parameters, as the book's `self.steps`):
 *
 *     s ← s + 1;   g ← g + λθ
 *     m ← β1·m + (1 − β1)·g
 *     if s mod k = 0:  h ← β2·h + (1 − β2)·g²                 (h = 1 at the start)
 *     θ ← θ − lr·clip(m / (ρ·h + 1e-8), −1, 1)
 *
 * Compared with SophiaG: no Gauss-Newton-Bartlett or Hutchinson estimate (g² is the gradient of the
 * true labels, closer to Adam's second moment), h starts at ones instead of zeros, no batch-size
 * factor, coupled instead of decoupled weight decay, and ε = 1e-8 instead of 1e-15.
 * State: 8 bytes per parameter (m and h).
 */
function build(c: SophiaBookConfig): GradientTransform<SophiaBookState> {
  const hyper: Hyperparams = { lr: c.lr, beta1: c.betas[0], beta2: c.betas[1], rho: c.rho, weightDecay: c.weightDecay, k: c.k };
  const fresh = (p: tf.Tensor): SophiaBookSlot => tf.tidy(() => ({ expAvg: tf.zerosLike(p), hessian: tf.onesLike(p) }) as never) as unknown as SophiaBookSlot;
  return {
    init(params: ParamMap): SophiaBookState {
      const slots: Record<string, SophiaBookSlot> = {};
      for (const name of Object.keys(params)) slots[name] = fresh(params[name]);
      return { hyper: { ...hyper }, steps: 0, slots };
    },
    update(grads, state, params) {
      const { lr, beta1, beta2, rho, weightDecay, k } = state.hyper;
      const steps = state.steps + 1;
      const refresh = steps % k === 0;
      const updates: ParamMap = {};
      const slots: Record<string, SophiaBookSlot> = { ...state.slots };
      for (const name of Object.keys(grads)) {
        const grad = grads[name];
        if (grad == null) continue;
        const p = params?.[name];
        const slot = state.slots[name] ?? (p ? fresh(p) : undefined);
        if (slot === undefined) throw new Error(`sophia-book: no state for "${name}" and no parameter to initialise it from`);
        const decay = weightDecay !== 0;
        if (decay && !p) throw new DescentError('NO_PARAMS', `sophia-book: weight decay needs the value of "${name}"; pass the parameters to update()`);
        const r = sophiaBookProgram(decay, refresh).run({ grad, param: decay ? p : undefined, expAvg: slot.expAvg, hessian: slot.hessian }, { lr, beta1, beta2, rho, weightDecay });
        updates[name] = r.update;
        slots[name] = { expAvg: r.expAvg, hessian: refresh ? r.hessian : slot.hessian };
      }
      return { updates, state: { hyper: state.hyper, steps, slots } };
    },
  };
}

const beta = (which: string) => schema.number({ min: 0, max: 1, exclusiveMax: true, description: `${which}, 0 ≤ β < 1` });

type SophiaBookProgram = ReturnType<typeof makeSophiaBookProgram>;
const programs = new Map<string, SophiaBookProgram>();

/** One step of the book's Sophia per element as one program (cached per variant): the book's operations, in its order. */
function sophiaBookProgram(decay: boolean, refresh: boolean): SophiaBookProgram {
  const key = `${decay}/${refresh}`;
  let p = programs.get(key);
  if (p === undefined) programs.set(key, (p = makeSophiaBookProgram(decay, refresh)));
  return p;
}

function makeSophiaBookProgram(decay: boolean, refresh: boolean) {
  return elementwiseProgram('sophia-book', ['grad', 'param', 'expAvg', 'hessian'], ['lr', 'beta1', 'beta2', 'rho', 'weightDecay'], (x, s) => {
    const g: Expr = decay ? x.grad.add(x.param.mul(s.weightDecay)) : x.grad;
    const out: Record<string, Expr> = {};
    const expAvg = x.expAvg.mul(s.beta1).add(g.mul(sum(1).sub(s.beta1)));
    out.expAvg = expAvg;
    let hessian = x.hessian;
    if (refresh) out.hessian = hessian = x.hessian.mul(s.beta2).add(g.mul(sum(1).sub(s.beta2)).mul(g));
    // clip(m/(ρ·h + 1e-8), −1, 1) as min(max(·, −1), 1).
    out.update = expAvg.div(hessian.mul(s.rho).add(1e-8)).maximum(-1).minimum(1).mul(s.lr.neg());
    return out;
  });
}

export const sophiaBook = definePlugin({
  id: 'sophia-book',
  kind: 'optimizer',
  version: '0.1.0',
  description: "The book's Sophia (Deep Learning DNA, ch. 5): curvature from g² every k steps, starting at ones; clip(m/(ρh + 1e-8), ±1). For reproducing the book; not SophiaG.",
  reference: 'Deep Learning DNA, chapter 5, dldna chapter_05 optimizers.advanced.Sophia (see REFERENCE.md)',
  defaults: { ...sophiaBookDefaults, betas: [...sophiaBookDefaults.betas] } as SophiaBookConfig,
  schema: schema.object({
    lr: schema.number({ min: 0, description: 'learning rate (the largest step of an entry)' }),
    betas: schema.tuple([beta('decay rate of the gradient EMA'), beta('decay rate of the g² EMA')], { description: '[β1, β2]' }),
    rho: schema.number({ min: 0, description: 'ρ in the denominator ρ·h + 1e-8' }),
    weightDecay: schema.number({ min: 0, description: 'L2 penalty added to the gradient' }),
    k: schema.integer({ min: 1, description: 'h is refreshed at every k-th step' }),
  }),
  create: build,
});

/** Validates `config` (merged over the defaults) and builds the book's Sophia; same as `sophiaBook.create(config)`. */
export function sophiaBookTransform(config: Partial<SophiaBookConfig> = {}): GradientTransform<SophiaBookState> {
  return sophiaBook.create(config) as GradientTransform<SophiaBookState>;
}
