import { resolve } from 'node:path';
import { pipelineJsonSchema } from '@descent/pipeline';
import { writeFileAtomic } from '@descent/train';
import { parse, helpText, type OptionSpec } from '../args';
import { loadRegistry } from '../builtins';
import { EXIT, UsageError } from '../errors';

const OPTIONS: Record<string, OptionSpec> = {
  out: { type: 'string', description: 'write the schema to this file instead of stdout', value: '<file>' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/** `descent schema`: the JSON Schema of `descent run` config files, from the plugins found. */
export async function schemaCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS, false);
  if (values.help) {
    process.stdout.write(
      helpText(
        'descent schema [--out <file>]',
        'Print the JSON Schema (draft-07) of `descent run` config files, assembled from the plugins found (built-in and your package.json), so an editor can complete and check them.',
        OPTIONS,
        'In a YAML file:  # yaml-language-server: $schema=./descent.schema.json\nIn a JSON file:  "$schema": "./descent.schema.json"',
      ),
    );
    return EXIT.ok;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const { registry } = await loadRegistry();
  const text = JSON.stringify(pipelineJsonSchema(registry), null, 2) + '\n';
  if (values.out) {
    const path = resolve(String(values.out));
    writeFileAtomic(path, text);
    process.stderr.write(`schema: ${path}\n`);
  } else process.stdout.write(text);
  return EXIT.ok;
}
