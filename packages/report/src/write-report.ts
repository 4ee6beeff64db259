import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InvalidParameterError } from '@descent/tensor/errors';

/**
 * Writes a report (or any text) so that readers see the old file or the new one, never half of
 * one: the text goes to a temporary file next to the target, is flushed to disk, then renamed
 * over it. Missing directories are created.
 */
export async function writeReport(path: string, html: string): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new InvalidParameterError('path', path, 'a file path');
  if (typeof html !== 'string') throw new InvalidParameterError('html', html, 'a string');
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  try {
    await writeFile(tmp, html, 'utf8');
    const handle = await open(tmp, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
