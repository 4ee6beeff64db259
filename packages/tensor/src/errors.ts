/** Base class of every error Descent throws on purpose; `code` is stable for programs. */
export class DescentError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** A parameter (hyperparameter, option, argument) got a value outside what is allowed. */
export class InvalidParameterError extends DescentError {
  readonly parameter: string;
  readonly value: unknown;
  readonly allowed: string;
  constructor(parameter: string, value: unknown, allowed: string) {
    super('INVALID_PARAMETER', `Invalid value for "${parameter}": ${show(value)} (allowed: ${allowed})`);
    this.parameter = parameter;
    this.value = value;
    this.allowed = allowed;
  }
}

/** A gradient contained NaN or ±Inf; the step was not applied. */
export class NonFiniteGradientError extends DescentError {
  readonly parameters: string[];
  constructor(parameters: string[]) {
    super(
      'NON_FINITE_GRADIENT',
      `Non-finite gradient (NaN or Inf) for ${parameters.map((p) => `"${p}"`).join(', ')}; ` +
        `the step was not applied. Lower the learning rate, clip gradients, or pass nonFinite: 'skip' to skip such steps.`,
    );
    this.parameters = parameters;
  }
}

/** Checks a number parameter; returns it so that callers can validate inline. */
export function checkNumber(
  parameter: string,
  value: unknown,
  opts: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean; integer?: boolean } = {},
): number {
  const { min, max, minExclusive = false, maxExclusive = false, integer = false } = opts;
  const lo = min === undefined ? '' : `${minExclusive ? '>' : '≥'} ${min}`;
  const hi = max === undefined ? '' : `${maxExclusive ? '<' : '≤'} ${max}`;
  const allowed = [integer ? 'an integer' : 'a finite number', [lo, hi].filter(Boolean).join(' and ')]
    .filter(Boolean)
    .join(' ');
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidParameterError(parameter, value, allowed);
  if (integer && !Number.isInteger(value)) throw new InvalidParameterError(parameter, value, allowed);
  if (min !== undefined && (minExclusive ? value <= min : value < min)) throw new InvalidParameterError(parameter, value, allowed);
  if (max !== undefined && (maxExclusive ? value >= max : value > max)) throw new InvalidParameterError(parameter, value, allowed);
  return value;
}
