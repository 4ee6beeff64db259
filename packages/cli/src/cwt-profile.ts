// The CWT part of `descent wavelet`: which 1-D signal (a series file, or a row/column of a grid),
// which scales, and the scalogram of |W|.
import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { cwt, fromRows, toRows } from '@descent/wavelet';
import { scalogram, type Plot } from '@descent/report';
import { UsageError } from './errors';
import type { GridFile } from './grid-file';

/**
 * A 1-D series file, or null when the file holds something else (a grid): a JSON array of
 * numbers, { "signal": [...] }, or a CSV with a single row or a single column.
 */
export function readSignalFile(path: string): number[] | null {
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'utf8');
  let values: unknown[] | null = null;
  if (extname(path).toLowerCase() === '.csv') {
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const cells = lines.map((l) => l.split(/[,;\t]/));
    if (lines.length === 1) values = cells[0];
    else if (lines.length > 1 && cells.every((c) => c.length === 1)) values = cells.map((c) => c[0]);
    if (values) values = values.map((s) => (String(s).trim() === '' ? NaN : Number(String(s).trim())));
  } else {
    try {
      const data = JSON.parse(text) as unknown;
      const series = Array.isArray(data) ? data : (data as { signal?: unknown } | null)?.signal;
      if (Array.isArray(series) && series.every((v) => !Array.isArray(v))) values = series;
    } catch {
      return null;
    }
  }
  if (!values) return null;
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new UsageError(`${path}: sample ${i + 1} of the series is ${JSON.stringify(v)}, not a finite number`);
  });
  if (values.length < 4) throw new UsageError(`${path}: a series needs at least 4 samples, got ${values.length}`);
  return values as number[];
}

/** Parsed --scales: the scales and whether they are spaced geometrically (drawn on a log axis). */
export interface Scales {
  scales: number[];
  log: boolean;
  spec: string;
}

/**
 * --scales a:b (every integer from a to b, a linear axis) or a:b:n (n scales spaced geometrically
 * from a to b, a log axis). Default 1:⌊length/2⌋:32 (fewer when that range holds fewer integers).
 */
export function parseScales(raw: unknown, length: number): Scales {
  const spec = raw === undefined ? `1:${Math.max(2, Math.floor(length / 2))}:32` : String(raw);
  const parts = spec.split(':').map((s) => Number(s));
  const bad = () => new UsageError(`--scales must be a:b or a:b:n with 0 < a < b (and an integer n ≥ 2), got "${spec}"`);
  if (parts.length < 2 || parts.length > 3 || parts.some((v) => !Number.isFinite(v))) throw bad();
  const [a, b, n] = parts;
  if (!(a > 0 && b > a)) throw bad();
  if (parts.length === 2) {
    const scales: number[] = [];
    for (let s = a; s <= b + 1e-9; s++) scales.push(s);
    if (scales.length < 2) throw bad();
    if (scales.length > 1024) throw new UsageError(`--scales ${spec} gives ${scales.length} scales; at most 1024 (use a:b:n)`);
    return { scales, log: false, spec };
  }
  if (!Number.isInteger(n) || n < 2 || n > 1024) throw bad();
  return { scales: Array.from({ length: n }, (_, i) => a * (b / a) ** (i / (n - 1))), log: true, spec };
}

/** --profile row:i | col:j (default the middle row): the slice of a grid the CWT analyses. */
export function gridProfile(grid: GridFile, raw: unknown): { signal: number[]; positions: number[]; label: string; axis: string } {
  const rows = grid.rows.length;
  const cols = grid.rows[0].length;
  const spec = raw === undefined ? `row:${Math.floor(rows / 2)}` : String(raw);
  const m = /^(row|col):(\d+)$/.exec(spec);
  if (!m) throw new UsageError(`--profile must be row:<i> or col:<j>, got "${spec}"`);
  const i = Number(m[2]);
  const limit = m[1] === 'row' ? rows : cols;
  if (i >= limit) throw new UsageError(`--profile ${spec}: the grid has ${limit} ${m[1] === 'row' ? 'rows' : 'columns'} (0 … ${limit - 1})`);
  const increasing = (a: number[]) => a.every((v, k) => k === 0 || v > a[k - 1]);
  if (m[1] === 'row') {
    return { signal: grid.rows[i].slice(), positions: increasing(grid.x) ? grid.x : grid.x.map((_, k) => k), label: `row ${i} (y = ${+grid.y[i].toPrecision(4)})`, axis: 'x' };
  }
  return { signal: grid.rows.map((r) => r[i]), positions: increasing(grid.y) ? grid.y : grid.y.map((_, k) => k), label: `column ${i} (x = ${+grid.x[i].toPrecision(4)})`, axis: 'y' };
}

/** A CWT profile as cwt.json keeps it: everything but the plot, which `cwtPlot` draws again from it. */
export interface CwtData {
  wavelet: string;
  profile: string;
  scales: number[];
  frequencies: number[];
  /** Mean |W| per scale; its largest entry marks the dominant scale. */
  meanAbs: number[];
  dominantScale: number;
  /** |W|, scales × positions. */
  magnitude: number[][];
  /** Where the samples lie along the axis (absent in cwt.json written before it was saved: 0, 1, ...). */
  positions?: number[];
  /** The axis' title ('x', 'y' or 'sample'). */
  axis?: string;
  /** The --scales spec, and whether its scales are spaced geometrically (a log axis). */
  scalesSpec?: string;
  log?: boolean;
}

export interface CwtProfile extends CwtData {
  plot: Plot;
}

/** The scalogram of a CWT profile, from |W| (the picture is |W|, so the saved magnitude redraws it exactly). */
export function cwtPlot(c: CwtData): Plot {
  const log = c.log ?? false;
  const spec = c.scalesSpec ?? `${+c.scales[0].toPrecision(4)}:${+c.scales[c.scales.length - 1].toPrecision(4)}`;
  return scalogram({
    title: `Scalogram (${c.wavelet}) of ${c.profile}`,
    subtitle: `|W(scale, position)|, ${c.scales.length} scales ${spec}${log ? ' (geometric)' : ''}; largest mean |W| at scale ${+c.dominantScale.toPrecision(4)}`,
    re: fromRows(c.magnitude),
    scales: c.scales,
    positions: c.positions ?? c.magnitude[0].map((_, i) => i),
    x: { title: c.axis ?? 'position' },
    y: { title: 'scale', scale: log ? 'log' : 'linear' },
  });
}

/** The CWT (pywt.cwt semantics, FFT convolution) of one signal and its scalogram. */
export function cwtProfile(signal: number[], positions: number[], wavelet: string, scales: Scales, label: string, axisTitle: string): CwtProfile {
  const w = cwt(signal, scales.scales, wavelet, { method: 'fft' });
  const re = toRows(w.re);
  const im = w.im ? toRows(w.im) : null;
  const magnitude = re.map((row, s) => row.map((v, k) => (im ? Math.hypot(v, im[s][k]) : Math.abs(v))));
  const meanAbs = magnitude.map((row) => row.reduce((a, v) => a + v, 0) / row.length);
  const dominant = meanAbs.indexOf(Math.max(...meanAbs));
  const data: CwtData = {
    wavelet,
    profile: label,
    scales: scales.scales,
    frequencies: Array.from(w.frequencies),
    meanAbs,
    dominantScale: scales.scales[dominant],
    magnitude,
    positions,
    axis: axisTitle,
    scalesSpec: scales.spec,
    log: scales.log,
  };
  return { ...data, plot: cwtPlot(data) };
}
