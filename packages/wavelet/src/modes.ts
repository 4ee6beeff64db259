import { InvalidParameterError } from '@descent/tensor/errors';

/**
 * PyWavelets' signal extension modes (pywt.Modes.modes). With the signal x0 … x(n−1):
 *
 * | mode          | extension to the left of x0 (the right side mirrors it)       |
 * |---------------|---------------------------------------------------------------|
 * | zero          | … 0 0 │ x0 x1 …                                               |
 * | constant      | … x0 x0 │ x0 x1 …                                             |
 * | symmetric     | … x1 x0 │ x0 x1 …   (half-sample mirror, period 2n)           |
 * | reflect       | … x2 x1 │ x0 x1 …   (whole-sample mirror, period 2n − 2)      |
 * | periodic      | … x(n−2) x(n−1) │ x0 x1 …                                     |
 * | smooth        | x0 + k·(x0 − x1) at distance k (linear continuation)          |
 * | antisymmetric | … −x1 −x0 │ x0 x1 …  (half-sample, sign flipped)              |
 * | antireflect   | … 2x0 − x2, 2x0 − x1 │ x0 x1 …  (point reflection)            |
 * | periodization | periodic, odd n padded with x(n−1); ⌈n/2⌉ coefficients      |
 *
 * Filters longer than the signal repeat the rule (the mirrors reflect again), as pywt does.
 */
export type Mode =
  | 'zero'
  | 'constant'
  | 'symmetric'
  | 'periodic'
  | 'smooth'
  | 'periodization'
  | 'reflect'
  | 'antisymmetric'
  | 'antireflect';

/** All modes, in pywt.Modes.modes order. */
export const MODES: readonly Mode[] = Object.freeze([
  'zero',
  'constant',
  'symmetric',
  'periodic',
  'smooth',
  'periodization',
  'reflect',
  'antisymmetric',
  'antireflect',
]);

/** Validates a mode name (pywt's deprecated aliases zpd, sym, per, … are not accepted). */
export function checkMode(mode: unknown, parameter = 'mode'): Mode {
  if (typeof mode !== 'string' || !(MODES as readonly string[]).includes(mode)) {
    throw new InvalidParameterError(parameter, mode, MODES.join(', '));
  }
  return mode as Mode;
}

const mod = (i: number, p: number): number => ((i % p) + p) % p;

/**
 * Writes the extended signal into `dst`: `n` elements of `width` contiguous floats each
 * (width 1 for a signal; width = cols to extend a matrix along its rows), from logical index
 * −left to n + right − 1. `periodization` here is the DWT's padded-periodic rule; the inverse
 * uses `periodic`.
 */
export function extendInto(
  src: Float64Array,
  srcOff: number,
  n: number,
  width: number,
  mode: Mode,
  left: number,
  right: number,
  dst: Float64Array,
): void {
  dst.set(src.subarray(srcOff, srcOff + n * width), left * width);
  for (let s = 0; s < left + right; s++) {
    const i = s < left ? s - left : n + (s - left); // logical index outside [0, n)
    const d = (i + left) * width;
    switch (mode) {
      case 'zero':
        dst.fill(0, d, d + width);
        break;
      case 'constant':
        copy(dst, d, src, srcOff + (i < 0 ? 0 : n - 1) * width, width, 1);
        break;
      case 'symmetric': {
        const p = mod(i, 2 * n);
        copy(dst, d, src, srcOff + (p < n ? p : 2 * n - 1 - p) * width, width, 1);
        break;
      }
      case 'antisymmetric': {
        const p = mod(i, 2 * n);
        copy(dst, d, src, srcOff + (p < n ? p : 2 * n - 1 - p) * width, width, p < n ? 1 : -1);
        break;
      }
      case 'reflect': {
        // A single sample has no mirror partner; pywt 1.1.1 loops forever there, we extend it as constant.
        if (n === 1) {
          copy(dst, d, src, srcOff, width, 1);
          break;
        }
        const P = 2 * n - 2;
        const p = mod(i, P);
        copy(dst, d, src, srcOff + (p < n ? p : P - p) * width, width, 1);
        break;
      }
      case 'periodic':
        copy(dst, d, src, srcOff + mod(i, n) * width, width, 1);
        break;
      case 'periodization': {
        const np = n + (n & 1);
        copy(dst, d, src, srcOff + Math.min(mod(i, np), n - 1) * width, width, 1);
        break;
      }
      case 'smooth': {
        if (n === 1) {
          copy(dst, d, src, srcOff, width, 1);
          break;
        }
        // x_edge + k·(x_edge − x_inner), k the distance from the edge.
        const e = srcOff + (i < 0 ? 0 : n - 1) * width;
        const q = srcOff + (i < 0 ? 1 : n - 2) * width;
        const k = i < 0 ? -i : i - (n - 1);
        for (let c = 0; c < width; c++) dst[d + c] = src[e + c] + k * (src[e + c] - src[q + c]);
        break;
      }
      case 'antireflect': {
        if (n === 1) {
          copy(dst, d, src, srcOff, width, 1);
          break;
        }
        // Point reflections about x0 and x(n−1) compose to a shift by P = 2(n−1) that adds
        // 2(x(n−1) − x0); within one period the value is x[p] or 2x(n−1) − x[P − p].
        const P = 2 * (n - 1);
        const q = Math.floor(i / P);
        const p = i - q * P;
        const first = srcOff;
        const last = srcOff + (n - 1) * width;
        for (let c = 0; c < width; c++) {
          const base = p <= n - 1 ? src[srcOff + p * width + c] : 2 * src[last + c] - src[srcOff + (P - p) * width + c];
          dst[d + c] = base + 2 * q * (src[last + c] - src[first + c]);
        }
        break;
      }
    }
  }
}

function copy(dst: Float64Array, d: number, src: Float64Array, s: number, width: number, sign: number): void {
  if (sign === 1) {
    if (width === 1) dst[d] = src[s];
    else dst.set(src.subarray(s, s + width), d);
  } else {
    for (let c = 0; c < width; c++) dst[d + c] = -src[s + c];
  }
}

/** Modes whose extension only repeats samples (no sign flip, no arithmetic, no zeros). */
const GATHER_MODES: ReadonlySet<Mode> = new Set<Mode>(['constant', 'symmetric', 'reflect', 'periodic', 'periodization']);

/**
 * For the modes whose extension only repeats samples (constant, symmetric, reflect, periodic,
 * periodization), the source index 0 … n − 1 of every extension slot: first the `left` slots
 * (logical −left … −1), then the `right` ones (n … n + right − 1). Null for the other modes.
 * Computed by extendInto on the indices themselves, so both follow one rule.
 */
export function extensionIndex(n: number, mode: Mode, left: number, right: number): Int32Array | null {
  if (!GATHER_MODES.has(mode)) return null;
  const ext = new Float64Array(n + left + right);
  extendInto(Float64Array.from({ length: n }, (_, i) => i), 0, n, 1, mode, left, right, ext);
  const out = new Int32Array(left + right);
  for (let s = 0; s < left; s++) out[s] = ext[s];
  for (let s = 0; s < right; s++) out[left + s] = ext[left + n + s];
  return out;
}
