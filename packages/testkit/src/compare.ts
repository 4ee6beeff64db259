/** Largest violation of |a − b| ≤ atol + rtol·|b| (≤ 0 means all close), with where it happened. */
export function worstClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number) {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ expected ${expected.length}`);
  let worst = -Infinity;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const b = expected[i];
    const excess = Number.isNaN(a) !== Number.isNaN(b) ? Infinity : Number.isNaN(a) ? -1 : Math.abs(a - b) - (atol + rtol * Math.abs(b));
    if (excess > worst) {
      worst = excess;
      at = i;
    }
  }
  return { excess: worst, index: at, actual: actual[at], expected: expected[at] };
}

/** Throws a readable error when the arrays are not close. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, { rtol = 1e-5, atol = 1e-7, label = '' } = {}) {
  const w = worstClose(actual, expected, rtol, atol);
  if (w.excess > 0) {
    throw new Error(`${label}: entry ${w.index} is ${w.actual}, expected ${w.expected} (rtol ${rtol}, atol ${atol})`);
  }
}
