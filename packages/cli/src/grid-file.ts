import { readFileSync, existsSync } from 'node:fs';
import { extname } from 'node:path';
import { loadSurface } from '@descent/landscape';
import { UsageError } from './errors';

export interface GridFile {
  /** Row-major values; rows follow y. */
  rows: number[][];
  x: number[];
  y: number[];
  source: string;
}

const axis = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * Reads a grid of numbers: a surface saved by `descent landscape surface` (its .json), a JSON
 * array of rows (or { "grid": [[...]], "x": [...], "y": [...] }), or a CSV of rows.
 */
export function readGrid(path: string): GridFile {
  if (!existsSync(path)) throw new UsageError(`no such file: ${path}`);
  const text = readFileSync(path, 'utf8');
  let rows: number[][];
  let x: number[] | undefined;
  let y: number[] | undefined;
  if (extname(path).toLowerCase() === '.csv') {
    rows = text
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '' && !l.startsWith('#'))
      .map((l, i) =>
        l.split(/[,;\t]/).map((s, j) => {
          const v = Number(s.trim());
          if (s.trim() === '' || Number.isNaN(v)) throw new UsageError(`${path}: row ${i + 1}, column ${j + 1} is not a number ("${s.trim()}")`);
          return v;
        }),
      );
  } else {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`${path} is neither CSV nor valid JSON: ${(e as Error).message}`);
    }
    const obj = data as Record<string, unknown>;
    if (obj && typeof obj === 'object' && !Array.isArray(obj) && obj.format === 1 && typeof obj.binary === 'string') {
      const s = loadSurface(path);
      rows = s.y.map((_, i) => Array.from(s.loss.subarray(i * s.x.length, (i + 1) * s.x.length)));
      x = s.x;
      y = s.y;
    } else {
      rows = (Array.isArray(data) ? data : obj.grid) as number[][];
      x = Array.isArray(obj?.x) ? (obj.x as number[]) : undefined;
      y = Array.isArray(obj?.y) ? (obj.y as number[]) : undefined;
    }
  }
  if (!Array.isArray(rows) || rows.length < 2 || !rows.every((r) => Array.isArray(r) && r.length === rows[0].length) || rows[0].length < 2) {
    throw new UsageError(`${path}: expected at least 2 × 2 rows of equal length`);
  }
  rows.forEach((r, i) =>
    r.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new UsageError(`${path}: value at row ${i}, column ${j} is ${v}, not a finite number`);
    }),
  );
  return { rows, x: x ?? axis(rows[0].length), y: y ?? axis(rows.length), source: path };
}
