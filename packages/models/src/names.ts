const counters = new Map<string, number>();

/**
 * A readable, process-unique prefix for a model's layer names ("mlp", "mlp_2", ...). Optimizer
 * state and checkpoints key on variable names, so every builder names its layers explicitly.
 */
export function uniquePrefix(base: string, explicit?: string): string {
  if (explicit) return explicit;
  const n = (counters.get(base) ?? 0) + 1;
  counters.set(base, n);
  return n === 1 ? base : `${base}_${n}`;
}
