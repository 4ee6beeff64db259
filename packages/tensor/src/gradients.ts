import * as tf from './tf';
import type { ParamMap } from './params';
import { NonFiniteGradientError } from './errors';
import { dotProducts, dotProductsNative } from './dots';

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
 * with Σ(g·0), which is NaN exactly when some entry is NaN or Inf (a float32 sum of squares would
 * also flag huge but finite gradients through overflow). With @descent/native-blas, one native
 * pass of double sums of squares does both.
 */
export function checkGradients(grads: ParamMap, alsoRead: tf.Tensor[] = []): GradientCheck & { also: number[] } {
  const names = Object.keys(grads).filter((n) => grads[n] != null);
  if (dotProductsNative() && names.every((n) => grads[n].dtype === 'float32')) {
    // One native pass, Σg² in double: the squares of float32 values cannot overflow a double, so
    // a sum is finite exactly when every entry is.
    const squares = dotProducts(names.map((n) => [[grads[n], grads[n]] as const]));
    const also = alsoRead.length ? readAll(alsoRead) : [];
    return { norm: Math.sqrt(squares.reduce((a, b) => a + b, 0)), nonFinite: names.filter((_, i) => !Number.isFinite(squares[i])), also };
  }
  // Per gradient: m = max|g|, Σ(g/m)² (scaled, so that the sum of huge finite values does not
  // overflow float32; the norm is assembled in double), and Σ(g·0). Scalars the caller needs
  // this step (loss, accuracy) ride along in the same read.
  const values = tf.tidy(() => {
    const rows = names.map((n) => {
      const g = grads[n];
      const m = tf.max(tf.abs(g));
      const safe = tf.where(tf.greater(m, 0), m, tf.onesLike(m));
      return tf.stack([m, tf.sum(tf.square(tf.div(g, safe))), tf.sum(tf.mul(g, 0))]);
    });
    const parts = rows.length ? [tf.stack(rows).reshape([-1])] : [];
    for (const t of alsoRead) parts.push(t.reshape([-1]).cast('float32'));
    return parts.length ? tf.concat(parts) : tf.zeros([0]);
  });
  const data = values.dataSync();
  values.dispose();
  const also = Array.from(data.subarray(3 * names.length));
  let sq = 0;
  const nonFinite: string[] = [];
  names.forEach((n, i) => {
    const m = data[3 * i];
    sq += m * m * data[3 * i + 1];
    if (Number.isNaN(data[3 * i + 2])) nonFinite.push(n);
  });
  return { norm: Math.sqrt(sq), nonFinite, also };
}

function readAll(tensors: tf.Tensor[]): number[] {
  const t = tf.tidy(() => tf.concat(tensors.map((x) => x.reshape([-1]).cast('float32'))));
  const values = Array.from(t.dataSync());
  t.dispose();
  return values;
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
