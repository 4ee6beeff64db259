import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, Registry } from '@descent/registry';
import { adam } from '@descent/optim-adam';
import { sgd } from '@descent/optim-sgd';
import { kaimingNormalPlugin } from '@descent/init-kaiming';
import { loadPipelineConfig, parsePipelineConfig, pipelineJsonSchema, pipelineRegistry, type PipelineConfig } from '../src/index';

const plugins = [adam, sgd, kaimingNormalPlugin];
const registry = await pipelineRegistry(plugins);

const base = (): PipelineConfig => ({
  data: { id: 'synthetic', config: { trainSize: 32, testSize: 16 } },
  model: { id: 'simple-mlp', config: { hiddenSizes: [8] } },
  init: { id: 'kaiming-normal' },
  optimizer: { id: 'adam', config: { lr: 0.01 } },
  training: { epochs: 1, batchSize: 16, seed: 0 },
  analyses: [{ id: 'spectrum' }, { id: 'landscape', config: { grid: 5 } }, { id: 'topology' }],
});

function problem(config: unknown): ConfigError {
  try {
    parsePipelineConfig(JSON.stringify(config), registry, 'study.json', 'json');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('the config was accepted');
}

describe('config validation', () => {
  it('accepts a valid config', () => {
    expect(parsePipelineConfig(JSON.stringify(base()), registry, 'study.json', 'json').optimizer.id).toBe('adam');
  });

  it('rejects a typo\'d plugin key with its path and the keys allowed', () => {
    const c = base();
    c.optimizer.config = { lrr: 0.01 };
    const e = problem(c);
    expect(e.path).toBe('optimizer.config.lrr');
    expect(e.message).toMatch(/study\.json:1: .*"optimizer\.config\.lrr".*no such key; known keys: lr, betas/);
  });

  it('rejects a typo\'d key in the structure, at any depth', () => {
    expect(problem({ ...base(), analysis: [] }).path).toBe('analysis');
    const c = base() as any;
    c.training = { epochs: 1, batchSize: 16, sed: 3 };
    const e = problem(c);
    expect(e.path).toBe('training.sed');
    expect(e.allowed).toMatch(/no such key; known keys: epochs, batchSize, seed/);
    const a = base() as any;
    a.analyses[1].config = { grid: 5, rnage: 2 };
    expect(problem(a).path).toBe('analyses[1].config.rnage');
  });

  it('rejects wrong types and out-of-range values with the path', () => {
    const t = base() as any;
    t.training.epochs = 'two';
    expect(problem(t)).toMatchObject({ path: 'training.epochs', allowed: expect.stringMatching(/integer ≥ 1/) });
    const r = base();
    r.optimizer.config = { lr: -1 };
    expect(problem(r)).toMatchObject({ path: 'optimizer.config.lr', value: -1 });
    const g = base() as any;
    g.analyses[1].config.grid = 1;
    expect(problem(g)).toMatchObject({ path: 'analyses[1].config.grid' });
    const m = base() as any;
    m.model.config.hiddenSizes = [8, 0];
    expect(problem(m).path).toBe('model.config.hiddenSizes[1]');
  });

  it('rejects unknown ids, listing those on offer', () => {
    const c = base();
    c.optimizer = { id: 'adamm' };
    expect(problem(c).message).toMatch(/optimizer\.id.*"adamm".*an installed optimizer plugin: adam, sgd/);
    const d = base();
    d.data = { id: 'fashion' };
    expect(problem(d).allowed).toMatch(/fashion-mnist/);
  });

  it('checks every sweep value by the run it makes', () => {
    const c = { ...base(), sweep: { grid: { lr: [0.1, -0.5], seed: [0, 1] } } };
    const e = problem(c);
    expect(e.path).toBe('sweep.grid["lr"][1]');
    expect(e.allowed).toMatch(/optimizer\.config\.lr/);
  });

  it('reads YAML files and names the line of the offending key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-config-'));
    const good = join(dir, 'study.yaml');
    writeFileSync(
      good,
      ['data: { id: synthetic }', 'model:', '  id: simple-mlp', 'optimizer:', '  id: sgd', '  config: { lr: 0.1, momentum: 0.9 }', 'training: { epochs: 1, batchSize: 8 }', 'sweep:', '  grid:', '    seed: [0, 1]'].join('\n'),
    );
    const config = await loadPipelineConfig(good, { plugins });
    expect(config.optimizer.config).toEqual({ lr: 0.1, momentum: 0.9 });
    expect(config.sweep?.grid?.seed).toEqual([0, 1]);
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, ['data: { id: synthetic }', 'model: { id: simple-mlp }', 'optimizer:', '  id: sgd', '  config:', '    lr: 0.1', '    momentun: 0.9', 'training: { epochs: 1, batchSize: 8 }'].join('\n'));
    await expect(loadPipelineConfig(bad, { plugins })).rejects.toThrow(/bad\.yml:7: .*optimizer\.config\.momentun.*known keys: .*momentum/);
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'data: [unclosed\n');
    await expect(loadPipelineConfig(broken, { plugins })).rejects.toThrow(/broken\.yaml: not valid YAML/);
    await expect(loadPipelineConfig(join(dir, 'study.toml'), { plugins })).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('pipelineJsonSchema', () => {
  const schema = pipelineJsonSchema(registry) as any;

  it('is a draft-07 schema that rejects unknown keys and requires the four sections', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['data', 'model', 'optimizer', 'training']);
    expect(schema.properties.training.properties.epochs).toMatchObject({ type: 'integer', minimum: 1 });
  });

  it('takes each optimizer config schema from its plugin, chosen by id', () => {
    const opt = schema.properties.optimizer;
    expect(opt.properties.id.enum).toEqual(['adam', 'sgd']);
    const branch = opt.allOf.find((b: any) => b.if.properties.id.const === 'adam');
    expect(branch.then.properties.config.additionalProperties).toBe(false);
    expect(branch.then.properties.config.properties.lr).toMatchObject({ type: 'number', minimum: 0 });
    expect(JSON.stringify(schema)).not.toContain('undefined');
  });

  it('lists the built-in analyses and any analysis plugin registered', () => {
    expect(schema.properties.analyses.items.properties.id.enum).toEqual(['hessian', 'landscape', 'spectrum', 'topology', 'wavelet']);
    const withOwn = pipelineJsonSchema(new Registry().register(adam)) as any;
    expect(withOwn.properties.init.oneOf[1].properties.id.enum).toEqual([]);
    expect(withOwn.properties.analyses.items.properties.id.enum).toContain('wavelet');
  });
});
