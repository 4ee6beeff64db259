import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const KINDS = { optimizer: 'optim-', initializer: 'init-', library: '' };

const camel = (s) => s.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

/** Writes a new package and returns its folder and files. Throws on a bad name or an existing folder. */
export function scaffold({ kind, name, id, description, force = false, rootDir = root, dependencies = {} }) {
  if (!(kind in KINDS)) throw new Error(`kind must be one of ${Object.keys(KINDS).join(', ')}, got "${kind}"`);
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`name must be lower-case letters, digits and dashes, got "${name}"`);
  const pkgDir = `packages/${KINDS[kind]}${name}`;
  const dir = join(rootDir, pkgDir);
  if (existsSync(dir) && !force) throw new Error(`${pkgDir} exists already (use --force to overwrite)`);
  const pkgName = `@descent/${KINDS[kind]}${name}`;
  const pluginId = id ?? name;
  const exportName = camel(pluginId);
  const isPlugin = kind !== 'library';
  const tensorVersion = readVersion(rootDir, 'packages/tensor');
  const registryVersion = readVersion(rootDir, 'packages/registry');
  const files = {};

  files['package.json'] = JSON.stringify(
    {
      name: pkgName,
      version: '0.1.0',
      description: description ?? (isPlugin ? `The ${pluginId} ${kind} for Descent.` : `${name} for Descent.`),
      license: 'MIT',
      type: 'module',
      sideEffects: false,
      main: './dist/index.cjs',
      module: './dist/index.js',
      types: './dist/index.d.ts',
      exports: {
        '.': {
          import: { types: './dist/index.d.ts', default: './dist/index.js' },
          require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
        },
        './package.json': './package.json',
      },
      files: ['dist', 'README.md'],
      scripts: {
        build: 'tsup',
        typecheck: 'tsc --noEmit -p tsconfig.json',
        test: `cd ../.. && vitest run --project ${pkgName}`,
      },
      ...(isPlugin ? { descent: { plugins: [exportName] } } : {}),
      ...(Object.keys(dependencies).length ? { dependencies } : {}),
      peerDependencies: {
        '@descent/tensor': `^${tensorVersion}`,
        ...(isPlugin ? { '@descent/registry': `^${registryVersion}` } : {}),
      },
      devDependencies: isPlugin ? { '@descent/testkit': `^${readVersion(rootDir, 'packages/testkit')}` } : {},
      engines: { node: '>=20' },
      publishConfig: { access: 'public' },
    },
    null,
    2,
  ) + '\n';
  files['tsconfig.json'] = JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src', 'test'] }, null, 2) + '\n';
  files['tsup.config.ts'] = "import { packageBuild } from '../../tsup.base';\nexport default packageBuild();\n";

  if (kind === 'optimizer') {
    files['src/index.ts'] = `/** ${pkgName}: the ${pluginId} optimizer as a gradient transform and a registry plugin. */
export { ${exportName}, ${exportName}Transform, type ${pascal(exportName)}Config } from './${pluginId}';
`;
    files[`src/${pluginId}.ts`] = `import { tf, perParameter, type GradientTransform, type PerParamState } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

export interface ${pascal(exportName)}Config {
  lr: number;
}

const defaults: ${pascal(exportName)}Config = { lr: 1e-3 };

/**
 * ${pluginId}: TODO describe the update rule and cite the paper.
 * This scaffold is plain gradient descent, p ← p − lr·g; replace the update with the real one.
 */
export function ${exportName}Transform(config: Partial<${pascal(exportName)}Config> = {}): GradientTransform<PerParamState<{}>> {
  const c = { ...defaults, ...config };
  return perParameter<{}>({
    hyper: { lr: c.lr },
    init: () => ({}),
    update: (g, slot, { hyper }) => ({ update: tf.mul(g, -hyper.lr), slot }),
  });
}

export const ${exportName} = definePlugin({
  id: '${pluginId}',
  kind: 'optimizer',
  version: '0.1.0',
  description: 'TODO: one line on what ${pluginId} does.',
  defaults,
  schema: schema.object({
    lr: schema.number({ min: 0, exclusiveMin: true, description: 'learning rate' }),
  }),
  create: (config) => ${exportName}Transform(config),
});
`;
    files[`test/${pluginId}.test.ts`] = `import { describe } from 'vitest';
import { optimizerConformance } from '@descent/testkit';
import { ${exportName} } from '${pkgName}';

describe('${pluginId}', () => {
  // The shared suite: state save/restore, no tensor leaks, model.fit, bad config, NaN gradients.
  // Add \`golden: loadGolden('${pluginId}')\` once tools/golden writes a reference trajectory.
  optimizerConformance({ plugin: ${exportName}, invalid: [{ lr: -1 }] });
});
`;
  } else if (kind === 'initializer') {
    files['src/index.ts'] = `/** ${pkgName}: the ${pluginId} initializer and its registry plugin. */
export { ${exportName}, ${exportName}Initializer, type ${pascal(exportName)}Config } from './${pluginId}';
`;
    files[`src/${pluginId}.ts`] = `import { type Initializer } from '@descent/tensor';
import { definePlugin, schema } from '@descent/registry';

export interface ${pascal(exportName)}Config {
  gain: number;
}

const defaults: ${pascal(exportName)}Config = { gain: 1 };

/** ${pluginId}: TODO describe the distribution and cite the paper. This scaffold draws N(0, gain²/fanIn). */
export function ${exportName}Initializer(config: Partial<${pascal(exportName)}Config> = {}): Initializer {
  const c = { ...defaults, ...config };
  return (shape, ctx) => ctx.rng.randomNormal(shape, 0, c.gain / Math.sqrt(ctx.fanIn));
}

export const ${exportName} = definePlugin({
  id: '${pluginId}',
  kind: 'initializer',
  version: '0.1.0',
  description: 'TODO: one line on what ${pluginId} does.',
  defaults,
  schema: schema.object({ gain: schema.number({ min: 0, exclusiveMin: true, description: 'multiplier of the std' }) }),
  create: (config) => ${exportName}Initializer(config),
});
`;
    files[`test/${pluginId}.test.ts`] = `import { describe } from 'vitest';
import { initializerConformance } from '@descent/testkit';
import { ${exportName} } from '${pkgName}';

describe('${pluginId}', () => {
  initializerConformance({ plugin: ${exportName}, invalid: [{ gain: 0 }] });
});
`;
  } else {
    files['src/index.ts'] = `/** ${pkgName}. */\nexport {};\n`;
  }

  files['README.md'] = `# ${pkgName}

${description ?? `TODO: what this package does, in one paragraph.`}

## Install

\`\`\`sh
npm install ${pkgName} @descent/tensor${isPlugin ? ' @descent/registry' : ''}
\`\`\`

## Example

\`\`\`ts
${
  kind === 'optimizer'
    ? `import { tf, toTfOptimizer } from '@descent/tensor';
