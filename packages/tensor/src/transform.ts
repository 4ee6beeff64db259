import * as tf from './tf';
import type { ParamMap } from './params';
import { disposeReplaced, type StateTree } from './state';
import type { ElementwiseProgram } from './elementwise';

/** Side information an update may use, e.g. a Hessian-diagonal estimate for Sophia. */
export interface UpdateExtras {
  hessianDiag?: ParamMap;
  /** The loss of the current batch, for transforms that adapt to it. */
  loss?: number;
  [key: string]: unknown;
}

export interface UpdateResult<S> {
  /** Tensors to add to the parameters (owned by the caller). */
  updates: ParamMap;
  /** The new state. Tensors of the old state that are not in the new one may be disposed by the caller. */
  state: S;
}

/**
 * An optax-style gradient transformation: pure, composable, its state a plain tree.
 * `update` never disposes its inputs; the caller owns `updates` and decides when the old
 * state goes (see `disposeReplaced`).
 */
export interface GradientTransform<S extends StateTree = StateTree> {
  init(params: ParamMap): S;
  update(grads: ParamMap, state: S, params?: ParamMap, extras?: UpdateExtras): UpdateResult<S>;
  /**
   * Optional: the step applied, `params + updates` for every parameter with a gradient,
   * computed with the updates in one pass where the transform can (a fused program). Gives
   * exactly what `update` followed by adding the updates gives. The returned tensors are new
   * and owned by the caller; parameters without a gradient are not in `params`.
   */
  updateAndApply?(grads: ParamMap, state: S, params: ParamMap, extras?: UpdateExtras, options?: ApplyOptions): { params: ParamMap; state: S };
  /** Where the transform came from, when a registry made it: lets `fromConfig` rebuild it. */
  spec?: TransformSpec;
}

export interface ApplyOptions {
  /**
   * The caller gives up `state` and `params`: the transform may write the new state and
   * parameter values into their memory (where no other tensor shares it), so those tensors hold
   * the new values afterwards. For a caller that replaces both right away, as toTfOptimizer does
   * with its variables and state; saves a pass over memory per step.
   */
  inPlace?: boolean;
}

export interface TransformSpec {
  id: string;
  config: Record<string, unknown>;
}

/** Runs transforms one after the other; the state is the array of their states. */
export function chain(...transforms: GradientTransform<any>[]): GradientTransform<StateTree[]> {
  return {
    init: (params) => transforms.map((t) => t.init(params)),
    update(grads, state, params, extras) {
      let current = grads;
      const next: StateTree[] = [];
      transforms.forEach((t, i) => {
        const r = t.update(current, state[i], params, extras);
        if (current !== grads) disposeMapExcept(current, r.updates);
        current = r.updates;
        next.push(r.state);
      });
      // The identity chain must still hand the caller tensors it owns.
      if (current === grads) current = Object.fromEntries(Object.entries(grads).map(([k, v]) => [k, v.clone()]));
      return { updates: current, state: next };
    },
  };
}

function disposeMapExcept(map: ParamMap, keep: ParamMap) {
  const kept = new Set(Object.values(keep).map((t) => t.id));
  for (const t of Object.values(map)) if (!kept.has(t.id)) t.dispose();
}

/** Numbers a transform reads at every step and that may be changed mid-run (learning rate, betas, ...). */
export type Hyperparams = Record<string, number>;

/** State of a per-parameter transform: live hyperparameters plus one slot per parameter name. */
export interface PerParamState<S extends StateTree> {
  [key: string]: StateTree;
  hyper: Hyperparams;
  slots: Record<string, S>;
}

export interface PerParamContext {
  name: string;
  hyper: Hyperparams;
  extras?: UpdateExtras;
  /** The current value of this parameter (from the `params` passed to update), if given. */
  param?: tf.Tensor;
}

/**
 * One parameter's step written as one run of an element-wise program (`elementwiseProgram`):
 * the program must have an output `update` (and read its parameter as input `param` where it
 * needs it). perParameter then runs the steps of all parameters together, one native call per
 * program (as torch's `foreach` kernels), and offers `updateAndApply` through the program's
 * applied variant, which writes the new parameter values in the same pass.
 */
