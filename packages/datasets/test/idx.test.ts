import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DatasetError, readIdx } from '@descent/datasets';
import { idxBytes, tempDir, writeFile } from './helpers';

const tmp = tempDir();
afterAll(tmp.cleanup);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return (e as DatasetError).code;
  }
  throw new Error('expected a DatasetError');
}

describe('readIdx', () => {
  const payload = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 37) % 256);
  const raw = idxBytes(0x08, [2, 3, 4], payload);

  it('reads ubyte files raw and gzipped, from paths and from bytes', async () => {
    const rawFile = writeFile(join(tmp.dir, 'a-idx3-ubyte'), raw);
    const gzFile = writeFile(join(tmp.dir, 'b-idx3-ubyte'), raw, true);
    for (const source of [rawFile, gzFile, raw, gzipSync(raw)]) {
      const idx = await readIdx(source);
      expect(idx.dtype).toBe('uint8');
      expect(idx.shape).toEqual([2, 3, 4]);
      expect(idx.data).toBeInstanceOf(Uint8Array);
      expect(Buffer.isBuffer(idx.data)).toBe(false);
      expect([...idx.data]).toEqual([...payload]);
    }
  });

  it('decodes big-endian multi-byte element types', async () => {
    const be = (bytes: number, write: (v: DataView, o: number, x: number) => void, values: number[]) => {
      const b = new Uint8Array(values.length * bytes);
      const v = new DataView(b.buffer);
      values.forEach((x, i) => write(v, i * bytes, x));
      return b;
    };
    const cases = [
      { type: 0x09, dtype: 'int8', values: [-128, -1, 0, 127], payload: Uint8Array.from([0x80, 0xff, 0, 0x7f]) },
      { type: 0x0b, dtype: 'int16', values: [-300, 2, 32767], payload: be(2, (v, o, x) => v.setInt16(o, x, false), [-300, 2, 32767]) },
      { type: 0x0c, dtype: 'int32', values: [-70000, 1, 2 ** 31 - 1], payload: be(4, (v, o, x) => v.setInt32(o, x, false), [-70000, 1, 2 ** 31 - 1]) },
      { type: 0x0d, dtype: 'float32', values: [1.5, -0.25, 3e8], payload: be(4, (v, o, x) => v.setFloat32(o, x, false), [1.5, -0.25, 3e8]) },
      { type: 0x0e, dtype: 'float64', values: [Math.PI, -1e-300], payload: be(8, (v, o, x) => v.setFloat64(o, x, false), [Math.PI, -1e-300]) },
    ];
    for (const c of cases) {
      const idx = await readIdx(idxBytes(c.type, [c.values.length], c.payload));
      expect(idx.dtype).toBe(c.dtype);
      expect([...idx.data]).toEqual(c.values);
    }
  });

  it('rejects every malformed header and size with a typed error naming the file', async () => {
    expect(await codeOf(readIdx(Uint8Array.from([0, 0, 8])))).toBe('TRUNCATED');
    expect(await codeOf(readIdx(Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 0])))).toBe('BAD_MAGIC');
    expect(await codeOf(readIdx(Uint8Array.from([0, 0, 0x0a, 1, 0, 0, 0, 0])))).toBe('BAD_MAGIC'); // unknown type byte
    expect(await codeOf(readIdx(Uint8Array.from([0, 0, 8, 0])))).toBe('BAD_MAGIC'); // rank 0
    expect(await codeOf(readIdx(raw.subarray(0, 10)))).toBe('TRUNCATED'); // header cut
    expect(await codeOf(readIdx(raw.subarray(0, raw.length - 1)))).toBe('TRUNCATED'); // payload cut
    expect(await codeOf(readIdx(Uint8Array.from([...raw, 0])))).toBe('TRAILING_DATA');
    const gz = gzipSync(raw);
    expect(await codeOf(readIdx(gz.subarray(0, gz.length - 12)))).toBe('BAD_GZIP');

    const file = writeFile(join(tmp.dir, 'cut-idx3-ubyte'), raw.subarray(0, raw.length - 5), true);
    const err = await readIdx(file).catch((e: DatasetError) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).code).toBe('TRUNCATED');
    expect((err as DatasetError).file).toBe(file);
    expect((err as DatasetError).message).toContain(file);
    expect((err as DatasetError).message).toMatch(/declares uint8\[2, 3, 4\] = 24 bytes.*19 follow/);
  });
});
