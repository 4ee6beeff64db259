import { tf, perParameter, DescentError, type GradientTransform, type Hyperparams, type PerParamState } from '@descent/tensor';
import { ConfigError, definePlugin, schema } from '@descent/registry';

/** Configuration of `adafactor`: transformers.optimization.Adafactor's arguments in camelCase, with its defaults. */
export interface AdafactorConfig {
  /** External learning rate; null (default) with `relativeStep`: the step size is computed, see below. */
  lr: number | null;
  /** [ε1, ε2]: ε1 is added to g² (default 1e-30), ε2 is the floor of the parameter scale (default 1e-3). */
  eps: [number, number];
  /** The update is scaled down to an RMS of at most this (default 1.0). */
  clipThreshold: number;
  /** Decay of the second-moment EMA: β2(t) = 1 − t^decayRate (default −0.8). */
  decayRate: number;
  /** First-moment decay β1, or null (default) for no first moment (no state of the parameter's size). */
  beta1: number | null;
  /** Decoupled decay θ ← θ − λ·lr(t)·θ with the computed step size (default 0). */
  weightDecay: number;
  /** Multiply the step size by max(ε2, RMS(θ)) (default true). */
  scaleParameter: boolean;
  /** Step size min(10⁻², 1/√t) (or min(10⁻⁶·t, 1/√t) with warmupInit) instead of `lr` (default true). */
  relativeStep: boolean;
  /** With relativeStep: a linear warm-up 10⁻⁶·t of the step size (default false). */
  warmupInit: boolean;
}

/**
 * Per-parameter state, transformers' names in camelCase: step count; for tensors of rank ≥ 2 the
 * row and column statistics over the last two dimensions (`expAvgSqRow`, shape[:-1], and
 * `expAvgSqCol`, shape[:-2] + shape[-1:]), else the full `expAvgSq`; `expAvg` only with beta1.
 */
export type AdafactorSlot = { step: number; expAvg?: tf.Tensor; expAvgSqRow?: tf.Tensor; expAvgSqCol?: tf.Tensor; expAvgSq?: tf.Tensor };

/** Live hyperparameters in `state.hyper`: eps1, eps2, clipThreshold, decayRate, weightDecay; `lr` without relativeStep; `beta1` when set. */
export type AdafactorHyper = Hyperparams;

export type AdafactorState = PerParamState<AdafactorSlot>;

export const adafactorDefaults: Readonly<AdafactorConfig> = Object.freeze({
  lr: null,
  eps: [1e-30, 1e-3] as [number, number],
  clipThreshold: 1.0,
  decayRate: -0.8,
  beta1: null,
  weightDecay: 0,
  scaleParameter: true,
  relativeStep: true,
  warmupInit: false,
});

/**
 * Adafactor (Shazeer & Stern 2018, Adafactor: Adaptive Learning Rates with Sublinear Memory
 * Cost), with the semantics of transformers.optimization.Adafactor (itself fairseq's), t the
 * per-parameter step count:
 *
 *     ρ(t) = min(10⁻⁶·t if warmupInit else 10⁻², 1/√t) if relativeStep else lr
 *     α(t) = max(ε2, RMS(θ))·ρ(t) if scaleParameter else ρ(t)
 *     β2(t) = 1 − t^decayRate;   u = g² + ε1
 *     rank ≥ 2 (over the last two dims):  R ← β2(t)·R + (1 − β2(t))·mean_cols(u)
 *                                          C ← β2(t)·C + (1 − β2(t))·mean_rows(u)
 *                                          U = g / √(R·C / mean(R))          (R·C/mean(R) ≈ V)
 *     rank < 2:                            V ← β2(t)·V + (1 − β2(t))·u;   U = g / √V
 *     U ← U / max(1, RMS(U)/clipThreshold);   U ← α(t)·U
 *     with beta1:  m ← β1·m + (1 − β1)·U;  U ← m
 *     θ ← θ − λ·α(t)·θ − U
 *
 * RMS(x) = ‖x‖₂/√size. α(t) stays a device scalar (no read-back per step). Factoring uses the last
 * two dimensions as transformers does; the factored estimate is symmetric in rows and columns, so
 * a tfjs dense kernel [in, out] gets the same update as torch's [out, in] weight, while a tfjs conv
 * kernel [kh, kw, in, out] is factored over (in, out) where torch's [out, in, kh, kw] is factored
 * over the spatial dimensions.
 * State: 4·(m + n) bytes for an m×n matrix (plus 4 per parameter with beta1), 4 per entry of a
 * vector.
 */
