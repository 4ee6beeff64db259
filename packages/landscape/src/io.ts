import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@descent/train';
import { DescentError } from '@descent/tensor';
import type { Surface } from './surface';

/**
 * Saves a surface as `<name>.json` (axes, metadata, summary) plus `<name>.bin` (loss then
 * accuracy, little-endian float64, row-major), both written atomically, so analyses and plots can
 * be rerun without recomputing.
 */
export function saveSurface(dir: string, name: string, surface: Surface, meta: Record<string, unknown> = {}): { json: string; bin: string } {
  const n = surface.x.length * surface.y.length;
  const bin = new Float64Array(2 * n);
  bin.set(surface.loss, 0);
  bin.set(surface.accuracy, n);
  const binPath = join(dir, `${name}.bin`);
  const jsonPath = join(dir, `${name}.json`);
  writeFileAtomic(binPath, new Uint8Array(bin.buffer));
  let min = Infinity;
  let argmin = -1;
  surface.loss.forEach((v, i) => {
    if (v < min) {
      min = v;
      argmin = i;
    }
  });
  const at = argmin >= 0 ? { x: surface.x[argmin % surface.x.length], y: surface.y[Math.floor(argmin / surface.x.length)] } : null;
  writeFileAtomic(jsonPath, JSON.stringify({ format: 1, x: surface.x, y: surface.y, binary: `${name}.bin`, layout: 'float64 LE, loss[y][x] then accuracy[y][x]', minLoss: min, argmin: at, meta }, null, 2));
  return { json: jsonPath, bin: binPath };
}

export function loadSurface(jsonPath: string): Surface & { meta: Record<string, unknown> } {
  const head = JSON.parse(readFileSync(jsonPath, 'utf8'));
  if (head.format !== 1) throw new DescentError('SURFACE_FORMAT', `unknown surface format in ${jsonPath}`);
  const raw = readFileSync(join(jsonPath, '..', head.binary));
  const n = head.x.length * head.y.length;
  if (raw.byteLength !== 16 * n) throw new DescentError('SURFACE_TRUNCATED', `${head.binary} holds ${raw.byteLength} bytes, expected ${16 * n}`);
  const all = new Float64Array(new Uint8Array(raw).buffer);
  return { x: head.x, y: head.y, loss: all.slice(0, n), accuracy: all.slice(n), meta: head.meta };
}
