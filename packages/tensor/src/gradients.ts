import * as tf from './tf';
import type { ParamMap } from './params';
import { NonFiniteGradientError } from './errors';

/** What to do when a gradient holds NaN or Inf: throw (default), skip the step, or not check at all. */
export type NonFinitePolicy = 'error' | 'skip' | 'ignore';

export interface GradientCheck {
  /** √Σ‖g‖² over all gradients. */
  norm: number;
  /** Names whose gradient holds NaN or ±Inf. */
  nonFinite: string[];
}

/**
 * Global norm and finiteness of a gradient map with one device read. Finiteness is tested
 * with Σ(g·0), which is NaN exactly when some entry is NaN or Inf (a sum of squares would also
 * flag huge but finite gradients through overflow).
 */
export function checkGradients(grads: ParamMap, alsoRead: tf.Tensor[] = []): GradientCheck & { also: number[] } {
  const names = Object.keys(grads).filter((n) => grads[n] != null);
  // Scalars the caller needs this step (loss, accuracy) ride along in the same read.
  const values = tf.tidy(() => {
    const rows = names.map((n) => {
      const g = grads[n];
      return tf.stack([tf.sum(tf.square(g)), tf.sum(tf.mul(g, 0))]);
    });
    const parts = rows.length ? [tf.stack(rows).reshape([-1])] : [];
    for (const t of alsoRead) parts.push(t.reshape([-1]).cast('float32'));
    return parts.length ? tf.concat(parts) : tf.zeros([0]);
  });
  const data = values.dataSync();
  values.dispose();
  const also = Array.from(data.subarray(2 * names.length));
  let sq = 0;
  const nonFinite: string[] = [];
  names.forEach((n, i) => {
    sq += data[2 * i];
    if (Number.isNaN(data[2 * i + 1])) nonFinite.push(n);
  });
  return { norm: Math.sqrt(sq), nonFinite, also };
}

/**
 * Applies the policy: returns false when the step must be skipped, throws `NonFiniteGradientError`
 * under 'error', and returns the check so callers can report the gradient norm without a second read.
 */
export function guardGradients(grads: ParamMap, policy: NonFinitePolicy): { apply: boolean; check?: GradientCheck } {
  if (policy === 'ignore') return { apply: true };
  const check = checkGradients(grads);
  if (check.nonFinite.length === 0) return { apply: true, check };
  if (policy === 'skip') return { apply: false, check };
  throw new NonFiniteGradientError(check.nonFinite);
}
