import { DatasetError } from './errors';
import { gunzipIfNeeded, readMaybeGzip } from './read-bytes';

/** Element types of the IDX format (LeCun's MNIST file format), keyed by their type byte. */
const IDX_TYPES = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
} as const;

export type IdxDtype = (typeof IDX_TYPES)[keyof typeof IDX_TYPES]['dtype'];

/** The content of one IDX file: element type, dimensions, and the elements in row-major order. */
export interface IdxArray {
  dtype: IdxDtype;
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;

/**
 * Reads an IDX file (the format of MNIST and FashionMNIST): from a path, or from bytes already in
 * memory; gzip is detected from the content and decompressed. Checks the magic number, that the
 * payload has exactly the size the header declares, and throws {@link DatasetError} otherwise.
 * Multi-byte elements are big-endian on disk and converted to the platform's typed arrays.
 */
export async function readIdx(source: string | Uint8Array): Promise<IdxArray> {
  const name = typeof source === 'string' ? source : '<bytes>';
  const bytes = typeof source === 'string' ? await readMaybeGzip(source) : await gunzipIfNeeded(source, name);
  return parseIdx(bytes, name);
}

/** Parses uncompressed IDX bytes; see {@link readIdx}. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) {
    throw new DatasetError('TRUNCATED', `${file}: ${bytes.length} bytes, shorter than the 4-byte IDX magic number.`, { file });
  }
  const type = IDX_TYPES[bytes[2] as keyof typeof IDX_TYPES];
  const rank = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || type === undefined || rank === 0) {
    throw new DatasetError(
      'BAD_MAGIC',
      `${file}: not an IDX file (magic number ${[...bytes.subarray(0, 4)].map(hex).join(' ')}; expected 0x00 0x00, ` +
        `a type byte among ${Object.keys(IDX_TYPES).map((k) => hex(Number(k))).join(', ')}, and a rank ≥ 1).`,
      { file },
    );
  }
  const header = 4 + 4 * rank;
  if (bytes.length < header) {
    throw new DatasetError('TRUNCATED', `${file}: ${bytes.length} bytes, shorter than the ${header}-byte header of a rank-${rank} IDX file.`, { file });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = count * type.bytes;
  const found = bytes.length - header;
  if (found !== expected) {
    throw new DatasetError(
      found < expected ? 'TRUNCATED' : 'TRAILING_DATA',
      `${file}: header declares ${type.dtype}[${shape.join(', ')}] = ${expected} bytes of data, but ${found} follow the header` +
        (found < expected ? ' (the file is truncated).' : ' (extra bytes at the end; the file is not what its header says).'),
      { file },
    );
  }
  return { dtype: type.dtype, shape, data: decode(type.dtype, bytes, header, count, view) };
}

function decode(dtype: IdxDtype, bytes: Uint8Array, offset: number, count: number, view: DataView): IdxArray['data'] {
  switch (dtype) {
    case 'uint8':
      return bytes.subarray(offset, offset + count);
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset + offset, count);
    default: {
      // Big-endian on disk: read element by element rather than assume the platform's order.
      const out = dtype === 'int16' ? new Int16Array(count) : dtype === 'int32' ? new Int32Array(count) : dtype === 'float32' ? new Float32Array(count) : new Float64Array(count);
      const read =
        dtype === 'int16' ? (o: number) => view.getInt16(o, false) : dtype === 'int32' ? (o: number) => view.getInt32(o, false) : dtype === 'float32' ? (o: number) => view.getFloat32(o, false) : (o: number) => view.getFloat64(o, false);
      for (let i = 0; i < count; i++) out[i] = read(offset + i * out.BYTES_PER_ELEMENT);
      return out;
    }
  }
}
