import { describeSchema } from '@descent/registry';
import { parse, helpText, kebab, type OptionSpec } from '../args';
import { loadRegistry } from '../builtins';
import { EXIT, UsageError } from '../errors';

const OPTIONS: Record<string, OptionSpec> = {
  kind: { type: 'string', description: 'only optimizer, initializer or analysis plugins', value: '<kind>' },
  json: { type: 'boolean', description: 'machine-readable output (ids, versions, defaults, JSON Schemas)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/** `descent plugins`: what the registry holds, where each plugin came from, and its options. */
export async function pluginsCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, OPTIONS, false);
  if (values.help) {
    process.stdout.write(helpText('descent plugins [--kind optimizer|initializer|analysis] [--json]', 'List the plugins Descent found: its built-in ones and those your package.json declares.', OPTIONS));
    return EXIT.ok;
  }
  const kind = values.kind as 'optimizer' | 'initializer' | 'analysis' | undefined;
  if (kind && !['optimizer', 'initializer', 'analysis'].includes(kind)) throw new UsageError(`--kind must be optimizer, initializer or analysis, got "${kind}"`);
  const { registry, builtin, discovered } = await loadRegistry();
  const origin = new Map([...builtin, ...discovered].map((p) => [p.id, p.package]));
  const plugins = registry.list(kind);
  if (values.json) {
    const rows = plugins.map((p) => ({ id: p.id, kind: p.kind, version: p.version, package: origin.get(p.id), description: p.description ?? '', defaults: p.defaults, schema: p.schema }));
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return EXIT.ok;
  }
  for (const k of ['optimizer', 'initializer', 'analysis'] as const) {
    const group = plugins.filter((p) => p.kind === k);
    if (group.length === 0) continue;
    process.stdout.write(`${k}s:\n`);
    for (const p of group) {
      process.stdout.write(`  ${p.id.padEnd(20)} ${origin.get(p.id) ?? ''}@${p.version}  ${p.description ?? ''}\n`);
      const props = ((p.schema as any).properties ?? {}) as Record<string, any>;
      for (const [key, s] of Object.entries(props)) {
        const def = (p.defaults as Record<string, unknown>)[key];
        process.stdout.write(`      --${kebab(key).padEnd(24)} ${describeSchema(s)}${def !== undefined ? `; default ${JSON.stringify(def)}` : ''}${s.description ? ` — ${s.description}` : ''}\n`);
      }
    }
  }
  if (discovered.length === 0) process.stdout.write('\n(no plugin packages among this project\'s dependencies; install one, e.g. npm install @descent/optim-lion)\n');
  return EXIT.ok;
}
