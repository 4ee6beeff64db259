import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { ConfigError } from './errors';

/** Human description of what a schema allows, for error messages and `descent plugins`. */
export function describeSchema(s: TSchema | undefined): string {
  if (!s) return 'anything';
  const x = s as Record<string, any>;
  if (x.anyOf) {
    const lits = (x.anyOf as any[]).filter((o) => 'const' in o);
    if (lits.length === x.anyOf.length) return `one of ${lits.map((o) => JSON.stringify(o.const)).join(', ')}`;
    return (x.anyOf as TSchema[]).map(describeSchema).join(' or ');
  }
  if ('const' in x) return JSON.stringify(x.const);
  switch (x.type) {
    case 'number':
    case 'integer': {
      const parts: string[] = [];
      if (x.exclusiveMinimum !== undefined) parts.push(`> ${x.exclusiveMinimum}`);
      if (x.minimum !== undefined) parts.push(`≥ ${x.minimum}`);
      if (x.exclusiveMaximum !== undefined) parts.push(`< ${x.exclusiveMaximum}`);
      if (x.maximum !== undefined) parts.push(`≤ ${x.maximum}`);
      return `${x.type === 'integer' ? 'an integer' : 'a number'}${parts.length ? ' ' + parts.join(' and ') : ''}`;
    }
    case 'boolean':
      return 'true or false';
    case 'string':
      return x.pattern ? `a string matching ${x.pattern}` : 'a string';
    case 'null':
      return 'null';
    case 'array':
      if (Array.isArray(x.items) || x.prefixItems) {
        const items = (x.prefixItems ?? x.items) as TSchema[];
        return `[${items.map(describeSchema).join(', ')}]`;
      }
      return `an array of ${describeSchema(x.items)}`;
    case 'object':
      return x.properties ? `an object with keys ${Object.keys(x.properties).join(', ')}` : 'an object';
    default:
      return 'anything';
  }
}

/** "/betas/1" → "betas[1]"; "/a/b" → "a.b". */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function getAt(schema: TSchema, pointer: string): TSchema | undefined {
  let node: any = schema;
  for (const seg of pointer.split('/').slice(1)) {
    if (!node) return undefined;
    if (node.properties?.[seg]) node = node.properties[seg];
    else if (Array.isArray(node.items)) node = node.items[Number(seg)];
    else if (node.items) node = node.items;
    else return undefined;
  }
  return node;
}

function toConfigError(schema: TSchema, e: ValueError, pluginId?: string): ConfigError {
  if (e.type === ValueErrorType.ObjectAdditionalProperties) {
    // TypeBox reports the unknown key's own path.
    const parentPointer = e.path.split('/').slice(0, -1).join('/');
    const parent = getAt(schema, parentPointer) as any;
    const known = parent?.properties ? Object.keys(parent.properties).join(', ') : '';
    return new ConfigError(pointerToPath(e.path), e.value, `no such key; known keys: ${known}`, pluginId);
  }
  return new ConfigError(pointerToPath(e.path) || '(config)', e.value, describeSchema(getAt(schema, e.path) ?? e.schema), pluginId);
}

/** Throws a ConfigError for the first problem of `value` against `schema`. */
export function validateAgainst(schema: TSchema, value: unknown, pluginId?: string): void {
  const first = Value.Errors(schema, value).First();
  if (first) throw toConfigError(schema, first, pluginId);
}

/** Every problem, for tools that list them all (config-file linting). */
export function listProblems(schema: TSchema, value: unknown, pluginId?: string): ConfigError[] {
  return [...Value.Errors(schema, value)].map((e) => toConfigError(schema, e, pluginId));
}
