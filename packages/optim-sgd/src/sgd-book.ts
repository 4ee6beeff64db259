import { tf, perParameter, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';
import { sgdStep } from './sgd';

/** Configuration of `sgd-book`: the book's SGD (Deep Learning DNA, chapter 5, `dldna` SGD). */
export interface SgdBookConfig {
  /** Learning rate (default 1e-3, the book's studies use 1e-3 and 1e-2). */
  lr: number;
  /** Momentum m of the exponential moving average of gradients, 0 ≤ m ≤ 1 (default 0: plain SGD). */
  momentum: number;
  /** Ascend instead of descend (default false). */
  maximize: boolean;
}

/** Per-parameter state: the moving average, created at the first step taken with momentum ≠ 0. */
export type SgdBookSlot = { momentumBuffer?: tf.Tensor };

export type SgdBookState = PerParamState<SgdBookSlot>;

export const sgdBookDefaults: Readonly<SgdBookConfig> = Object.freeze({ lr: 1e-3, momentum: 0, maximize: false });

/**
 * The SGD of the book's companion code, offered by name for reproducing the book's studies; it is
 * not torch's SGD and never Descent's default. Its momentum buffer is an exponential moving
 * average of the gradients:
 *
 *     g ← −∇ if maximize else ∇
 *     if m ≠ 0:  b ← g at the first step, else b ← m·b + (1 − m)·g;   g ← b
 *     θ ← θ − lr·g
 *
 * In the steady state the buffer averages the gradient (≈ g) where torch's sums it (≈ g/(1 − m)),
 * so the book's "SGD lr 1e-3, momentum 0.9" takes steps about ten times smaller than
 * torch.optim.SGD with the same numbers. It equals `sgd` with dampening = momentum. No weight
 * decay, no Nesterov.
 * State: 4 bytes per parameter with momentum, none without.
 */
function build(c: SgdBookConfig): GradientTransform<SgdBookState> {
  const flags = { nesterov: false, maximize: c.maximize };
  const noParam = (): never => {
    throw new Error('sgd-book has no weight decay');
  };
  return perParameter<SgdBookSlot>({
    hyper: { lr: c.lr, momentum: c.momentum },
    init: () => ({}),
    // torch's SGD with dampening = momentum is exactly the book's moving average.
    step: (grad, slot, { hyper: h }) => sgdStep(grad, slot, { lr: h.lr, momentum: h.momentum, dampening: h.momentum, weightDecay: 0 }, flags, noParam),
  });
}

export const sgdBook = definePlugin({
  id: 'sgd-book',
  kind: 'optimizer',
  version: '0.1.0',
  description: "The book's SGD (Deep Learning DNA, ch. 5): momentum buffer an EMA, b = m·b + (1 − m)·g. For reproducing the book; not torch's SGD.",
  reference: 'Deep Learning DNA, chapter 5, dldna chapter_05 optimizers SGD (see REFERENCE.md)',
  defaults: { ...sgdBookDefaults } as SgdBookConfig,
  schema: schema.object({
    lr: schema.number({ min: 0, description: 'learning rate' }),
    momentum: schema.number({ min: 0, max: 1, description: 'EMA factor of the momentum buffer' }),
    maximize: schema.boolean({ description: 'maximize the objective instead of minimizing it' }),
  }),
  create: build,
});

/** Validates `config` (merged over the defaults) and builds the transform; same as `sgdBook.create(config)`. */
export function sgdBookTransform(config: Partial<SgdBookConfig> = {}): GradientTransform<SgdBookState> {
  return sgdBook.create(config) as GradientTransform<SgdBookState>;
}
