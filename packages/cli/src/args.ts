import { parseArgs } from 'node:util';
import { UsageError } from './errors';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  description: string;
  default?: string | boolean;
  /** Shown as the value's name in help, e.g. "<n>". */
  value?: string;
}

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** Options the command does not declare (for plugin configs), by their camelCase name. */
  extra: Record<string, string | boolean>;
}

const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
export const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Parses argv against the declared options; undeclared `--key value` pairs are collected in `extra`. */
export function parse(argv: string[], spec: Record<string, OptionSpec>, allowExtra: boolean): Parsed {
  const options = Object.fromEntries(Object.entries(spec).map(([k, s]) => [k, { type: s.type, ...(s.short ? { short: s.short } : {}) }]));
  // "--lr -1": a negative number is a value, not a short option.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--') && !argv[i].includes('=') && /^-(\d|\.\d)/.test(argv[i + 1] ?? '')) args.push(`${argv[i]}=${argv[++i]}`);
    else args.push(argv[i]);
  }
  const { values, positionals, tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const extra: Record<string, string | boolean> = {};
  const declared = new Set(Object.keys(spec));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'option' || declared.has(t.name)) continue;
    if (!allowExtra) throw new UsageError(`unknown option --${t.name} (see --help)`);
    let value: string | boolean | undefined = t.value;
    // parseArgs (strict: false) reads "--lr 1e-3" as a flag followed by a positional.
    if (value === undefined) {
      const next = tokens[i + 1];
      if (next && next.kind === 'positional' && !next.value.startsWith('--')) {
        value = next.value;
        positionals.splice(positionals.indexOf(next.value), 1);
        i++;
      } else value = true;
    }
    extra[camel(t.name)] = value;
  }
  for (const [k, s] of Object.entries(spec)) {
    if (s.type === 'string' && values[k] === true) throw new UsageError(`--${k} needs a value`);
    if (values[k] === undefined && s.default !== undefined) values[k] = s.default;
  }
  return { values: values as Parsed['values'], positionals, extra };
}

export function helpText(usage: string, summary: string, spec: Record<string, OptionSpec>, more = ''): string {
  const rows = Object.entries(spec).map(([k, s]) => {
    const flag = `${s.short ? `-${s.short}, ` : '    '}--${k}${s.type === 'string' ? ` ${s.value ?? '<value>'}` : ''}`;
    const def = s.default !== undefined && s.default !== false ? ` (default: ${s.default})` : '';
    return [flag, s.description + def] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return `Usage: ${usage}\n\n${summary}\n\nOptions:\n${rows.map(([f, d]) => `  ${f.padEnd(width)}${d}`).join('\n')}${more ? `\n\n${more}` : ''}\n`;
}
