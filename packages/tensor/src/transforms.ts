import * as tf from './tf';
import type { ParamMap } from './params';
import { globalNorm } from './params';
import { checkNumber, InvalidParameterError } from './errors';
import type { GradientTransform, Hyperparams } from './transform';
import type { Schedule } from './schedules';
import type { StateTree } from './state';

/** Rescales all updates together so their global norm is at most `maxNorm` (optax clip_by_global_norm, torch clip_grad_norm_). */
export function clipByGlobalNorm(maxNorm: number): GradientTransform<{ hyper: Hyperparams }> {
  checkNumber('maxNorm', maxNorm, { min: 0, minExclusive: true });
  return {
    init: () => ({ hyper: { maxNorm } }),
    update(grads, state) {
      const updates = tf.tidy(() => {
        const norm = globalNorm(grads);
        // torch: coef = max_norm / (norm + 1e-6), clamped to 1.
        const coef = tf.minimum(tf.div(state.hyper.maxNorm, tf.add(norm, 1e-6)), 1);
        const out: ParamMap = {};
        for (const [n, g] of Object.entries(grads)) out[n] = tf.mul(g, coef);
        return out;
      });
      return { updates, state };
    },
  };
}

/** Clips every entry to [−maxDelta, maxDelta] (optax clip, torch clip_grad_value_). */
export function clipByValue(maxDelta: number): GradientTransform<{ hyper: Hyperparams }> {
  checkNumber('maxDelta', maxDelta, { min: 0, minExclusive: true });
  return {
    init: () => ({ hyper: { maxDelta } }),
    update(grads, state) {
      const d = state.hyper.maxDelta;
      const updates: ParamMap = {};
      for (const [n, g] of Object.entries(grads)) updates[n] = tf.clipByValue(g, -d, d);
      return { updates, state };
    },
  };
}

/** Which parameters a transform applies to: a name pattern or a predicate. */
export type ParamMask = RegExp | ((name: string, param?: tf.Tensor) => boolean);

/** The usual mask for weight decay: everything but biases and normalisation parameters (1-D). */
export const decayMask: ParamMask = (name, param) => !(/bias|gamma|beta|batch_?norm|layer_?norm/i.test(name) || (param !== undefined && param.rank <= 1));

function masked(mask: ParamMask | undefined, name: string, param?: tf.Tensor): boolean {
  if (!mask) return true;
  return mask instanceof RegExp ? mask.test(name) : mask(name, param);
}

/**
 * Adds weightDecay·param to the updates (optax add_decayed_weights): placed before the learning
 * rate it is L2 regularisation, after it (with a negative rate folded in) decoupled decay.
 */
export function addDecayedWeights(weightDecay: number, mask?: ParamMask): GradientTransform<{ hyper: Hyperparams }> {
  checkNumber('weightDecay', weightDecay, { min: 0 });
  return {
    init: () => ({ hyper: { weightDecay } }),
    update(grads, state, params) {
      if (!params) throw new InvalidParameterError('params', params, 'the current parameters (addDecayedWeights needs them)');
      const wd = state.hyper.weightDecay;
      const updates: ParamMap = {};
      for (const [n, g] of Object.entries(grads)) {
        const p = params[n];
        updates[n] = wd !== 0 && p && masked(mask, n, p) ? tf.tidy(() => tf.add(g, tf.mul(p, wd))) : g.clone();
      }
      return { updates, state };
    },
  };
}

/**
 * Multiplies updates by −lr (so that adding them descends). `lr` is a number (kept in state as
 * the hyperparameter 'lr', changeable mid-run) or a schedule of the step count.
 */
export function scaleByLearningRate(lr: number | Schedule): GradientTransform<{ hyper: Hyperparams; count: number }> {
  const schedule = typeof lr === 'function' ? lr : undefined;
  if (!schedule) checkNumber('lr', lr, { min: 0 });
  return {
    init: () => ({ hyper: { lr: schedule ? schedule(0) : (lr as number) }, count: 0 }),
    update(grads, state) {
      const rate = schedule ? schedule(state.count) : state.hyper.lr;
      const updates: ParamMap = {};
      for (const [n, g] of Object.entries(grads)) updates[n] = tf.mul(g, -rate);
      return { updates, state: { hyper: { ...state.hyper, lr: rate }, count: state.count + 1 } };
    },
  };
}

/** Applies `inner` only to the parameters the mask selects; the rest pass through unchanged (optax masked). */
export function maskTransform<S extends StateTree>(inner: GradientTransform<S>, mask: ParamMask): GradientTransform<S> {
  const pick = (m: ParamMap, params?: ParamMap) => Object.fromEntries(Object.entries(m).filter(([n]) => masked(mask, n, params?.[n] ?? m[n])));
  return {
    init: (params) => inner.init(pick(params, params)),
    update(grads, state, params, extras) {
      const chosen = pick(grads, params);
      const r = inner.update(chosen, state, params, extras);
      const updates: ParamMap = { ...r.updates };
      for (const [n, g] of Object.entries(grads)) if (!(n in chosen)) updates[n] = g.clone();
      return { updates, state: r.state };
    },
  };
}

/**
 * Per-parameter-group settings: each group has a mask and its own transform (e.g. no decay and a
 * smaller rate for biases). A parameter goes to the first group whose mask takes it; the last
 * group may omit the mask to take the rest.
 */
export function parameterGroups(groups: Array<{ mask?: ParamMask; transform: GradientTransform<any> }>): GradientTransform<any[]> {
  if (groups.length === 0) throw new InvalidParameterError('groups', groups, 'at least one group');
  const assign = (names: string[], params?: ParamMap) => {
    const out: string[][] = groups.map(() => []);
    for (const n of names) {
      const i = groups.findIndex((g) => !g.mask || masked(g.mask, n, params?.[n]));
      if (i >= 0) out[i].push(n);
    }
    return out;
  };
  const sub = (m: ParamMap, names: string[]) => Object.fromEntries(names.map((n) => [n, m[n]]));
  return {
    init(params) {
      const parts = assign(Object.keys(params), params);
      return groups.map((g, i) => g.transform.init(sub(params, parts[i])));
    },
    update(grads, state, params, extras) {
      const parts = assign(Object.keys(grads), params);
      const updates: ParamMap = {};
      const next = groups.map((g, i) => {
        if (parts[i].length === 0) return state[i];
        const r = g.transform.update(sub(grads, parts[i]), state[i], params, extras);
        Object.assign(updates, r.updates);
        return r.state;
      });
      return { updates, state: next };
    },
  };
}

