import { checkNumber, InvalidParameterError } from './errors';

/** Learning rate (or any hyperparameter) as a function of the step count (0-based). */
export type Schedule = (step: number) => number;

/** The same value at every step. */
export function constantSchedule(value: number): Schedule {
  checkNumber('value', value);
  return () => value;
}

/** value · gamma^⌊step / stepSize⌋ (torch StepLR). */
export function stepSchedule(value: number, stepSize: number, gamma = 0.1): Schedule {
  checkNumber('stepSize', stepSize, { min: 1, integer: true });
  checkNumber('gamma', gamma, { min: 0 });
  return (step) => value * Math.pow(gamma, Math.floor(step / stepSize));
}

/** value · gamma^step (torch ExponentialLR). */
export function exponentialSchedule(value: number, gamma: number): Schedule {
  checkNumber('gamma', gamma, { min: 0 });
  return (step) => value * Math.pow(gamma, step);
}

/** Cosine decay from `value` to `minValue` over `decaySteps`, then constant (torch CosineAnnealingLR without restarts, optax cosine_decay_schedule). */
export function cosineSchedule(value: number, decaySteps: number, minValue = 0): Schedule {
  checkNumber('decaySteps', decaySteps, { min: 1, integer: true });
  return (step) => {
    const t = Math.min(step, decaySteps) / decaySteps;
    return minValue + 0.5 * (value - minValue) * (1 + Math.cos(Math.PI * t));
  };
}

/** Linear warm-up from `initValue` to `peakValue` over `warmupSteps`, then cosine decay to `endValue` at `totalSteps` (optax warmup_cosine_decay_schedule). */
export function warmupCosineSchedule(opts: { initValue?: number; peakValue: number; warmupSteps: number; totalSteps: number; endValue?: number }): Schedule {
  const { initValue = 0, peakValue, warmupSteps, totalSteps, endValue = 0 } = opts;
  checkNumber('warmupSteps', warmupSteps, { min: 0, integer: true });
  checkNumber('totalSteps', totalSteps, { min: 1, integer: true });
  if (warmupSteps >= totalSteps) throw new InvalidParameterError('warmupSteps', warmupSteps, `< totalSteps (${totalSteps})`);
  const cosine = cosineSchedule(peakValue, totalSteps - warmupSteps, endValue);
  return (step) => (step < warmupSteps ? initValue + ((peakValue - initValue) * step) / warmupSteps : cosine(step - warmupSteps));
}

/**
 * One-cycle policy (Smith & Topin 2019; torch OneCycleLR with cosine annealing, three_phase false):
 * from maxValue/divFactor up to maxValue over pctStart of the steps, then down to
 * maxValue/(divFactor·finalDivFactor).
 */
export function oneCycleSchedule(opts: { maxValue: number; totalSteps: number; pctStart?: number; divFactor?: number; finalDivFactor?: number }): Schedule {
  const { maxValue, totalSteps, pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4 } = opts;
  checkNumber('totalSteps', totalSteps, { min: 2, integer: true });
  checkNumber('pctStart', pctStart, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const initial = maxValue / divFactor;
  const final = initial / finalDivFactor;
  // torch: phase ends at pctStart·total − 1 and total − 1 (steps are 0-based).
  const upEnd = pctStart * totalSteps - 1;
  const downEnd = totalSteps - 1;
  const anneal = (from: number, to: number, pct: number) => to + ((from - to) / 2) * (1 + Math.cos(Math.PI * pct));
  return (step) => {
    if (step <= upEnd) return anneal(initial, maxValue, step / upEnd);
    return anneal(maxValue, final, Math.min(1, (step - upEnd) / (downEnd - upEnd)));
  };
}