function build(c: AdafactorConfig): GradientTransform<AdafactorState> {
  const { relativeStep, warmupInit, scaleParameter } = c;
  const useFirstMoment = c.beta1 !== null;
  const hyper: AdafactorHyper = { eps1: c.eps[0], eps2: c.eps[1], clipThreshold: c.clipThreshold, decayRate: c.decayRate, weightDecay: c.weightDecay };
  if (!relativeStep) hyper.lr = c.lr as number;
  if (useFirstMoment) hyper.beta1 = c.beta1 as number;
  return perParameter<AdafactorSlot>({
    hyper,
    init(p) {
      const slot: AdafactorSlot = { step: 0 };
      if (useFirstMoment) slot.expAvg = tf.zerosLike(p);
      if (p.rank >= 2) {
        slot.expAvgSqRow = tf.zeros(p.shape.slice(0, -1));
        slot.expAvgSqCol = tf.zeros([...p.shape.slice(0, -2), p.shape[p.rank - 1]]);
      } else slot.expAvgSq = tf.zerosLike(p);
      return slot;
    },
    update(grad, slot, { hyper: h, param, name }) {
      const t = slot.step + 1;
      const { eps1, eps2, clipThreshold, decayRate, weightDecay } = h;
      const rel = relativeStep ? Math.min(warmupInit ? 1e-6 * t : 1e-2, 1 / Math.sqrt(t)) : h.lr;
      let lr: tf.Tensor | number = rel;
      if (scaleParameter) lr = tf.mul(tf.maximum(rms(param ?? missingParam(name)), eps2), rel);
      const beta2t = 1 - Math.pow(t, decayRate);
      const u = tf.add(tf.square(grad), eps1);
      const next: AdafactorSlot = { step: t };
      let update: tf.Tensor;
      if (grad.rank >= 2) {
        const row = tf.add(tf.mul(slot.expAvgSqRow!, beta2t), tf.mul(tf.mean(u, -1), 1 - beta2t));
        const col = tf.add(tf.mul(slot.expAvgSqCol!, beta2t), tf.mul(tf.mean(u, -2), 1 - beta2t));
        const rFactor = tf.expandDims(tf.rsqrt(tf.div(row, tf.mean(row, -1, true))), row.rank);
        const cFactor = tf.expandDims(tf.rsqrt(col), col.rank - 1);
        update = tf.mul(tf.mul(rFactor, cFactor), grad);
        next.expAvgSqRow = row;
        next.expAvgSqCol = col;
      } else {
        const v = tf.add(tf.mul(slot.expAvgSq!, beta2t), tf.mul(u, 1 - beta2t));
        update = tf.mul(tf.rsqrt(v), grad);
        next.expAvgSq = v;
      }
      update = tf.div(update, tf.maximum(tf.div(rms(update), clipThreshold), 1));
      update = tf.mul(update, lr);
      if (useFirstMoment) {
        const expAvg = tf.add(tf.mul(slot.expAvg!, h.beta1), tf.mul(update, 1 - h.beta1));
        next.expAvg = expAvg;
        update = expAvg;
      }
      let step = tf.neg(update);
      if (weightDecay !== 0) {
        const p = param ?? missingParam(name);
        step = tf.add(tf.mul(p, tf.mul(lr, -weightDecay)), step);
      }
      return { update: step, slot: next };
    },
  });
}

/** ‖x‖₂ / √size, transformers' `_rms`. */
function rms(x: tf.Tensor): tf.Tensor {
  return tf.sqrt(tf.mean(tf.square(x)));
}

function missingParam(name: string): never {
  throw new DescentError('NO_PARAMS', `adafactor: the parameter scale and weight decay need the value of "${name}"; pass the parameters to update()`);
}

export const adafactor = definePlugin({
  id: 'adafactor',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'Adafactor: factored second moments, update clipping, relative step sizes (transformers.optimization.Adafactor semantics).',
  reference: 'Shazeer & Stern 2018, Adafactor: Adaptive Learning Rates with Sublinear Memory Cost (ICML); transformers.optimization.Adafactor (fairseq)',
  defaults: { ...adafactorDefaults, eps: [...adafactorDefaults.eps] } as AdafactorConfig,
  schema: schema.object({
    lr: schema.nullable(schema.number({ min: 0, description: 'external learning rate (needs relativeStep: false)' })),
    eps: schema.tuple([schema.number({ min: 0, description: 'ε1, added to g²' }), schema.number({ min: 0, description: 'ε2, floor of the parameter scale' })], { description: '[ε1, ε2]' }),
    clipThreshold: schema.number({ min: 0, exclusiveMin: true, description: 'largest RMS of the update before the step size' }),
    decayRate: schema.number({ max: 0, description: 'β2(t) = 1 − t^decayRate' }),
    beta1: schema.nullable(schema.number({ min: 0, max: 1, exclusiveMax: true, description: 'first-moment decay, or null for none' })),
    weightDecay: schema.number({ min: 0, description: 'decoupled weight decay, scaled by the step size' }),
    scaleParameter: schema.boolean({ description: 'scale the step size by the RMS of the parameter' }),
    relativeStep: schema.boolean({ description: 'compute the step size from the step count instead of lr' }),
    warmupInit: schema.boolean({ description: 'linear warm-up of the relative step size (needs relativeStep)' }),
  }),
  check(c) {
    if (c.lr !== null && c.relativeStep) throw new ConfigError('lr', c.lr, 'null while relativeStep is true (set relativeStep: false to use an external lr)', 'adafactor');
    if (c.lr === null && !c.relativeStep) throw new ConfigError('lr', null, 'a number when relativeStep is false', 'adafactor');
    if (c.warmupInit && !c.relativeStep) throw new ConfigError('warmupInit', true, 'false when relativeStep is false (warm-up init needs relativeStep)', 'adafactor');
  },
  create: build,
});

/** Validates `config` (merged over the defaults) and builds Adafactor; same as `adafactor.create(config)`. */
export function adafactorTransform(config: Partial<AdafactorConfig> = {}): GradientTransform<AdafactorState> {
  return adafactor.create(config) as GradientTransform<AdafactorState>;
}
