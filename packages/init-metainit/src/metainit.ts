import { tf, checkNumber, InvalidParameterError } from '@descent/tensor';

/** What `metaInit` needs of a model: its trainable weights and a differentiable forward pass (a tf.LayersModel qualifies). */
export interface MetaInitModel {
  readonly trainableWeights: ReadonlyArray<{ readonly name: string; readonly shape: ReadonlyArray<number | null>; read(): tf.Tensor }>;
  apply(inputs: tf.Tensor | tf.Tensor[], kwargs?: Record<string, unknown>): unknown;
}

/** A loss in TensorFlow.js' argument order, e.g. `(y, logits) => tf.losses.softmaxCrossEntropy(y, logits)`. */
export type MetaInitLoss = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar | tf.Tensor;

export interface MetaInitBatch {
  x: tf.Tensor | tf.Tensor[];
  y: tf.Tensor;
}

export interface MetaInitOptions {
  /** Number of signSGD steps on the norms (default 100; the paper runs 200–1000). */
  steps: number;
  /** Step size on each weight norm (default 0.1, the paper's). */
  lr: number;
  /** Momentum of the norm updates (default 0.9, the paper's). */
  momentum: number;
  /** Stabiliser of the quotient's denominator, g + eps·sign(g) (default 1e-5, the paper's). */
  eps: number;
  /** Finite-difference step for the Hessian-vector product, relative to ‖θ‖ (default 1e-3). */
  hvpStep: number;
  /**
   * Relative change of a weight norm for the central difference of GQ (default 0.1). Only the
   * difference's sign is used; GQ of a small network is jagged on the 1 % scale (entries with
   * g ≈ 0 change sign, ReLU kinks), so the sign is taken over ±10 %.
   */
  scaleStep: number;
  /**
   * 'hvp' (default): the paper code's first-order quotient (g − Hg)/g − 1 with a finite-difference
   * H·g; 'step': the unlinearised g(θ − g)/g − 1 (one full gradient step, no finite difference).
   */
  quotient: 'hvp' | 'step';
}

export const metaInitDefaults: MetaInitOptions = Object.freeze({ steps: 100, lr: 0.1, momentum: 0.9, eps: 1e-5, hvpStep: 1e-3, scaleStep: 0.1, quotient: 'hvp' });

export interface MetaInitRunOptions extends Partial<MetaInitOptions> {
  /** Which weights get a tuned norm (default: trainable weights with ≥ 2 dimensions, the paper's choice). */
  filter?: (name: string, shape: number[]) => boolean;
  /** Called after every GQ evaluation of the main loop (step, GQ). */
  onStep?: (step: number, gq: number) => void;
}

export interface MetaInitResult {
  /** GQ before each step, then the final value: `steps + 1` entries. */
  history: number[];
  /** Final norm / initial norm of each tuned weight, by weight name. */
  scales: Record<string, number>;
  /** Final Frobenius norm of each tuned weight, by weight name. */
  norms: Record<string, number>;
}

/** The tf.Variable behind a trainable weight (a LayerVariable's read() returns it). */
function variableOf(w: { name: string; read(): tf.Tensor }): tf.Variable {
  const v = w.read();
  if (!(v instanceof tf.Variable)) throw new InvalidParameterError('model', `weight "${w.name}" whose read() is not a tf.Variable`, 'trainable weights backed by tf.Variable (as tf.LayersModel has)');
  return v;
}

function validate(o: MetaInitOptions): MetaInitOptions {
  checkNumber('steps', o.steps, { min: 0, integer: true });
  checkNumber('lr', o.lr, { min: 0, minExclusive: true });
  checkNumber('momentum', o.momentum, { min: 0, max: 1, maxExclusive: true });
  checkNumber('eps', o.eps, { min: 0, minExclusive: true });
  checkNumber('hvpStep', o.hvpStep, { min: 0, minExclusive: true, max: 1 });
  checkNumber('scaleStep', o.scaleStep, { min: 0, minExclusive: true, max: 0.5 });
  if (o.quotient !== 'hvp' && o.quotient !== 'step') throw new InvalidParameterError('quotient', o.quotient, "'hvp' or 'step'");
  return o;
}

