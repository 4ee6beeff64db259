import type { Plugin } from '@descent/registry';
import { coerce } from '../plugin-options';
import { kebab } from '../args';
import { UsageError } from '../errors';

/** Mean, sample standard deviation (0 for a single value) and count of finite values. */
export interface Stat {
  mean: number;
  sd: number;
  n: number;
}

/** Mean and sample standard deviation over the finite values; null when there are none. */
export function stat(values: ReadonlyArray<number | null | undefined>): Stat | null {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (v.length === 0) return null;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, sd, n: v.length };
}

/** "0.452" or, over several runs, "0.452 ± 0.004"; "—" for null. Infinity prints as "∞". */
export function showStat(s: Stat | null, digits: number): string {
  if (!s) return '—';
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(digits) : x > 0 ? '∞' : '−∞');
  return s.n > 1 ? `${f(s.mean)} ± ${f(s.sd)}` : f(s.mean);
}

/**
 * Pulls every `--set <target>.<key>=<value>` (also `--set=<target>.<key>=<value>`) out of argv:
 * the option may repeat, which the shared parser does not support. Returns the other arguments
 * and the settings in order.
 */
export function extractSettings(argv: string[]): { rest: string[]; settings: Array<{ target: string; key: string; raw: string }> } {
  const rest: string[] = [];
  const settings: Array<{ target: string; key: string; raw: string }> = [];
  for (let i = 0; i < argv.length; i++) {
    let text: string | undefined;
    if (argv[i] === '--set') {
      text = argv[++i];
      if (text === undefined) throw new UsageError('--set needs a value: --set <name>.<key>=<value>, e.g. --set adam.lr=3e-4');
    } else if (argv[i].startsWith('--set=')) text = argv[i].slice('--set='.length);
    if (text === undefined) {
      rest.push(argv[i]);
      continue;
    }
    const m = /^([^.=\s]+)\.([A-Za-z][\w-]*)=(.*)$/s.exec(text);
    if (!m) throw new UsageError(`--set "${text}": write <name>.<key>=<value>, e.g. --set adam.lr=3e-4`);
    settings.push({ target: m[1], key: m[2].replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()), raw: m[3] });
  }
  return { rest, settings };
}

/**
 * Turns one `--set` value into what the plugin's schema declares: JSON for objects and arrays
 * (`{...}`, `[...]`), otherwise the command line's own coercion (numbers, booleans, comma lists).
 * Unknown keys fail with the keys the plugin has.
 */
export function settingValue(plugin: Plugin, key: string, raw: string, label: string): unknown {
  const props = ((plugin.schema as { properties?: Record<string, unknown> }).properties ?? {}) as Record<string, unknown>;
  if (!(key in props)) {
    const known = Object.keys(props).map((k) => kebab(k)).join(', ') || '(no options)';
    throw new UsageError(`--set ${label}.${kebab(key)}: ${plugin.id} has no option "${key}"; its options: ${known}`);
  }
  const trimmed = raw.trim();
  if (trimmed.startsWith('{') || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
    try {
      return JSON.parse(trimmed);
    } catch {
      throw new UsageError(`--set ${label}.${key}: "${raw}" is not valid JSON`);
    }
  }
  return coerce(props[key], raw, key);
}

/**
 * At most `max` points of a long series: the mean of each of `max` equal windows, at the window's
 * centre step. Non-finite values are dropped from the windows.
 */
export function downsample(values: ReadonlyArray<number>, max: number): Array<{ step: number; value: number }> {
  const out: Array<{ step: number; value: number }> = [];
  if (values.length === 0) return out;
  const window = Math.max(1, Math.ceil(values.length / max));
  for (let start = 0; start < values.length; start += window) {
    const slice = values.slice(start, start + window).filter(Number.isFinite);
    if (slice.length === 0) continue;
    out.push({ step: start + Math.ceil(slice.length / 2), value: slice.reduce((a, b) => a + b, 0) / slice.length });
  }
  return out;
}

/** A folder name for a run: lower-case letters, digits, dashes and underscores. */
export function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
}

/** A positive or non-negative integer option, or a usage error naming it. */
export function intOption(name: string, raw: unknown, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

/** A finite number option, or a usage error naming it. */
export function numberOption(name: string, raw: unknown, min = -Infinity): number {
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number${min > -Infinity ? ` ≥ ${min}` : ''}, got "${raw}"`);
  return n;
}

/** A comma-separated list, trimmed, without empty entries. */
export function list(raw: unknown): string[] {
  return String(raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
