import * as tf from './tf';
import type { ParamMap } from './params';
import { disposeReplaced, flattenState, mergeState, stateBytes, stateTensors, unflattenState, type StateTree } from './state';
import { getHyperparam, setHyperparam, type GradientTransform, type TransformSpec, type UpdateExtras } from './transform';
import { guardGradients, type NonFinitePolicy } from './gradients';
import { DescentError } from './errors';

/** tfjs' { name, tensor } pair (not exported by tfjs-core's index). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export interface TfOptimizerOptions {
  /** NaN/Inf gradients: 'error' (default) throws, 'skip' leaves the variables untouched, 'ignore' does not check. */
  nonFinite?: NonFinitePolicy;
}

type TransformFactory = (config: Record<string, unknown>) => GradientTransform<any>;
const factories = new Map<string, TransformFactory>();

/** Lets `fromConfig` rebuild optimizers whose transform carries `spec.id` (the registry does this for its plugins). */
export function registerTransformFactory(id: string, factory: TransformFactory): void {
  factories.set(id, factory);
}

/**
 * A real `tf.Optimizer` driven by a gradient transform: works with `model.compile({optimizer})`,
 * `model.fit`, `optimizer.minimize` and `applyGradients` in both input forms. State is kept per
 * variable name, so the order of variables does not matter, and variables without a gradient
 * are skipped.
 */
export class TransformOptimizer extends tf.Optimizer {
  static className = 'DescentTransformOptimizer';
  private state: StateTree = undefined;
  /** Variable names the state covers. */
  private seen = new Set<string>();
  private readonly nonFinite: NonFinitePolicy;
  /** Global gradient norm of the last step (when checked), for logging. */
  lastGradientNorm: number | undefined;
  /** Steps skipped because of non-finite gradients under the 'skip' policy. */
  skippedSteps = 0;
  /** Side information for the next step only (e.g. a Hessian-diagonal estimate). */
  nextExtras: UpdateExtras | undefined;

  constructor(readonly transform: GradientTransform<any>, options: TfOptimizerOptions = {}) {
    super();
    this.nonFinite = options.nonFinite ?? 'error';
  }

