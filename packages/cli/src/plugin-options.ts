import type { Plugin } from '@descent/registry';
import { UsageError } from './errors';
import { kebab } from './args';

/** Turns command-line strings into the types a plugin's schema declares (numbers, booleans, tuples). */
export function coerce(schema: any, raw: string | boolean, key: string): unknown {
  if (!schema) return raw;
  if (schema.anyOf) {
    for (const option of schema.anyOf) {
      if ('const' in option && String(option.const) === String(raw)) return option.const;
    }
    for (const option of schema.anyOf) {
      const v = coerce(option, raw, key);
      if (v !== raw || option.type === 'string') return v;
    }
    return raw;
  }
  switch (schema.type) {
    case 'number':
    case 'integer': {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      return Number.isNaN(n) ? raw : n;
    }
    case 'boolean':
      return raw === true || raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'array': {
      if (typeof raw !== 'string') return raw;
      const items = raw.split(',').map((s) => s.trim());
      const itemSchemas = schema.prefixItems ?? schema.items;
      return items.map((s, i) => coerce(Array.isArray(itemSchemas) ? itemSchemas[i] : itemSchemas, s, `${key}[${i}]`));
    }
    case 'null':
      return raw === 'null' ? null : raw;
    default:
      return raw;
  }
}

/**
 * Splits undeclared command-line options among plugins: `--optimizer.lr` and `--init.gain` are
 * explicit; a plain `--lr` goes to the one plugin whose schema has that key. Unknown keys fail
 * with the keys each plugin accepts.
 */
export function distribute(extra: Record<string, string | boolean>, plugins: Record<string, Plugin>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = Object.fromEntries(Object.keys(plugins).map((k) => [k, {}]));
  const props = (p: Plugin) => ((p.schema as any).properties ?? {}) as Record<string, unknown>;
  for (const [rawKey, value] of Object.entries(extra)) {
    const dot = rawKey.indexOf('.');
    let owners: string[];
    let key = rawKey;
    if (dot > 0 && rawKey.slice(0, dot) in plugins) {
      owners = [rawKey.slice(0, dot)];
      key = rawKey.slice(dot + 1).replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    } else {
      owners = Object.keys(plugins).filter((role) => key in props(plugins[role]));
    }
    if (owners.length === 0) {
      const known = Object.entries(plugins)
        .map(([role, p]) => `${role} ${p.id}: ${Object.keys(props(p)).map((k) => `--${kebab(k)}`).join(' ') || '(no options)'}`)
        .join('; ');
      throw new UsageError(`unknown option --${kebab(rawKey)}. Options of the chosen plugins: ${known}`);
    }
    if (owners.length > 1) throw new UsageError(`--${kebab(key)} is an option of several plugins; write ${owners.map((o) => `--${o}.${kebab(key)}`).join(' or ')}`);
    const role = owners[0];
    const schema = props(plugins[role])[key];
    out[role][key] = coerce(schema, value, key);
  }
  return out;
}
