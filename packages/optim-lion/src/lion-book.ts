import { tf, perParameter, type GradientTransform } from '@descent/tensor';
import { definePlugin } from '@descent/registry';
import { lionDefaults, lionSchema, lionStep, requireParam, type LionConfig, type LionHyper, type LionSlot, type LionState } from './lion';

/** Configuration of `lion-book`: the Lion of the book's companion code (same options and defaults as `lion`). */
export type LionBookConfig = LionConfig;

export const lionBookDefaults: Readonly<LionBookConfig> = lionDefaults;

/**
 * The Lion of the book's companion code (Deep Learning DNA, chapter 5, `dldna` advanced.Lion),
 * offered by name for reproducing the book's studies; never Descent's default. It adds the weight
 * decay to the gradient (coupled, L2), so the decay enters the momentum and the sign:
 *
 *     g ← g + λθ
 *     c ← β1·m + (1 − β1)·g;   θ ← θ − lr·sign(c);   m ← β2·m + (1 − β2)·g
 *
 * With λ = 0 (the book's setting in every study) it equals `lion` exactly. With λ > 0 the decay
 * is swallowed by the sign: a parameter moves by ±lr whatever λ is, instead of shrinking by the
 * factor 1 − lr·λ of the paper's decoupled decay.
 * State: 4 bytes per parameter (the momentum m).
 */
function build(c: LionBookConfig): GradientTransform<LionState> {
  const hyper: LionHyper = { lr: c.lr, beta1: c.betas[0], beta2: c.betas[1], weightDecay: c.weightDecay };
  return perParameter<LionSlot>({
    hyper,
    init: (p) => ({ expAvg: tf.zerosLike(p) }),
    step: (grad, slot, { hyper: h, param, name }) => lionStep(grad, slot, h as LionHyper, true, () => requireParam(param, name, 'lion-book')),
  });
}

export const lionBook = definePlugin({
  id: 'lion-book',
  kind: 'optimizer',
  version: '0.1.0',
  description: "The book's Lion (Deep Learning DNA, ch. 5): weight decay added to the gradient (coupled). For reproducing the book; not the paper's Lion.",
  reference: 'Deep Learning DNA, chapter 5, dldna chapter_05 optimizers.advanced.Lion (see REFERENCE.md)',
  defaults: { ...lionBookDefaults, betas: [...lionBookDefaults.betas] } as LionBookConfig,
  schema: lionSchema('L2 penalty added to the gradient (the book\'s coupled decay)'),
  create: build,
});

/** Validates `config` (merged over the defaults) and builds the book's Lion; same as `lionBook.create(config)`. */
export function lionBookTransform(config: Partial<LionBookConfig> = {}): GradientTransform<LionState> {
  return lionBook.create(config) as GradientTransform<LionState>;
}
