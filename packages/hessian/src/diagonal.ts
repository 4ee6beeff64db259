import { tf, Rng, checkNumber, type ParamMap } from '@descent/tensor';
import { hessianOperator, type LossProblem } from './hvp';
import { rademacherLike, dispose } from './vectors';
import { crossEntropy } from './second-order';

/** Hutchinson's diagonal estimate diag(H) ≈ mean over z of z ⊙ Hz, z Rademacher (AdaHessian, Sophia-H). */
export function hutchinsonDiagonal(problem: LossProblem, options: { samples?: number; rng?: Rng } = {}): ParamMap {
  const samples = checkNumber('samples', options.samples ?? 1, { min: 1, integer: true });
  const rng = options.rng ?? new Rng(0);
  const sum: ParamMap = Object.fromEntries(problem.params.map((p) => [p.name, tf.zerosLike(p)]));
  const op = hessianOperator(problem);
  try {
    for (let s = 0; s < samples; s++) {
      const z = rademacherLike(problem.params, rng);
      const hz = op.apply(z);
      for (const p of problem.params) {
        const next = tf.tidy(() => tf.add(sum[p.name], tf.mul(z[p.name], hz[p.name])));
        sum[p.name].dispose();
        sum[p.name] = next;
      }
      dispose(z, hz);
    }
  } catch (e) {
    dispose(sum);
    throw e;
  } finally {
    op.dispose();
  }
  return Object.fromEntries(Object.entries(sum).map(([k, t]) => { const m = tf.div(t, samples); t.dispose(); return [k, m]; }));
}

/**
 * Gauss-Newton-Bartlett estimate (Sophia-G, Liu et al. 2023): labels ŷ sampled from the model's
 * own softmax, ĝ the gradient of the mean loss against ŷ, estimate B · ĝ ⊙ ĝ with B the batch size.
 */
export function gaussNewtonBartlett(
  model: { apply(x: tf.Tensor, kwargs?: Record<string, unknown>): unknown; trainableWeights: Array<{ read(): tf.Tensor }> },
  inputs: tf.Tensor,
  options: { rng?: Rng; params?: tf.Variable[] } = {},
): ParamMap {
  const rng = options.rng ?? new Rng(0);
  const params = options.params ?? model.trainableWeights.map((w) => w.read() as tf.Variable);
  const batch = inputs.shape[0] as number;
  const sampled = tf.tidy(() => {
    const logits = model.apply(inputs, { training: false }) as tf.Tensor2D;
    return tf.multinomial(logits, 1, rng.seed()).reshape([batch]);
  });
  const { value, grads } = tf.variableGrads(() => crossEntropy(model.apply(inputs, { training: false }) as tf.Tensor, sampled), params);
  const out: ParamMap = {};
  for (const p of params) out[p.name] = tf.tidy(() => tf.mul(tf.square(grads[p.name]), batch));
  tf.dispose([value, sampled, ...Object.values(grads)]);
  return out;
}