/**
 * The gradient quotient of Dauphin & Schoenholz (2019) at the model's current weights θ:
 *
 *   GQ = (1/N) Σᵢ | (gᵢ − (Hg)ᵢ) / (gᵢ + eps·sign(gᵢ)) − 1 |,   g = ∇L(θ), N = number of parameters,
 *
 * the first-order form of (1/N)‖g(θ − g)/g − 1‖₁ that the paper's code evaluates (sign(0) = +1).
 * H·g is a central finite difference of gradients, (g(θ + h·g) − g(θ − h·g)) / 2h, with h chosen
 * so that ‖h·g‖ = hvpStep·‖θ‖ — TensorFlow.js 4.22's nested gradients (double backprop) are
 * unreliable through losses such as softmax cross-entropy. Three gradient evaluations; the
 * weights are restored afterwards. All trainable weights (biases too) enter g and N.
 */
export function gradientQuotient(model: MetaInitModel, lossFn: MetaInitLoss, batch: MetaInitBatch, options: Partial<Pick<MetaInitOptions, 'eps' | 'hvpStep' | 'quotient'>> = {}): number {
  const eps = checkNumber('eps', options.eps ?? metaInitDefaults.eps, { min: 0, minExclusive: true });
  const hvpStep = checkNumber('hvpStep', options.hvpStep ?? metaInitDefaults.hvpStep, { min: 0, minExclusive: true, max: 1 });
  const quotient = options.quotient ?? metaInitDefaults.quotient;
  if (quotient !== 'hvp' && quotient !== 'step') throw new InvalidParameterError('quotient', quotient, "'hvp' or 'step'");
  const vars = model.trainableWeights.map(variableOf);
  if (vars.length === 0) throw new InvalidParameterError('model', 'a model without trainable weights', 'a model with trainable weights');
  return tf.tidy(() => {
    const theta = vars.map((v) => v.clone());
    const grads = () => {
      const { value, grads } = tf.variableGrads(() => {
        const pred = model.apply(batch.x, { training: false });
        if (!(pred instanceof tf.Tensor)) throw new InvalidParameterError('model', 'a model with several outputs', 'a model whose apply() returns one tensor');
        return tf.mean(lossFn(batch.y, pred)) as tf.Scalar;
      }, vars);
      value.dispose();
      return vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
    };
    const g = grads();
    const norm = (ts: tf.Tensor[]) => Math.sqrt(ts.reduce((s, t) => s + tf.sum(tf.square(t)).dataSync()[0], 0));
    const gNorm = norm(g);
    const thetaNorm = norm(theta);
    const n = vars.reduce((s, v) => s + v.size, 0);
    // g = 0 exactly: H·g = 0, so every term is |0/eps − 1| = 1 (the formula's value, not a special case).
    if (gNorm === 0) return 1;
    // next[i] estimates g(θ − g)ᵢ: g − Hg (first order, 'hvp') or the gradient after the step ('step').
    let next: tf.Tensor[];
    try {
      if (quotient === 'step') {
        vars.forEach((v, i) => v.assign(tf.sub(theta[i], g[i])));
        next = grads();
      } else {
        const h = (hvpStep * Math.max(thetaNorm, 1)) / gNorm;
        vars.forEach((v, i) => v.assign(tf.add(theta[i], tf.mul(g[i], h))));
        const gPlus = grads();
        vars.forEach((v, i) => v.assign(tf.sub(theta[i], tf.mul(g[i], h))));
        const gMinus = grads();
        next = g.map((gi, i) => tf.sub(gi, tf.div(tf.sub(gPlus[i], gMinus[i]), 2 * h)));
      }
    } finally {
      vars.forEach((v, i) => v.assign(theta[i])); // restore θ exactly, also when the loss throws
    }
    let total = tf.scalar(0);
    g.forEach((gi, i) => {
      const sign = tf.sub(tf.mul(tf.cast(tf.greaterEqual(gi, 0), 'float32'), 2), 1);
      const q = tf.sub(tf.div(next[i], tf.add(gi, tf.mul(sign, eps))), 1);
      total = tf.add(total, tf.sum(tf.abs(q)));
    });
    return total.dataSync()[0] / n;
  });
}

