import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal values give equal strings; functions become "<function>". */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (typeof v === 'function') return '<function>';
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    return v;
  });
}

/** A short content hash of a value (first 12 hex digits of SHA-256 of its stable JSON). */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 12);
}
