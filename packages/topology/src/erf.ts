/**
 * The error function (to 2e-15 relative) and its complement (to 5e-15), for the pixel integrals of persistence
 * images. Math has no erf; these use series that need no tabulated coefficients:
 * - |x| <= 1.5: erf(x) = 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)), all terms positive;
 * - x > 1.5: erfc(x) by its continued fraction (Lentz), accurate relative to the small tail.
 */
const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;
const TAIL = 1.5;

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return -erf(-x);
  if (x > TAIL) return 1 - erfcTail(x);
  let term = x;
  let sum = x;
  const x2 = x * x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > TAIL) return erfcTail(x);
  return 1 - erf(x); // >= 0.034 here, so about 3e-15 relative at worst
}

/** erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) (converges for x > 0). */
function erfcTail(x: number): number {
  if (x === Infinity) return 0;
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (ONE_OVER_SQRT_PI * Math.exp(-x * x)) / f;
}

/** Mass of the standard normal between lo and hi, without cancellation in the tails. */
export function normalMass(lo: number, hi: number): number {
  const s = Math.SQRT1_2;
  if (lo >= 0) return 0.5 * (erfc(lo * s) - erfc(hi * s));
  if (hi <= 0) return 0.5 * (erfc(-hi * s) - erfc(-lo * s));
  return 0.5 * (erf(hi * s) - erf(lo * s));
}
