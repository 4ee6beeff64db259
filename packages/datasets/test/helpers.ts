import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../tools/golden/fixtures/datasets');

/** A JSON fixture written by tools/golden/datasets.py. */
export function loadGolden<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as T;
}

export function goldenExists(name: string): boolean {
  try {
    readFileSync(join(FIXTURES, `${name}.json`));
    return true;
  } catch {
    return false;
  }
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'descent-datasets-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** IDX bytes: 0x00 0x00 type rank, big-endian dims, then the payload as given. */
export function idxBytes(typeByte: number, shape: number[], payload: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(header.buffer);
  header[2] = typeByte;
  header[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(header.length + payload.length);
  out.set(header);
  out.set(payload, header.length);
  return out;
}

/** Deterministic pseudo-random bytes (a tiny LCG, independent of the code under test). */
export function bytesOf(n: number, seed: number, mod = 256): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 24) % mod;
  }
  return out;
}

export interface MnistFiles {
  images: Uint8Array;
  labels: Uint8Array;
}

/** Writes an MNIST-style pair (28×28 images) for `split` into `dir`; gzipped when `gzip`. */
export function writeMnistSplit(dir: string, split: 'train' | 'test', n: number, opts: { gzip?: boolean; seed?: number } = {}): MnistFiles {
  const prefix = split === 'train' ? 'train' : 't10k';
  const images = bytesOf(n * 784, opts.seed ?? 1);
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  writeFile(join(dir, `${prefix}-images-idx3-ubyte`), idxBytes(0x08, [n, 28, 28], images), opts.gzip);
  writeFile(join(dir, `${prefix}-labels-idx1-ubyte`), idxBytes(0x08, [n], labels), opts.gzip);
  return { images, labels };
}

export function writeFile(path: string, bytes: Uint8Array, gzip = false): string {
  mkdirSync(dirname(path), { recursive: true });
  const file = gzip ? `${path}.gz` : path;
  writeFileSync(file, gzip ? gzipSync(bytes) : bytes);
  return file;
}

/** CIFAR binary records: label byte(s), then 3072 pixel bytes in R, G, B planes. */
export function cifarRecords(labels: number[][], seed: number): { bytes: Uint8Array; planes: Uint8Array[] } {
  const head = labels[0].length;
  const bytes = new Uint8Array(labels.length * (head + 3072));
  const planes: Uint8Array[] = [];
  labels.forEach((l, r) => {
    const pixels = bytesOf(3072, seed + r);
    planes.push(pixels);
    bytes.set(l, r * (head + 3072));
    bytes.set(pixels, r * (head + 3072) + head);
  });
  return { bytes, planes };
}
