import { defineConfig, type Options } from 'tsup';

/** The one build every package shares: ESM + CJS + declarations, Node 20, deps left external. */
export function packageBuild(entry: Options['entry'] = ['src/index.ts'], extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: false,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    ...extra,
  });
}
