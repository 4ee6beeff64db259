import { defineConfig } from 'vitest/config';
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// Every workspace package is a vitest project; imports of @descent/* resolve to sources, so the
// tests need no build step and always see the code under test.
const root = import.meta.dirname;
const dirs = ['packages', 'tools']
  .flatMap((group) => (existsSync(resolve(root, group)) ? readdirSync(resolve(root, group)).map((d) => `${group}/${d}`) : []))
  .filter((d) => existsSync(resolve(root, d, 'package.json')));
const pkgs = dirs.map((dir) => ({ dir, name: JSON.parse(readFileSync(resolve(root, dir, 'package.json'), 'utf8')).name as string }));
const alias = [
  { find: /^@descent\/tensor\/errors$/, replacement: resolve(root, 'packages/tensor/src/errors.ts') },
  ...pkgs
  .filter((p) => existsSync(resolve(root, p.dir, 'src/index.ts')))
  .map((p) => ({ find: new RegExp(`^${p.name.replace('/', '\\/')}$`), replacement: resolve(root, p.dir, 'src/index.ts') })),
];

export default defineConfig({
  resolve: { alias },
  test: {
    // Let vite resolve tfjs-core's ESM gradient registrations (see packages/tensor/src/tf.ts).
    server: { deps: { inline: [/@tensorflow\/tfjs-core\/dist\/(?!tf-core)/] } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: pkgs
      .filter((p) => existsSync(resolve(root, p.dir, 'test')))
      .map((p) => ({ extends: true as const, test: { name: p.name, root: resolve(root, p.dir), include: ['test/**/*.test.ts'] } })),
  },
});
