import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { DatasetError } from './errors';

const gunzipAsync = promisify(gunzip);

/** Whether `bytes` start with the gzip magic 1f 8b (decided by content, not by file name). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The bytes of `file`, gunzipped when they are gzip; a plain Uint8Array (not a Buffer). */
export async function readMaybeGzip(file: string): Promise<Uint8Array> {
  return gunzipIfNeeded(await readFile(file), file);
}

export async function gunzipIfNeeded(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return asPlainBytes(bytes);
  try {
    return asPlainBytes(await gunzipAsync(bytes));
  } catch (e) {
    throw new DatasetError('BAD_GZIP', `${file}: not a valid gzip stream (${(e as Error).message}); the file is truncated or corrupt.`, { file });
  }
}

// Buffer's slice() shares memory where Uint8Array's copies; hand out plain views so callers
// get the semantics the types promise.
function asPlainBytes(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
