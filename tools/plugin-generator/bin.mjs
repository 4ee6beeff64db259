#!/usr/bin/env node
// Scaffolds packages/<kind-prefix><name>: package.json (with the "descent" plugin field), tsup and
// TypeScript configs, src/index.ts, a test that runs the shared conformance suite, a README and a
// changeset. Usage: npm run new-plugin -- <optimizer|initializer|library> <name> [--id <registry id>] [--force]
import { scaffold } from './scaffold.mjs';

const args = process.argv.slice(2);
const flags = {};
const positional = [];
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith('--')) {
    const key = args[i].slice(2);
    const value = args[i + 1] && !args[i + 1].startsWith('--') ? args[++i] : true;
    flags[key] = value;
  } else positional.push(args[i]);
}
const [kind, name] = positional;
if (!kind || !name || flags.help) {
  console.error('usage: npm run new-plugin -- <optimizer|initializer|library> <name> [--id <registry id>] [--description "..."] [--force]');
  process.exit(kind && name ? 0 : 2);
}
try {
  const { dir, files } = scaffold({ kind, name, id: flags.id, description: flags.description, force: Boolean(flags.force) });
  console.log(`created ${dir}:`);
  for (const f of files) console.log(`  ${f}`);
  console.log(`\nnext: npm install (links the new workspace), then npx vitest run --project @descent/${dir.split('/').pop()}`);
} catch (e) {
  console.error(`error: ${e.message}`);
  process.exit(1);
}