import { ${exportName}Transform } from '${pkgName}';

const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [4] })] });
model.compile({ optimizer: toTfOptimizer(${exportName}Transform({ lr: 1e-3 })), loss: 'meanSquaredError' });
await model.fit(tf.randomNormal([64, 4]), tf.randomNormal([64, 1]), { epochs: 2 });`
    : kind === 'initializer'
      ? `import { tf, toLayersInitializer } from '@descent/tensor';
import { ${exportName}Initializer } from '${pkgName}';

const layer = tf.layers.dense({ units: 64, inputShape: [784], kernelInitializer: toLayersInitializer(${exportName}Initializer(), { rng: 7 }) });`
      : `import {} from '${pkgName}';`
}
\`\`\`

## Reference

TODO: what it is checked against (torch 1.13 golden vectors from tools/golden, or a float64 reference written from the paper).
`;
  const changesetName = `.changeset/new-${KINDS[kind]}${name}.md`;
  const rootFiles = {
    [changesetName]: `---\n'${pkgName}': minor\n---\n\nNew package ${pkgName}${isPlugin ? ` (registry id \`${pluginId}\`)` : ''}.\n`,
  };

  const written = [];
  for (const [rel, text] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    written.push(`${pkgDir}/${rel}`);
  }
  for (const [rel, text] of Object.entries(rootFiles)) {
    const p = join(rootDir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    written.push(rel);
  }
  // A plugin is built into the `descent` command by being one of its dependencies.
  const cliManifest = join(rootDir, 'packages', 'cli', 'package.json');
  if (isPlugin && existsSync(cliManifest)) {
    const cli = JSON.parse(readFileSync(cliManifest, 'utf8'));
    cli.dependencies = Object.fromEntries(Object.entries({ ...(cli.dependencies ?? {}), [pkgName]: '^0.1.0' }).sort(([a], [b]) => a.localeCompare(b)));
    writeFileSync(cliManifest, JSON.stringify(cli, null, 2) + '\n');
    written.push('packages/cli/package.json');
  }
  return { dir: pkgDir, files: written, packageName: pkgName, exportName };
}

function pascal(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function readVersion(rootDir, pkgDir) {
  try {
    return JSON.parse(readFileSync(join(rootDir, pkgDir, 'package.json'), 'utf8')).version;
  } catch {
    return '0.1.0';
  }
}
