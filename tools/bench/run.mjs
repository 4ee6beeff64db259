// Runs every benchmark of tools/bench (each one times Descent and its Python reference in the same
// run) and writes docs/benchmarks.md with the machine, the command and each script's report.
// usage: npm run bench [-- name ...]   (needs `npm run build`; the references need Debian's
// python3-torch, python3-pywt, python3-gudhi, python3-scipy: .ci/bench installs them)
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@descent/train';
import { machine } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const only = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && !['run.mjs', 'lib.mjs'].includes(f))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

const sections = [];
for (const script of scripts) {
  const started = Date.now();
  process.stderr.write(`bench: ${script} ...\n`);
  let output;
  try {
    output = execFileSync(process.execPath, [join(here, script)], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (e) {
    output = `FAILED: ${e.message}`;
  }
  sections.push(`## ${script.replace(/\.mjs$/, '')}\n\nCommand: \`node tools/bench/${script}\` (${((Date.now() - started) / 1000).toFixed(0)} s)\n\n\`\`\`\n${output.trim()}\n\`\`\`\n`);
}

const doc = `# Benchmarks

Descent against the tool a user would otherwise pick, on identical inputs, in one run on one
machine. Ratios are reference time / Descent time (above 1: Descent is faster). Every script prints
the median and the spread (min–max) of its repetitions and says which setting the reference used.

Machine: ${machine()}
Date: ${new Date().toISOString().slice(0, 10)}
Command: \`npm run bench\` (all) or \`node tools/bench/<name>.mjs\` (one)

${sections.join('\n')}`;
writeFileAtomic(join(root, 'docs', 'benchmarks.md'), doc);
process.stderr.write(`wrote docs/benchmarks.md (${scripts.length} benchmarks)\n`);
