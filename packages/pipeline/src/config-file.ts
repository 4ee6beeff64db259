import { readFileSync, existsSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument, LineCounter, isNode } from 'yaml';
import { ConfigError, type Registry } from '@descent/registry';
import { checkStructure } from './config-schema';
import { resolvePipeline } from './resolve';
import { expandSweep } from './sweep';
import { pipelineRegistry, type PluginSource } from './plugins';
import type { PipelineConfig } from './types';

/** "analyses[1].config.grid" → ["analyses", 1, "config", "grid"]; quoted keys (sweep.grid["a.b"]) stay whole. */
function segments(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  for (const m of path.matchAll(re)) out.push(m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? JSON.parse(`"${m[3]}"`) : m[1]);
  return out;
}

/**
 * Validates a parsed config: structure, every plugin's config, and every run of its sweep.
 * Throws a ConfigError naming the key path of the first problem.
 */
export function validatePipelineConfig(raw: unknown, registry: Registry): PipelineConfig {
  const config = checkStructure(raw);
  const { sweep, ...base } = config;
  resolvePipeline(base, registry);
  if (sweep) expandSweep(config, registry);
  return config;
}

/**
 * Parses and validates config text (JSON or YAML). Errors are ConfigErrors whose message starts
 * with `<source>:<line>:` where the offending key is found in the text.
 */
export function parsePipelineConfig(text: string, registry: Registry, source = '(config)', format: 'json' | 'yaml' = 'yaml'): PipelineConfig {
  const lineCounter = new LineCounter();
  let raw: unknown;
  if (format === 'json') {
    try {
      raw = JSON.parse(text);
    } catch (e) {
      const err = new ConfigError('(file)', source, 'valid JSON');
      err.message = `${source}: not valid JSON: ${(e as Error).message}`;
      throw err;
    }
  }
  // YAML 1.2 is a superset of JSON: the document also maps key paths to lines for JSON files.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (format === 'yaml') {
    if (doc.errors.length) {
      const err = new ConfigError('(file)', source, 'valid YAML');
      err.message = `${source}: not valid YAML: ${doc.errors[0].message}`;
      throw err;
    }
    raw = doc.toJS();
  }
  try {
    return validatePipelineConfig(raw, registry);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    let line: number | undefined;
    const segs = segments(e.path);
    for (let n = segs.length; n > 0 && line === undefined; n--) {
      const node = doc.getIn(segs.slice(0, n), true);
      const at = isNode(node) ? node.range?.[0] : undefined;
      if (at !== undefined) line = lineCounter.linePos(at).line;
    }
    e.message = `${source}${line !== undefined ? `:${line}` : ''}: ${e.message}`;
    throw e;
  }
}

/**
 * Reads a pipeline config file (.json, .yaml or .yml) and validates it against the registry
 * (default: the built-in analyses and the plugins the nearest package.json depends on).
 */
export async function loadPipelineConfig(path: string, options: { plugins?: PluginSource } = {}): Promise<PipelineConfig> {
  const ext = extname(path).toLowerCase();
  if (!['.json', '.yaml', '.yml'].includes(ext)) throw new ConfigError('(file)', path, 'a .json, .yaml or .yml file');
  if (!existsSync(path)) throw new ConfigError('(file)', path, 'an existing file');
  const registry = await pipelineRegistry(options.plugins);
  return parsePipelineConfig(readFileSync(path, 'utf8'), registry, path, ext === '.json' ? 'json' : 'yaml');
}
