import { Type, type TSchema, type TProperties, type Static } from '@sinclair/typebox';

/**
 * Config schemas are JSON Schema (built with TypeBox), so the CLI can list options, editors can
 * complete config files, and validation names the offending key. These helpers keep plugin
 * definitions short; any TypeBox schema works too.
 */
export interface NumberOptions {
  min?: number;
  max?: number;
  /** When true, `min` itself is not allowed. */
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  integer?: boolean;
  description?: string;
}

function number(opts: NumberOptions = {}) {
  const o: Record<string, unknown> = {};
  if (opts.min !== undefined) o[opts.exclusiveMin ? 'exclusiveMinimum' : 'minimum'] = opts.min;
  if (opts.max !== undefined) o[opts.exclusiveMax ? 'exclusiveMaximum' : 'maximum'] = opts.max;
  if (opts.description) o.description = opts.description;
  return opts.integer ? Type.Integer(o) : Type.Number(o);
}

export const schema = {
  /** A config object: every key optional (defaults fill the rest), unknown keys rejected. */
  object<P extends TProperties>(properties: P, opts: { description?: string } = {}) {
    return Type.Partial(Type.Object(properties, { additionalProperties: false, ...opts }), { additionalProperties: false });
  },
  number,
  integer: (opts: Omit<NumberOptions, 'integer'> = {}) => number({ ...opts, integer: true }),
  boolean: (opts: { description?: string } = {}) => Type.Boolean(opts),
  string: (opts: { description?: string; pattern?: string } = {}) => Type.String(opts),
  /** One of the given literal values. */
  enum<const V extends readonly (string | number | boolean)[]>(values: V, opts: { description?: string } = {}) {
    return Type.Union(values.map((v) => Type.Literal(v)), opts) as unknown as TSchema & { static: V[number] };
  },
  /** A fixed-length array, e.g. betas `[number, number]`. */
  tuple: <T extends TSchema[]>(items: [...T], opts: { description?: string } = {}) => Type.Tuple(items, opts),
  array: <T extends TSchema>(item: T, opts: { description?: string; minItems?: number } = {}) => Type.Array(item, opts),
  nullable: <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]),
  /** Either of several schemas. */
  union: <T extends TSchema[]>(options: [...T], opts: { description?: string } = {}) => Type.Union(options, opts),
  any: (opts: { description?: string } = {}) => Type.Any(opts),
};

export type { TSchema, Static };
