import { tf, denseChainHvp, denseChainHvpAvailable, type ChainHvpOp, type ParamMap } from '@descent/tensor';

/**
 * The exact fast path for Hessian-vector products: Pearlmutter's R-operator (1994) on a chain of
 * dense layers and elementwise activations under mean softmax cross-entropy. A forward R-pass
 * carries R(a) = ∂a/∂θ · v through the layers, a backward R-pass carries R(δ) back, and
 * H·v = R(∇L) falls out per layer as R(aᵀδ) = R(a)ᵀδ + aᵀR(δ). Everything that does not depend on
 * v (activations, f′ and f″ at the pre-activations, softmax probabilities, the gradient's δ at
 * every layer) is computed once by `prepareDenseChain` and shared by every product. Per dense layer
 * and product that leaves at most six matrix products (two forward, four backward; two for the
 * first layer), against ~40 kernels per layer for tfjs' double backprop.
 */

/** The elementwise activations the fast path knows f′ and f″ of (tfjs-layers' definitions). */
export type ChainActivation = 'relu' | 'leakyRelu' | 'elu' | 'selu' | 'sigmoid' | 'tanh' | 'softplus' | 'gelu' | 'swish' | 'mish';

type Step =
  | { kind: 'flatten' }
  | { kind: 'dense'; kernel: tf.Variable; bias: tf.Variable | null }
  | { kind: 'act'; act: ChainActivation; alpha: number };

/** The few tfjs-layers internals the matcher reads. */
interface SymLike {
  sourceLayer: LayerLike;
  nodeIndex: number;
  tensorIndex: number;
  shape: Array<number | null>;
}
interface LayerLike {
  getClassName(): string;
  inboundNodes: Array<{ inputTensors: SymLike[] }>;
  activation?: { getClassName(): string } | null;
  kernel?: { read(): tf.Tensor } | null;
  bias?: { read(): tf.Tensor } | null;
  alpha?: number;
  maxValue?: number | null;
  dataFormat?: string;
}

const ACTIVATION_NAMES: Record<string, ChainActivation | 'linear'> = {
  linear: 'linear', relu: 'relu', elu: 'elu', selu: 'selu', sigmoid: 'sigmoid', tanh: 'tanh',
  softplus: 'softplus', gelu: 'gelu', swish: 'swish', mish: 'mish',
};

function activationSteps(name: string | undefined): Step[] | null {
  const act = name === undefined ? 'linear' : ACTIVATION_NAMES[name];
  if (!act) return null;
  return act === 'linear' ? [] : [{ kind: 'act', act, alpha: 0 }];
}

function layerSteps(layer: LayerLike, input: SymLike): Step[] | null {
  // The class itself must declare the name: a subclass of Dense with its own call() is not Dense.
  const ctor = (layer as { constructor?: { className?: string } }).constructor;
  if (!ctor || !Object.prototype.hasOwnProperty.call(ctor, 'className') || ctor.className !== layer.getClassName()) return null;
  switch (layer.getClassName()) {
    case 'Flatten':
      return layer.dataFormat === 'channelsFirst' && input.shape.length > 2 ? null : [{ kind: 'flatten' }];
    case 'Dropout':
      return []; // identity with training: false, which modelProblem passes
    case 'Dense': {
      if (input.shape.length !== 2 || !layer.kernel) return null;
      const tail = activationSteps(layer.activation?.getClassName());
      if (!tail) return null;
      const bias = layer.bias ? (layer.bias.read() as tf.Variable) : null;
      return [{ kind: 'dense', kernel: layer.kernel.read() as tf.Variable, bias }, ...tail];
    }
    case 'Activation':
      return activationSteps(layer.activation?.getClassName());
    case 'ReLU':
      return layer.maxValue == null ? [{ kind: 'act', act: 'relu', alpha: 0 }] : null;
    case 'LeakyReLU':
      return typeof layer.alpha === 'number' ? [{ kind: 'act', act: 'leakyRelu', alpha: layer.alpha }] : null;
    case 'ELU':
      return [{ kind: 'act', act: 'elu', alpha: 1 }]; // tfjs' ELU layer computes alpha = 1 whatever it is given
    default:
      return null;
  }
}

/**
 * The model as a chain of steps from its single input to its single output, or null when it is
 * not one: several inputs or outputs, a branch, a layer other than Flatten, Dropout, Dense (on 2-D
 * input) and the elementwise activations above, or a dense layer applied twice.
 */
