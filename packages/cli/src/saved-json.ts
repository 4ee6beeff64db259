import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from './errors';

/**
 * A JSON file a command saved (config.json, summary.json, diagram.json, ...), or undefined when it
 * is not there. A file that is not valid JSON is a usage error naming it. The caller checks its shape.
 */
export function readSavedJson<T = unknown>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new UsageError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
}
