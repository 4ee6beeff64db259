/**
 * Test helpers: the fixture loader and the seeded grid generator shared with
 * tools/golden/topology.py (a 32-bit LCG, reproduced bit for bit in both languages).
 */
import { readFileSync } from 'node:fs';

export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../../tools/golden/fixtures/topology/${name}`, import.meta.url), 'utf8'));
}

export interface GenSpec {
  shape: number[];
  kind: 'uniform' | 'int' | 'smooth';
  seed: number;
  bits?: number;
  radius?: number;
  quant?: number;
}

export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(1664525, s) + 1013904223) >>> 0;
    return s;
  };
}

/** Integer-valued grid (values = data / scale exactly) mirroring `generate` in topology.py. */
export function generate(spec: GenSpec): { data: Float64Array; shape: number[]; scale: number } {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const next = lcg(spec.seed);
  const raw = Array.from({ length: n }, next);
  if (spec.kind === 'uniform') return { data: Float64Array.from(raw, (s) => s / 2 ** 32), shape: spec.shape, scale: 2 ** 32 };
  if (spec.kind === 'int') return { data: Float64Array.from(raw, (s) => s >>> (32 - spec.bits!)), shape: spec.shape, scale: 1 };
  const noise = raw.map((s) => s >>> 24);
  const shape = spec.shape;
  const r = spec.radius!;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const idx = shape.map((s, i) => Math.floor(k / strides[i]) % s);
    let sum = 0;
    const rec = (axis: number, off: number): void => {
      if (axis === shape.length) {
        sum += noise[off];
        return;
      }
      for (let j = Math.max(0, idx[axis] - r); j < Math.min(shape[axis], idx[axis] + r + 1); j++) rec(axis + 1, off + j * strides[axis]);
    };
    rec(0, 0);
    out[k] = Math.floor(sum / spec.quant!);
  }
  return { data: out, shape, scale: 1 };
}

/** Decodes a fixture value: null = +Infinity, '-inf' = -Infinity, numbers divided by the scale. */
export function decode(v: number | string | null, scale = 1): number {
  if (v === null) return Infinity;
  if (v === '-inf') return -Infinity;
  return (v as number) / scale;
}

/** Canonical order for comparing diagrams pair by pair. */
export function canonical(pairs: Array<[number, number, number]>): Array<[number, number, number]> {
  return [...pairs].sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] === b[2] ? 0 : a[2] < b[2] ? -1 : 1));
}