export function denseChain(model: unknown): Step[] | null {
  // A LayersModel or Sequential as such: a subclass may compute something else in call().
  const proto = Object.getPrototypeOf(model);
  if (proto !== tf.LayersModel.prototype && proto !== tf.Sequential.prototype) return null;
  const { inputs, outputs } = model as unknown as { inputs?: SymLike[]; outputs?: SymLike[] };
  if (!inputs || !outputs || inputs.length !== 1 || outputs.length !== 1) return null;
  const steps: Step[] = [];
  const seen = new Set<tf.Variable>();
  let t = outputs[0];
  for (let guard = 0; t !== inputs[0]; guard++) {
    if (guard > 10_000 || t.tensorIndex !== 0) return null;
    const node = t.sourceLayer.inboundNodes[t.nodeIndex];
    if (!node || node.inputTensors.length !== 1) return null; // an InputLayer other than the model's, a merge
    const s = layerSteps(t.sourceLayer, node.inputTensors[0]);
    if (!s) return null;
    for (const step of s) {
      if (step.kind !== 'dense') continue;
      for (const w of [step.kernel, step.bias]) {
        if (!w) continue;
        if (seen.has(w)) return null;
        seen.add(w);
      }
    }
    steps.unshift(...s);
    t = node.inputTensors[0];
  }
  return steps.some((s) => s.kind === 'dense') ? steps : null;
}

const SELU_SCALE = 1.0507009873554804934193349852946;
const SELU_SCALE_ALPHA = 1.7580993408473768599402175208123;

/** f(z), f′(z) and f″(z) (null: identically zero) of one activation. Inside a tidy. */
function activationParts(act: ChainActivation, alpha: number, z: tf.Tensor): { f: tf.Tensor; d1: tf.Tensor; d2: tf.Tensor | null } {
  switch (act) {
    case 'relu':
      return { f: tf.relu(z), d1: tf.step(z, 0), d2: null };
    case 'leakyRelu':
      return { f: tf.leakyRelu(z, alpha), d1: tf.step(z, alpha), d2: null };
    case 'elu':
    case 'selu': {
      const [scale, scaleAlpha] = act === 'elu' ? [1, 1] : [SELU_SCALE, SELU_SCALE_ALPHA];
      const positive = tf.greater(z, 0);
      const e = tf.mul(tf.exp(tf.minimum(z, 0)), scaleAlpha);
      return { f: act === 'elu' ? tf.elu(z) : tf.selu(z), d1: tf.where(positive, tf.fill(z.shape, scale), e), d2: tf.where(positive, tf.zerosLike(z), e) };
    }
    case 'sigmoid': {
      const s = tf.sigmoid(z);
      const d1 = tf.mul(s, tf.sub(1, s));
      return { f: s, d1, d2: tf.mul(d1, tf.sub(1, tf.mul(s, 2))) };
    }
    case 'tanh': {
      const t = tf.tanh(z);
      const d1 = tf.sub(1, tf.square(t));
      return { f: t, d1, d2: tf.mul(tf.mul(t, d1), -2) };
    }
    case 'softplus': {
      const s = tf.sigmoid(z);
      return { f: tf.softplus(z), d1: s, d2: tf.mul(s, tf.sub(1, s)) };
    }
    case 'gelu': {
      // f = z·Φ(z), f′ = Φ + z·φ, f″ = φ·(2 − z²)
      const cdf = tf.mul(0.5, tf.add(1, tf.erf(tf.div(z, Math.SQRT2))));
      const pdf = tf.mul(tf.exp(tf.mul(tf.square(z), -0.5)), 1 / Math.sqrt(2 * Math.PI));
      return { f: tf.mul(z, cdf), d1: tf.add(cdf, tf.mul(z, pdf)), d2: tf.mul(pdf, tf.sub(2, tf.square(z))) };
    }
    case 'swish': {
      // f = z·σ, f′ = σ + z·σ(1−σ), f″ = σ(1−σ)·(2 + z(1 − 2σ))
      const s = tf.sigmoid(z);
      const ds = tf.mul(s, tf.sub(1, s));
      return { f: tf.mul(s, z), d1: tf.add(s, tf.mul(z, ds)), d2: tf.mul(ds, tf.add(2, tf.mul(z, tf.sub(1, tf.mul(s, 2))))) };
    }
    case 'mish': {
      // f = z·t, t = tanh(softplus z): f′ = t + z(1−t²)σ, f″ = (1−t²)σ·(2 + z((1−σ) − 2tσ))
      const s = tf.sigmoid(z);
      const t = tf.tanh(tf.softplus(z));
      const u = tf.mul(tf.sub(1, tf.square(t)), s);
      const d2 = tf.mul(u, tf.add(2, tf.mul(z, tf.sub(tf.sub(1, s), tf.mul(tf.mul(t, s), 2)))));
      return { f: tf.mul(z, t), d1: tf.add(t, tf.mul(z, u)), d2 };
    }
  }
}