  override getClassName(): string {
    return TransformOptimizer.className;
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] }));
    const registered = tf.engine().registeredVariables;
    const grads: ParamMap = {};
    const vars: Record<string, tf.Variable> = {};
    for (const { name, tensor } of list) {
      if (tensor == null) continue;
      const v = registered[name];
      if (v == null) throw new DescentError('UNKNOWN_VARIABLE', `applyGradients: no variable named "${name}" is registered`);
      grads[name] = tensor;
      vars[name] = v;
    }
    const { apply, check } = guardGradients(grads, this.nonFinite);
    this.lastGradientNorm = check?.norm;
    if (!apply) {
      this.skippedSteps++;
      return;
    }
    this.prepare(vars);
    const extras = this.nextExtras;
    this.nextExtras = undefined;
    let state: StateTree;
    if (this.transform.updateAndApply) {
      // The new values straight from the transform's fused pass: no separate add. In place: the
      // variables and the state are replaced right below, so their memory may take the results.
      const r = this.transform.updateAndApply(grads, this.state as any, vars, extras, { inPlace: true });
      for (const name of Object.keys(r.params)) {
        vars[name].assign(r.params[name]);
        r.params[name].dispose();
      }
      state = r.state;
    } else {
      const r = this.transform.update(grads, this.state as any, vars, extras);
      tf.tidy(() => {
        for (const name of Object.keys(r.updates)) vars[name].assign(tf.add(vars[name], r.updates[name]));
      });
      for (const u of Object.values(r.updates)) u.dispose();
      state = r.state;
    }
    disposeReplaced(this.state, state);
    this.state = keepAll(state);
    this.incrementIterations();
  }

  /** Creates the state for these variables now (it is otherwise made at the first step), so hyperparameters can be set before training. */
  prepare(vars: ParamMap): void {
    const fresh = Object.keys(vars).filter((n) => !this.seen.has(n));
    if (fresh.length === 0) return;
    for (const n of fresh) this.seen.add(n);
    if (this.state === undefined) {
      this.state = keepAll(this.transform.init(vars));
      return;
    }
    const added = this.transform.init(Object.fromEntries(fresh.map((n) => [n, vars[n]])));
    const merged = mergeState(this.state, added);
    disposeReplaced(added, merged);
    this.state = keepAll(merged);
  }

  /** The transform's live state (read-only use; it is replaced at every step). */
  getState(): StateTree {
    return this.state;
  }

  /** Bytes of optimizer state currently held. */
  stateBytes(): number {
    return stateBytes(this.state);
  }

  /** Reads a hyperparameter (e.g. 'lr') from the live state. */
  getHyperparam(key: string): number | undefined {
    return getHyperparam(this.state, key);
  }

  /** Changes a hyperparameter for the coming steps; returns how many transforms took it. */
  setHyperparam(key: string, value: number): number {
    if (this.state === undefined) throw new DescentError('NO_STATE', `setHyperparam("${key}"): the optimizer has not taken a step yet`);
    return setHyperparam(this.state, key, value);
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return [await this.saveIterations(), ...flattenState(this.state ?? {}, 'state')];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const tree = unflattenState(rest, 'state');
    if (this.state !== undefined) for (const t of stateTensors(this.state)) t.dispose();
    this.state = keepAll(tree);
    this.seen = new Set(stateNames(tree));
  }

  override dispose(): void {
    if (this.state !== undefined) for (const t of stateTensors(this.state)) t.dispose();
    this.state = undefined;
    this.seen.clear();
    super.dispose();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { spec: (this.transform.spec ?? null) as unknown as tf.serialization.ConfigDict, nonFinite: this.nonFinite };
  }

  static fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const spec = config.spec as unknown as TransformSpec | null;
    if (!spec) throw new DescentError('NOT_SERIALIZABLE', 'This optimizer was built from a transform without a spec; rebuild it in code.');
    const factory = factories.get(spec.id);
    if (!factory) throw new DescentError('UNKNOWN_TRANSFORM', `fromConfig: no factory registered for "${spec.id}" (register its plugin first)`);
    return new (cls as unknown as typeof TransformOptimizer)(factory(spec.config), { nonFinite: config.nonFinite as NonFinitePolicy }) as unknown as T;
  }
}

/**
 * model.fit calls applyGradients inside a tf.tidy scope, which would dispose the new state on
 * exit; tfjs' own optimizers hold state in variables for this reason. Kept tensors are ours to
 * dispose (disposeReplaced at the next step, or dispose()).
 */
function keepAll<T extends StateTree>(tree: T): T {
  for (const t of stateTensors(tree)) tf.keep(t);
  return tree;
}

/** Parameter names present in a state tree's per-parameter slots. */
function stateNames(tree: StateTree): string[] {
  const out = new Set<string>();
  const walk = (node: StateTree) => {
    if (node == null || typeof node !== 'object' || node instanceof tf.Tensor) return;
    if (Array.isArray(node)) return node.forEach(walk);
    const slots = (node as Record<string, StateTree>).slots;
    if (slots && typeof slots === 'object' && !Array.isArray(slots) && !(slots instanceof tf.Tensor)) for (const k of Object.keys(slots)) out.add(k);
    for (const [k, v] of Object.entries(node)) if (k !== 'slots') walk(v);
  };
  walk(tree);
  return [...out];
}

let registered = false;
/** Registers the optimizer class with tfjs serialization once, however often it is called. */
export function registerTransformOptimizer(): void {
  if (registered) return;
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  if (!(TransformOptimizer.className in map)) tf.serialization.registerClass(TransformOptimizer);
  registered = true;
}

/** Wraps a gradient transform as a native TensorFlow.js optimizer. */
export function toTfOptimizer(transform: GradientTransform<any>, options: TfOptimizerOptions = {}): TransformOptimizer {
  registerTransformOptimizer();
  return new TransformOptimizer(transform, options);
}
