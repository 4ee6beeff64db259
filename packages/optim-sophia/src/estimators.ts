import { tf, checkNumber, InvalidParameterError, type ParamMap, type Rng } from '@descent/tensor';
import { gaussNewtonBartlett, hutchinsonDiagonal, modelProblem, crossEntropy } from '@descent/hessian';
import { sophiaDefaults } from './sophia';

/** The model an estimator differentiates: a tfjs-layers model that outputs logits. */
export type SophiaModel = Parameters<typeof gaussNewtonBartlett>[0];

/**
 * A Hessian-diagonal schedule, structurally @descent/train's `HessianSchedule`: the loop calls
 * `estimate` before every `every`-th step (steps 0, every, 2·every, ...) and passes the result to the
 * optimizer as `extras.hessianDiag`, then disposes it.
 */
export interface SophiaHessianSchedule {
  every: number;
  estimate(args: {
    model: SophiaModel;
    params: ParamMap;
    batch: { x: tf.Tensor; y: tf.Tensor; size: number };
    rng: Rng;
    loss: (logits: tf.Tensor, labels: tf.Tensor) => tf.Scalar;
  }): ParamMap;
}

export interface SophiaEstimatorOptions {
  /** Draws averaged per estimate: sampled label sets (gnb) or Rademacher probes (hutchinson). Default 1, as the paper. */
  samples?: number;
  /** Steps between estimates; use the optimizer's `k` (default 10, `sophia`'s default k). */
  every?: number;
  /**
   * Hutchinson only: the loss to differentiate twice, (logits, labels) → scalar; it must be
   * second-order safe. Default: @descent/hessian's mean softmax cross-entropy, not the training
   * loop's loss (tfjs' own cross-entropy is not differentiable twice).
   */
  loss?: (logits: tf.Tensor, labels: tf.Tensor) => tf.Scalar;
}

/**
 * A Hessian-diagonal estimator for `sophia` in @descent/train's loop:
 * `train({ ..., optimizer: sophia.create({ batchSize: B, k: 10 }), batchSize: B, hessian: sophiaEstimator('gnb', { every: 10 }) })`.
 *
 * Estimates are on the official code's scale — what its `update_hessian()` accumulates — so that
 * `batchSize`·h is the paper's ĥ:
 *
 * - `'gnb'` (Sophia-G, Gauss-Newton-Bartlett): labels ŷ sampled from the model's own softmax,
 *   ĝ = ∇ of the mean cross-entropy against ŷ, estimate ĝ⊙ĝ (the paper's ĥ = B·ĝ⊙ĝ divided by B).
 *   Never negative.
 * - `'hutchinson'` (Sophia-H): z⊙(Hz) with Rademacher z, H the Hessian of the mean loss on the
 *   batch's true labels (the paper's ĥ), divided by B. Entries can be negative; the transform
 *   clamps h at 0 in the denominator, as the official SophiaH does.
 *
 * With `samples` > 1 the draws are averaged. B is the size of the batch the estimate was made on.
 */
export function sophiaEstimator(kind: 'gnb' | 'hutchinson', options: SophiaEstimatorOptions = {}): SophiaHessianSchedule {
  if (kind !== 'gnb' && kind !== 'hutchinson') throw new InvalidParameterError('kind', kind, "'gnb' or 'hutchinson'");
  const samples = checkNumber('samples', options.samples ?? 1, { min: 1, integer: true });
  const every = checkNumber('every', options.every ?? sophiaDefaults.k, { min: 1, integer: true });
  const loss = options.loss ?? crossEntropy;
  return {
    every,
    estimate({ model, batch, rng }) {
      const raw = kind === 'gnb' ? gnbMean(model, batch.x, samples, rng) : hutchinsonDiagonal(modelProblem(model, batch.x, batch.y, loss), { samples, rng });
      const scale = kind === 'gnb' ? 1 / (batch.size * samples) : 1 / batch.size;
      const out: ParamMap = {};
      for (const [name, t] of Object.entries(raw)) {
        out[name] = tf.mul(t, scale);
        t.dispose();
      }
      return out;
    },
  };
}

/** Σ over `samples` draws of B·ĝ⊙ĝ (the caller divides by B·samples). */
function gnbMean(model: SophiaModel, x: tf.Tensor, samples: number, rng: Rng): ParamMap {
  let sum: ParamMap | undefined;
  for (let s = 0; s < samples; s++) {
    const draw = gaussNewtonBartlett(model, x, { rng });
    if (!sum) {
      sum = draw;
      continue;
    }
    for (const name of Object.keys(draw)) {
      const next = tf.add(sum[name], draw[name]);
      sum[name].dispose();
      draw[name].dispose();
      sum[name] = next;
    }
  }
  return sum!;
}