export interface ProgramStep<S> {
  program: ElementwiseProgram<string, string, string>;
  inputs: Partial<Record<string, tf.Tensor>>;
  scalars: Record<string, number>;
  /** The next slot from the program's outputs. */
  slot(out: Record<string, tf.Tensor>): S;
}

type PerParamDefinition<S extends StateTree> = {
  hyper: Hyperparams;
  init(param: tf.Tensor, name: string, hyper: Hyperparams): S;
  spec?: TransformSpec;
} & (
  | {
      /** The update and the new slot (runs inside `tf.tidy`). */
      update(grad: tf.Tensor, slot: S, ctx: PerParamContext): { update: tf.Tensor; slot: S };
      /** Optional: the new parameter value (param + update) with the new slot, in one pass; must equal `update` then adding. */
      apply?(grad: tf.Tensor, slot: S, ctx: PerParamContext & { param: tf.Tensor }): { param: tf.Tensor; slot: S };
      step?: never;
    }
  | {
      /** The step as a program run (see {@link ProgramStep}); update and updateAndApply follow from it. */
      step(grad: tf.Tensor, slot: S, ctx: PerParamContext): ProgramStep<S>;
      update?: never;
      apply?: never;
    }
);

/**
 * Builds a transform that treats each parameter on its own, like torch.optim: parameters
 * without a gradient in a step are skipped (their slot is kept as is), new parameters get a
 * fresh slot, and hyperparameters live in the state so they can be read and changed mid-run.
 * Give either `update` (runs inside `tf.tidy`; return the update and the new slot) or `step`
 * (the step as an element-wise program run, batched over the parameters).
 */
export function perParameter<S extends StateTree>(def: PerParamDefinition<S>): GradientTransform<PerParamState<S>> {
  const slotFor = (state: PerParamState<S>, name: string, p: tf.Tensor | undefined): S => {
    const slot = state.slots[name] ?? (p ? (tf.tidy(() => def.init(p, name, state.hyper) as any) as S) : undefined);
    if (slot === undefined) throw new Error(`perParameter: no state for "${name}" and no parameter to initialise it from`);
    return slot;
  };
  const init = (params: ParamMap): PerParamState<S> => {
    const slots: Record<string, S> = {};
    for (const name of Object.keys(params)) slots[name] = tf.tidy(() => def.init(params[name], name, def.hyper) as any) as S;
    return { hyper: { ...def.hyper }, slots };
  };
  if (def.step) return programTransform(def.step, slotFor, init, def.spec);
  const { update, apply } = def as Extract<PerParamDefinition<S>, { update: unknown }>;
  return {
    spec: def.spec,
    ...(apply && {
      updateAndApply(grads: ParamMap, state: PerParamState<S>, params: ParamMap, extras?: UpdateExtras) {
        const out: ParamMap = {};
        const slots: Record<string, S> = { ...state.slots };
        for (const name of Object.keys(grads)) {
          const g = grads[name];
          const p = params[name];
          if (g == null) continue;
          if (p == null) throw new Error(`perParameter: updateAndApply needs the value of "${name}"`);
          const r = tf.tidy(() => apply(g, slotFor(state, name, p), { name, hyper: state.hyper, extras, param: p }) as any) as { param: tf.Tensor; slot: S };
          out[name] = r.param;
          slots[name] = r.slot;
        }
        return { params: out, state: { hyper: state.hyper, slots } };
      },
    }),
    init,
    update(grads, state, params, extras) {
      const updates: ParamMap = {};
      const slots: Record<string, S> = { ...state.slots };
      for (const name of Object.keys(grads)) {
        const g = grads[name];
        if (g == null) continue;
        const p = params?.[name];
        const slot = slotFor(state, name, p);
        const r = tf.tidy(() => update(g, slot, { name, hyper: state.hyper, extras, param: p }) as any) as { update: tf.Tensor; slot: S };
        // Updates are owned by the caller: never hand back the gradient itself.
        updates[name] = r.update === g ? g.clone() : r.update;
        slots[name] = r.slot;
      }
      return { updates, state: { hyper: state.hyper, slots } };
    },
  };
}

