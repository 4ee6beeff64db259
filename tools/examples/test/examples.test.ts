import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../../examples');
const examples = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, 'package.json'))).sort() : [];

interface Manifest {
  name: string;
  private?: boolean;
  type?: string;
  scripts?: Record<string, string>;
  config?: { expect?: string };
  dependencies?: Record<string, string>;
}

/** The packages a module imports: static `from '…'`, side-effect `import '…'` and dynamic `import('…')`. */
function importedPackages(source: string): string[] {
  const specs = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return [...new Set(specs.filter((s) => !s.startsWith('.') && !s.startsWith('node:')).map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0])))].sort();
}

function run(dir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['index.mjs'], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('importedPackages', () => {
  it('finds static, side-effect and dynamic imports, by package', () => {
    const src = "import { a } from '@descent/tensor';\nimport '@descent/tensor/errors';\nconst m = await import(\"@descent/pipeline\");\nimport x from './local.mjs';\nimport { join } from 'node:path';\nimport y from 'yaml/util';";
    expect(importedPackages(src)).toEqual(['@descent/pipeline', '@descent/tensor', 'yaml']);
  });
});

describe('examples/', () => {
  it('has examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  for (const name of examples) {
    describe(name, () => {
      const dir = join(root, name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

      it('is a small private ES-module project with a start script, a README and an expected line', () => {
        expect(manifest.private).toBe(true);
        expect(manifest.type).toBe('module');
        expect(manifest.scripts?.start).toBe('node index.mjs');
        expect(existsSync(join(dir, 'README.md'))).toBe(true);
        expect(manifest.config?.expect, 'package.json config.expect: a line the example prints on success').toBeTruthy();
      });

      it('depends on exactly the Descent packages it imports', () => {
        const files = readdirSync(dir).filter((f) => f.endsWith('.mjs'));
        const imported = [...new Set(files.flatMap((f) => importedPackages(readFileSync(join(dir, f), 'utf8'))))].sort();
        const declared = Object.keys(manifest.dependencies ?? {}).sort();
        for (const p of imported) expect(declared, `${name} imports ${p}`).toContain(p);
        for (const p of declared) expect(imported, `${name} lists ${p} but does not import it`).toContain(p);
      });

      it('runs (npm start) and prints its expected line', async () => {
        const r = await run(dir);
        expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
        expect(r.stdout).toContain(manifest.config!.expect);
      }, 180_000);
    });
  }
});