/**
 * MetaInit (Dauphin & Schoenholz, NeurIPS 2019): tunes the norm of every weight matrix (by
 * default every trainable weight with ≥ 2 dimensions) to minimise the gradient quotient GQ on
 * `batch`, in place, before training. Each step: for every tuned weight W_j, the derivative of GQ
 * with respect to its norm is estimated by a central finite difference — GQ with W_j scaled by
 * (1 ± scaleStep) — whose sign drives signSGD with momentum exactly as in the paper's code:
 * m_j ← momentum·m_j − lr·sign(∂GQ/∂‖W_j‖), ‖W_j‖ ← ‖W_j‖ + m_j (W_j rescaled, direction kept).
 * The paper differentiates GQ by double backprop; one scalar per layer makes finite differences
 * cheap (2 GQ evaluations per layer and step) and avoids TF.js's unreliable nested gradients. A
 * safeguard not in the paper keeps a norm from dropping below a tenth of its previous value.
 *
 * `batch` may be a function of the step (the paper draws a fresh random batch each step); then
 * history[k] is measured on batch(k), k = 0…steps, so successive values also differ by sampling.
 */
export function metaInit(model: MetaInitModel, lossFn: MetaInitLoss, batch: MetaInitBatch | ((step: number) => MetaInitBatch), options: MetaInitRunOptions = {}): MetaInitResult {
  const { filter, onStep, ...rest } = options;
  const o = validate({ ...metaInitDefaults, ...rest });
  const select = filter ?? ((_: string, shape: number[]) => shape.length >= 2);
  const tuned = model.trainableWeights.filter((w) => select(w.name, w.shape as number[])).map((w) => ({ name: w.name, v: variableOf(w) }));
  if (tuned.length === 0) throw new InvalidParameterError('model', 'no weights to tune', 'a model with at least one weight selected by the filter (default: ≥ 2 dimensions)');
  const frob = (t: tf.Tensor) => tf.tidy(() => Math.sqrt(tf.sum(tf.square(t)).dataSync()[0]));
  const rescale = (v: tf.Variable, factor: number) => {
    const next = tf.mul(v, factor);
    v.assign(next);
    next.dispose();
  };
  const initial = tuned.map(({ v }) => frob(v));
  const memory = tuned.map(() => 0);
  const history: number[] = [];
  const gqOf = (b: MetaInitBatch) => gradientQuotient(model, lossFn, b, o);
  for (let step = 0; step <= o.steps; step++) {
    const b = typeof batch === 'function' ? batch(step) : batch;
    const gq = gqOf(b);
    history.push(gq);
    onStep?.(step, gq);
    if (step === o.steps) break;
    const signs = tuned.map(({ v }) => {
      const saved = v.clone();
      try {
        rescale(v, 1 + o.scaleStep);
        const up = gqOf(b);
        v.assign(saved);
        rescale(v, 1 - o.scaleStep);
        const down = gqOf(b);
        return Math.sign(up - down);
      } finally {
        v.assign(saved);
        saved.dispose();
      }
    });
    tuned.forEach(({ v }, j) => {
      const norm = frob(v);
      if (norm === 0) return;
      memory[j] = o.momentum * memory[j] - o.lr * signs[j];
      const newNorm = Math.max(norm + memory[j], 0.1 * norm);
      rescale(v, newNorm / norm);
    });
  }
  const norms: Record<string, number> = {};
  const scales: Record<string, number> = {};
  tuned.forEach(({ name, v }, j) => {
    norms[name] = frob(v);
    scales[name] = initial[j] === 0 ? 1 : norms[name] / initial[j];
  });
  return { history, scales, norms };
}