/** perParameter from a ProgramStep: every parameter's step, grouped by program, in one run each. */
function programTransform<S extends StateTree>(
  stepOf: (grad: tf.Tensor, slot: S, ctx: PerParamContext) => ProgramStep<S>,
  slotFor: (state: PerParamState<S>, name: string, p: tf.Tensor | undefined) => S,
  init: (params: ParamMap) => PerParamState<S>,
  spec: TransformSpec | undefined,
): GradientTransform<PerParamState<S>> {
  const run = (grads: ParamMap, state: PerParamState<S>, params: ParamMap | undefined, extras: UpdateExtras | undefined, applied: boolean, inPlace = false) =>
    tf.tidy(() => {
      const groups = new Map<ElementwiseProgram<string, string, string>, Array<{ name: string; step: ProgramStep<S>; param?: tf.Tensor }>>();
      for (const name of Object.keys(grads)) {
        const g = grads[name];
        if (g == null) continue;
        const p = params?.[name];
        if (applied && p == null) throw new Error(`perParameter: updateAndApply needs the value of "${name}"`);
        const step = stepOf(g, slotFor(state, name, p), { name, hyper: state.hyper, extras, param: p });
        const program = applied ? step.program.applied() : step.program;
        const list = groups.get(program) ?? [];
        list.push({ name, step, param: p });
        groups.set(program, list);
      }
      const values: ParamMap = {};
      const slots: Record<string, S> = { ...state.slots };
      for (const [program, list] of groups) {
        const outs = program.runMany(
          list.map(({ step, param }) => ({ inputs: applied ? { ...step.inputs, param } : step.inputs, scalars: step.scalars })),
          { inPlace },
        );
        list.forEach(({ name, step }, k) => {
          values[name] = applied ? outs[k].param : outs[k].update;
          slots[name] = step.slot(outs[k]);
        });
      }
      return { values, slots } as unknown as tf.TensorContainer;
    }) as unknown as { values: ParamMap; slots: Record<string, S> };
  return {
    spec,
    init,
    update(grads, state, params, extras) {
      const r = run(grads, state, params, extras, false);
      return { updates: r.values, state: { hyper: state.hyper, slots: r.slots } };
    },
    updateAndApply(grads, state, params, extras, options) {
      const r = run(grads, state, params, extras, true, options?.inPlace);
      return { params: r.values, state: { hyper: state.hyper, slots: r.slots } };
    },
  };
}

/** Reads a hyperparameter from anywhere in a state tree (first match, depth first). */
export function getHyperparam(state: StateTree, key: string): number | undefined {
  let found: number | undefined;
  walkHyper(state, (h) => {
    if (found === undefined && typeof h[key] === 'number') found = h[key];
  });
  return found;
}

/** Sets a hyperparameter wherever a transform of the tree declares it; returns how many were set. */
export function setHyperparam(state: StateTree, key: string, value: number): number {
  let n = 0;
  walkHyper(state, (h) => {
    if (key in h) {
      h[key] = value;
      n++;
    }
  });
  return n;
}

function walkHyper(node: StateTree, fn: (h: Hyperparams) => void) {
  if (node instanceof tf.Tensor || node == null || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n) => walkHyper(n, fn));
  const hyper = (node as Record<string, StateTree>).hyper;
  if (hyper && typeof hyper === 'object' && !Array.isArray(hyper) && !(hyper instanceof tf.Tensor)) fn(hyper as Hyperparams);
  for (const [k, v] of Object.entries(node)) if (k !== 'hyper' && k !== 'slots') walkHyper(v, fn);
}

/**
 * One full step on a ParamMap: runs the transform, adds the updates, disposes the replaced
 * state. Returns the new parameters (new tensors) and state. For variables use `toTfOptimizer`.
 */
export function step<S extends StateTree>(
  transform: GradientTransform<S>,
  params: ParamMap,
  grads: ParamMap,
  state: S,
  extras?: UpdateExtras,
): { params: ParamMap; state: S } {
  if (transform.updateAndApply) {
    const r = transform.updateAndApply(grads, state, params, extras);
    const out: ParamMap = {};
    for (const name of Object.keys(params)) out[name] = r.params[name] ?? params[name].clone();
    disposeReplaced(state, r.state);
    return { params: out, state: r.state };
  }
  const { updates, state: next } = transform.update(grads, state, params, extras);
  const out: ParamMap = {};
  for (const name of Object.keys(params)) out[name] = updates[name] ? tf.add(params[name], updates[name]) : params[name].clone();
  for (const u of Object.values(updates)) u.dispose();
  disposeReplaced(state, next);
  return { params: out, state: next };
}