/** What one step keeps from the forward pass and the gradient's backward pass (all independent of v). */
interface Saved {
  step: Step;
  /** dense: its input. */
  a?: tf.Tensor;
  /** flatten: the input shape. */
  inShape?: number[];
  /** act: f′ at the pre-activation; f″ ⊙ δ_out (null when f″ ≡ 0 or not needed). */
  d1?: tf.Tensor;
  d2delta?: tf.Tensor | null;
  /** dense: the gradient at its output (only where the R-pass needs it). */
  delta?: tf.Tensor;
}

export interface ChainOperator {
  apply(v: ParamMap): ParamMap;
  /** vᵀHv from the forward R-pass alone (see quadraticForm in prepareDenseChain). */
  quadraticForm(v: ParamMap): number;
  dispose(): void;
}

/**
 * Computes once everything H·v needs that does not depend on v, and returns the operator
 * v ↦ H·v by the forward and backward R-passes. `params` must all be kernels or biases of the
 * chain (the caller checks with `chainCovers`). The operator owns its tensors until `dispose`.
 */
export function prepareDenseChain(steps: Step[], inputs: tf.Tensor, labels: tf.Tensor, params: tf.Variable[]): ChainOperator {
  const wanted = new Set(params);
  const hasParam = (s: Step) => s.kind === 'dense' && (wanted.has(s.kernel) || (s.bias !== null && wanted.has(s.bias)));
  const first = steps.findIndex(hasParam); // no R(a) before it, no R(δ) needed before it
  const saved: Saved[] = steps.map((step) => ({ step }));
  const { pScaled, probs } = tf.tidy(() => {
    let a: tf.Tensor = inputs.dtype === 'float32' ? inputs : tf.cast(inputs, 'float32');
    steps.forEach((step, i) => {
      const s = saved[i];
      if (step.kind === 'flatten') {
        s.inShape = a.shape;
        a = tf.reshape(a, [a.shape[0], -1]);
      } else if (step.kind === 'dense') {
        if (i >= first) s.a = a === inputs ? a : tf.keep(a);
        a = step.bias ? tf.fused.matMul({ a: a as tf.Tensor2D, b: step.kernel as tf.Tensor as tf.Tensor2D, bias: step.bias }) : tf.matMul(a as tf.Tensor2D, step.kernel as tf.Tensor as tf.Tensor2D);
      } else {
        const parts = activationParts(step.act, step.alpha, a);
        if (i > first) {
          s.d1 = tf.keep(parts.d1);
          s.d2delta = parts.d2; // times δ_out below
        }
        a = parts.f;
      }
    });
    // Mean softmax cross-entropy of logits z [N, C] against rows y (one-hot or soft): with
    // s_n = Σ_c y_nc, ∇_z L = (s·p − y)/N and R(∇_z L) = (s/N)·p ⊙ (Rz − ⟨p, Rz⟩).
    const logits = a as tf.Tensor2D;
    const [n, c] = logits.shape;
    const y = labels.rank === 2 ? tf.cast(labels, 'float32') : tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, c).toFloat();
    const rowSum = tf.sum(y, -1, true);
    const p = tf.softmax(logits, -1);
    const scaled = tf.div(tf.mul(p, rowSum), n);
    let delta: tf.Tensor = tf.sub(scaled, tf.div(y, n));
    for (let i = steps.length - 1; i > first; i--) {
      const step = steps[i];
      const s = saved[i];
      if (step.kind === 'flatten') delta = tf.reshape(delta, s.inShape!);
      else if (step.kind === 'dense') {
        s.delta = tf.keep(delta);
        if (i - 1 === first) break; // nothing between the first parametrised layer and this one needs δ
        delta = tf.matMul(delta, step.kernel, false, true);
      } else {
        s.d2delta = s.d2delta ? tf.keep(tf.mul(s.d2delta, delta)) : null;
        delta = tf.mul(delta, s.d1!);
      }
    }
    return { pScaled: scaled, probs: p };
  });

  /** The chain as the native kernel's ops (with this v's parts), from the first parametrised layer on, and where each op's products go. */
  const nativeOps = (v: ParamMap): { ops: ChainHvpOp[]; names: Array<{ kernel?: string; bias?: string }> } => {
    const ops: ChainHvpOp[] = [];
    const names: Array<{ kernel?: string; bias?: string }> = [];
    for (let i = first; i < steps.length; i++) {
      const step = steps[i];
      const s = saved[i];
      if (step.kind === 'act') {
        ops.push({ kind: 'act', d1: s.d1!, d2delta: s.d2delta });
        names.push({});
      } else if (step.kind === 'dense') {
        const wantKernel = wanted.has(step.kernel), wantBias = step.bias !== null && wanted.has(step.bias);
        ops.push({
          kind: 'dense', input: s.a, kernel: step.kernel, delta: s.delta, wantKernel, wantBias,
          vKernel: wantKernel ? v[step.kernel.name] : undefined, vBias: wantBias ? v[step.bias!.name] : undefined,
        });
        names.push({ kernel: wantKernel ? step.kernel.name : undefined, bias: wantBias ? step.bias!.name : undefined });
      } // flatten: the rows are already flat
    }
    return { ops, names };
  };

  // Everything kept above except the caller's input tensor.
  const owned = (): tf.Tensor[] => [pScaled, probs, ...saved.flatMap((s) => [s.a, s.d1, s.d2delta, s.delta].filter((t): t is tf.Tensor => !!t && t !== inputs))];
  let disposed = false;

  return {
    apply(v: ParamMap): ParamMap {
      if (disposed) throw new Error('this Hessian operator was disposed');
      return tf.tidy(() => {
        const out: ParamMap = {};
        if (first < 0) {
          for (const p of params) out[p.name] = tf.zerosLike(p);
          return out;
        }
        // One native call where @descent/native-blas provides it: the same passes as below.
        if (denseChainHvpAvailable()) {
          const { ops, names } = nativeOps(v);
          denseChainHvp(ops, pScaled, probs)!.forEach((product, k) => {
            if (names[k].kernel) out[names[k].kernel!] = product.kernel!;
            if (names[k].bias) out[names[k].bias!] = product.bias!;
          });
          for (const p of params) if (!out[p.name]) out[p.name] = tf.zerosLike(p);
          return out;
        }
        const rIn: Array<tf.Tensor | null> = new Array(steps.length).fill(null);
        let r: tf.Tensor | null = null;
        for (let i = first; i < steps.length; i++) {
          const step = steps[i];
          rIn[i] = r;
          const s = saved[i];
          if (step.kind === 'flatten') r = r && tf.reshape(r, [r.shape[0], -1]);
          else if (step.kind === 'act') r = r && tf.mul(r, s.d1!);
          else {
            const vw = wanted.has(step.kernel) ? v[step.kernel.name] : undefined;
            const vb = step.bias && wanted.has(step.bias) ? v[step.bias.name] : undefined;
            // R(z) = R(a)·W + a·V_W + V_b
            const own: tf.Tensor | null = vw ? (vb ? tf.fused.matMul({ a: s.a as tf.Tensor2D, b: vw as tf.Tensor2D, bias: vb }) : tf.matMul(s.a as tf.Tensor2D, vw as tf.Tensor2D)) : null;
            const carried: tf.Tensor | null = r ? tf.matMul(r as tf.Tensor2D, step.kernel as tf.Tensor as tf.Tensor2D) : null;
            let next: tf.Tensor | null = carried && own ? tf.add(carried, own) : (carried ?? own);
            if (!vw && vb) next = next ? tf.add(next, vb) : tf.broadcastTo(vb, [s.a!.shape[0], step.kernel.shape[1] as number]);
            r = next;
          }
        }
        // R(∇_z L) = (s/N)·p ⊙ (Rz − ⟨p, Rz⟩)
        const rz = r!;
        let rd: tf.Tensor = tf.mul(pScaled, tf.sub(rz, tf.sum(tf.mul(probs, rz), -1, true)));
        for (let i = steps.length - 1; i >= first; i--) {
          const step = steps[i];
          const s = saved[i];
          if (step.kind === 'flatten') rd = tf.reshape(rd, s.inShape!);
          else if (step.kind === 'act') {
            const carried = tf.mul(rd, s.d1!);
            rd = s.d2delta && rIn[i] ? tf.add(carried, tf.mul(s.d2delta, rIn[i]!)) : carried;
          } else {
            const ra = rIn[i];
            if (wanted.has(step.kernel)) {
              const own = tf.matMul(s.a as tf.Tensor2D, rd as tf.Tensor2D, true, false);
              out[step.kernel.name] = ra ? tf.add(own, tf.matMul(ra as tf.Tensor2D, s.delta as tf.Tensor2D, true, false)) : own;
            }
            if (step.bias && wanted.has(step.bias)) out[step.bias.name] = tf.sum(rd, 0);
            if (i > first) {
              const vw = wanted.has(step.kernel) ? v[step.kernel.name] : undefined;
              const back = tf.matMul(rd as tf.Tensor2D, step.kernel as tf.Tensor as tf.Tensor2D, false, true);
              rd = vw ? tf.add(back, tf.matMul(s.delta as tf.Tensor2D, vw as tf.Tensor2D, false, true)) : back;
            }
          }
        }
        for (const p of params) if (!out[p.name]) out[p.name] = tf.zerosLike(p);
        return out;
      });
    },
    /**
     * vᵀHv = d²/dt² L(θ + tv) without forming H·v: a second-order forward pass, contracted with
     * the gradient's δ by the adjoint identity. With R²z = R²a·W + 2·R(a)·V_W and
     * R²a = f′·R²z + f″·(Rz)², it is Σ_dense 2⟨δ_z, R(a)·V_W⟩ + Σ_act ⟨δ_a ⊙ f″, (Rz)²⟩ +
     * Σ_n (s_n/N)·Σ_c p_c (Rz_c − ⟨p, Rz⟩)² — per dense layer three matrix products (one for
     * the first), where H·v and then ⟨v, H·v⟩ take six and a pass over every parameter.
     */
    quadraticForm(v: ParamMap): number {
      if (disposed) throw new Error('this Hessian operator was disposed');
      if (first < 0) return 0;
      const q = tf.tidy(() => {
        const terms: tf.Tensor[] = [];
        let r: tf.Tensor | null = null;
        for (let i = first; i < steps.length; i++) {
          const step = steps[i];
          const s = saved[i];
          if (step.kind === 'flatten') r = r && tf.reshape(r, [r.shape[0], -1]);
          else if (step.kind === 'act') {
            if (r && s.d2delta) terms.push(tf.sum(tf.mul(s.d2delta, tf.square(r))));
            r = r && tf.mul(r, s.d1!);
          } else {
            const vw = wanted.has(step.kernel) ? v[step.kernel.name] : undefined;
            const vb = step.bias && wanted.has(step.bias) ? v[step.bias.name] : undefined;
            if (r && vw) terms.push(tf.mul(tf.sum(tf.mul(s.delta!, tf.matMul(r as tf.Tensor2D, vw as tf.Tensor2D))), 2));
            const own: tf.Tensor | null = vw ? (vb ? tf.fused.matMul({ a: s.a as tf.Tensor2D, b: vw as tf.Tensor2D, bias: vb }) : tf.matMul(s.a as tf.Tensor2D, vw as tf.Tensor2D)) : null;
            const carried: tf.Tensor | null = r ? tf.matMul(r as tf.Tensor2D, step.kernel as tf.Tensor as tf.Tensor2D) : null;
            let next: tf.Tensor | null = carried && own ? tf.add(carried, own) : (carried ?? own);
            if (!vw && vb) next = next ? tf.add(next, vb) : tf.broadcastTo(vb, [s.a!.shape[0], step.kernel.shape[1] as number]);
            r = next;
          }
        }
        const rz = r!;
        terms.push(tf.sum(tf.mul(pScaled, tf.square(tf.sub(rz, tf.sum(tf.mul(probs, rz), -1, true))))));
        return tf.addN(terms);
      });
      const value = q.dataSync()[0];
      q.dispose();
      return value;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose(owned());
    },
  };
}

/** Whether every parameter is a kernel or bias of the chain (each named once). */
export function chainCovers(steps: Step[], params: tf.Variable[]): boolean {
  const vars = new Set<tf.Variable>();
  for (const s of steps) if (s.kind === 'dense') [s.kernel, s.bias].forEach((w) => w && vars.add(w));
  const names = new Set(params.map((p) => p.name));
  return names.size === params.length && params.every((p) => vars.has(p));
}
