import { describe, it, expect } from 'vitest';
import { nativeBlas, nativeBlasReason, ACTIVATIONS, type ConvGeometry } from '@descent/native-blas';

// WebAssembly is a global of Node, though not in the ES2022 type library.
const { Memory } = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum?: number }) => { buffer: ArrayBuffer; grow(pages: number): number } } }).WebAssembly;

const blas = nativeBlas();
const reason = nativeBlasReason();
const hasConv = typeof blas?.conv2d === 'function';

/** Deterministic values in [-1, 1). */
function fill(f: Float32Array, off: number, count: number, seed: number) {
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    f[off + i] = s / 2 ** 31 - 1;
  }
}

type Pad = 'same' | 'valid' | [number, number, number, number]; // explicit: top, bottom, left, right

/** The geometry as TensorFlow.js' computeConv2DInfo gives it (NHWC), written out independently. */
function geom(n: number, h: number, w: number, cin: number, kh: number, kw: number, cout: number, stride: [number, number], pad: Pad, dil: [number, number] = [1, 1]): ConvGeometry {
  const [sh, sw] = stride, [dh, dw] = dil;
  const ekh = (kh - 1) * dh + 1, ekw = (kw - 1) * dw + 1;
  let oh: number, ow: number, top: number, left: number;
  if (pad === 'same') {
    oh = Math.ceil(h / sh);
    ow = Math.ceil(w / sw);
    top = Math.floor(Math.max((oh - 1) * sh + ekh - h, 0) / 2);
    left = Math.floor(Math.max((ow - 1) * sw + ekw - w, 0) / 2);
  } else if (pad === 'valid') {
    oh = Math.ceil((h - ekh + 1) / sh);
    ow = Math.ceil((w - ekw + 1) / sw);
    top = left = 0;
  } else {
    oh = Math.floor((h + pad[0] + pad[1] - ekh) / sh) + 1;
    ow = Math.floor((w + pad[2] + pad[3] - ekw) / sw) + 1;
    top = pad[0];
    left = pad[2];
  }
  return { batchSize: n, inHeight: h, inWidth: w, inChannels: cin, outHeight: oh, outWidth: ow, outChannels: cout, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padInfo: { top, left } };
}

/** Calls fn(b, oy, ox, i, j, iy, ix) for every in-bounds tap of the convolution. */
function taps(g: ConvGeometry, fn: (b: number, oy: number, ox: number, i: number, j: number, iy: number, ix: number) => void) {
  for (let b = 0; b < g.batchSize; b++)
    for (let oy = 0; oy < g.outHeight; oy++)
      for (let ox = 0; ox < g.outWidth; ox++)
        for (let i = 0; i < g.filterHeight; i++)
          for (let j = 0; j < g.filterWidth; j++) {
            const iy = oy * g.strideHeight - g.padInfo.top + i * g.dilationHeight, ix = ox * g.strideWidth - g.padInfo.left + j * g.dilationWidth;
            if (iy >= 0 && iy < g.inHeight && ix >= 0 && ix < g.inWidth) fn(b, oy, ox, i, j, iy, ix);
          }
}

const xAt = (g: ConvGeometry, b: number, y: number, x: number, c: number) => ((b * g.inHeight + y) * g.inWidth + x) * g.inChannels + c;
const yAt = (g: ConvGeometry, b: number, y: number, x: number, c: number) => ((b * g.outHeight + y) * g.outWidth + x) * g.outChannels + c;
const fAt = (g: ConvGeometry, i: number, j: number, ci: number, co: number) => ((i * g.filterWidth + j) * g.inChannels + ci) * g.outChannels + co;
const sizes = (g: ConvGeometry) => ({
  x: g.batchSize * g.inHeight * g.inWidth * g.inChannels,
  y: g.batchSize * g.outHeight * g.outWidth * g.outChannels,
  f: g.filterHeight * g.filterWidth * g.inChannels * g.outChannels,
});

/** float64 references (offsets in floats). */
function convRef(f: Float32Array, g: ConvGeometry, X: number, F: number, bias?: number, act = 0, alpha = 0.2): Float64Array {
  const y = new Float64Array(sizes(g).y);
  taps(g, (b, oy, ox, i, j, iy, ix) => {
    for (let co = 0; co < g.outChannels; co++) {
      let s = 0;
      for (let ci = 0; ci < g.inChannels; ci++) s += f[X + xAt(g, b, iy, ix, ci)] * f[F + fAt(g, i, j, ci, co)];
      y[yAt(g, b, oy, ox, co)] += s;
    }
  });
  return y.map((v, p) => {
    const x = bias === undefined ? v : v + f[bias + (p % g.outChannels)];
    return [x, Math.max(x, 0), Math.min(Math.max(x, 0), 6), 1 / (1 + Math.exp(-x)), x > 0 ? x : Math.expm1(x), x > 0 ? x : alpha * x, Math.tanh(x)][act];
  });
}
function backpropInputRef(f: Float32Array, g: ConvGeometry, DY: number, F: number): Float64Array {
  const dx = new Float64Array(sizes(g).x);
  taps(g, (b, oy, ox, i, j, iy, ix) => {
    for (let ci = 0; ci < g.inChannels; ci++)
      for (let co = 0; co < g.outChannels; co++) dx[xAt(g, b, iy, ix, ci)] += f[DY + yAt(g, b, oy, ox, co)] * f[F + fAt(g, i, j, ci, co)];
  });
  return dx;
}
function backpropFilterRef(f: Float32Array, g: ConvGeometry, X: number, DY: number): Float64Array {
  const dw = new Float64Array(sizes(g).f);
  taps(g, (b, oy, ox, i, j, iy, ix) => {
    for (let ci = 0; ci < g.inChannels; ci++)
      for (let co = 0; co < g.outChannels; co++) dw[fAt(g, i, j, ci, co)] += f[X + xAt(g, b, iy, ix, ci)] * f[DY + yAt(g, b, oy, ox, co)];
  });
  return dw;
}

function maxDiff(f: Float32Array, off: number, ref: Float64Array) {
  let d = 0;
  for (let i = 0; i < ref.length; i++) d = Math.max(d, Math.abs(f[off + i] - ref[i]) / (1 + Math.abs(ref[i])));
  return d;
}

/** Shapes: odd sizes, strides 1 and 2, every padding mode, 1×1 (the pointwise shortcut), non-square filters. */
const GEOMETRIES: Array<[string, ConvGeometry]> = [
  ['3×3 same s1', geom(2, 7, 5, 3, 3, 3, 4, [1, 1], 'same')],
  ['3×3 same s2', geom(2, 7, 6, 3, 3, 3, 5, [2, 2], 'same')],
  ['3×3 valid s1', geom(1, 6, 7, 2, 3, 3, 3, [1, 1], 'valid')],
  ['2×3 valid s(2,1)', geom(3, 9, 8, 5, 2, 3, 2, [2, 1], 'valid')],
  ['3×2 explicit (2,0,1,3) s2', geom(2, 6, 5, 3, 3, 2, 4, [2, 2], [2, 0, 1, 3])],
  ['5×5 same s1, wide kernel over a small image', geom(1, 3, 4, 2, 5, 5, 3, [1, 1], 'same')],
  ['1×1 s1 valid (pointwise)', geom(2, 4, 3, 6, 1, 1, 5, [1, 1], 'valid')],
  ['1×1 s2 valid', geom(2, 5, 5, 3, 1, 1, 2, [2, 2], 'valid')],
  ['3×3 same, two im2col blocks (rows·k > 2^22, COL_BUDGET)', geom(64, 32, 32, 8, 3, 3, 4, [1, 1], 'same')],
];

describe.skipIf(!hasConv)(`native conv2d and its gradients (${hasConv ? 'built' : `skipped: ${reason}`})`, () => {
  const b = blas!;

  it('conv2d, conv2dBackpropInput and conv2dBackpropFilter equal float64 references', () => {
    const mem = new Memory({ initial: 200 });
    const f = new Float32Array(mem.buffer);
    for (const [name, g] of GEOMETRIES) {
      const s = sizes(g);
      const X = 3, F = X + s.x + 1, Y = F + s.f + 5, DY = Y + s.y + 3, DX = DY + s.y + 1, DW = DX + s.x + 7; // odd float offsets
      fill(f, X, s.x, 1 + s.x);
      fill(f, F, s.f, 2 + s.f);
      fill(f, DY, s.y, 3 + s.y);
      fill(f, Y, s.y, 4); // garbage the kernels must overwrite, not accumulate into
      fill(f, DX, s.x, 5);
      fill(f, DW, s.f, 6);
      b.conv2d(f, g, X * 4, F * 4, Y * 4, -1, 0, 0);
      expect(maxDiff(f, Y, convRef(f, g, X, F)), `${name}: conv2d`).toBeLessThan(1e-5);
      b.conv2dBackpropInput(f, g, DY * 4, F * 4, DX * 4);
      expect(maxDiff(f, DX, backpropInputRef(f, g, DY, F)), `${name}: backprop input`).toBeLessThan(1e-5);
      b.conv2dBackpropFilter(mem.buffer, g, X * 4, DY * 4, DW * 4);
      // A sum over every output pixel of the batch: float32 rounding grows with its length.
      const terms = g.batchSize * g.outHeight * g.outWidth;
      expect(maxDiff(f, DW, backpropFilterRef(f, g, X, DY)), `${name}: backprop filter`).toBeLessThan(Math.max(1e-5, 1e-7 * terms));
    }
  });

  it('conv2d with bias and every activation, and with dilation 2', () => {
    const f = new Float32Array(new Memory({ initial: 2 }).buffer);
    const g = geom(2, 6, 5, 3, 3, 3, 4, [1, 1], 'same');
    const s = sizes(g);
    const X = 0, F = s.x, BIAS = F + s.f, Y = BIAS + 4;
    fill(f, X, s.x, 7);
    fill(f, F, s.f, 8);
    fill(f, BIAS, 4, 9);
    for (const [act, code] of Object.entries(ACTIVATIONS)) {
      b.conv2d(f, g, X * 4, F * 4, Y * 4, BIAS * 4, code, 0.3);
      expect(maxDiff(f, Y, convRef(f, g, X, F, BIAS, code, 0.3)), act).toBeLessThan(1e-5);
    }
    for (const pad of ['same', 'valid'] as const) {
      const d = geom(1, 9, 8, 2, 3, 2, 3, [1, 1], pad, [2, 2]);
      b.conv2d(f, d, X * 4, F * 4, Y * 4, -1, 0, 0);
      expect(maxDiff(f, Y, convRef(f, d, X, F)), `dilation 2 ${pad}`).toBeLessThan(1e-5);
    }
  });

  it('maxPoolGrad sends each dy to the first maximum of its window; overlapping windows add up', () => {
    const f = new Float32Array(new Memory({ initial: 200 }).buffer);
    for (const [name, g] of [
      ['2×2 s2 valid', geom(2, 6, 7, 3, 2, 2, 3, [2, 2], 'valid')],
      ['2×2 s2 tiling the image (written whole, dx not zeroed first)', geom(2, 6, 8, 5, 2, 2, 5, [2, 2], 'valid')],
      ['2×2 s2, a batch large enough to be split between threads', geom(16, 32, 32, 32, 2, 2, 32, [2, 2], 'valid')],
      ['3×3 s2 same (overlapping, padded)', geom(2, 7, 6, 4, 3, 3, 4, [2, 2], 'same')],
      ['3×3 s1 valid', geom(1, 5, 5, 2, 3, 3, 2, [1, 1], 'valid')],
    ] as const) {
      const s = sizes(g);
      const X = 1, DY = X + s.x + 2, DX = DY + s.y + 1;
      fill(f, X, s.x, 11);
      for (let i = 0; i < s.x; i += 7) f[X + i] = f[X + ((i + 3) % s.x)]; // ties: the first maximum wins
      f[X + 5] = NaN; // never a maximum
      fill(f, DY, s.y, 12);
      fill(f, DX, s.x, 13);
      const ref = new Float64Array(s.x);
      for (let bb = 0; bb < g.batchSize; bb++)
        for (let oy = 0; oy < g.outHeight; oy++)
          for (let ox = 0; ox < g.outWidth; ox++)
            for (let c = 0; c < g.inChannels; c++) {
              let best = -Infinity, at = -1;
              for (let i = 0; i < g.filterHeight; i++)
                for (let j = 0; j < g.filterWidth; j++) {
                  const iy = oy * g.strideHeight - g.padInfo.top + i, ix = ox * g.strideWidth - g.padInfo.left + j;
                  if (iy < 0 || iy >= g.inHeight || ix < 0 || ix >= g.inWidth) continue;
                  const p = xAt(g, bb, iy, ix, c);
                  if (f[X + p] > best) (best = f[X + p]), (at = p);
                }
              if (at >= 0) ref[at] += f[DY + yAt(g, bb, oy, ox, c)];
            }
      b.maxPoolGrad(f, g, X * 4, DY * 4, DX * 4);
      expect(maxDiff(f, DX, ref), name).toBeLessThan(1e-6);
    }
    expect(() => b.maxPoolGrad(f, geom(1, 4, 4, 2, 2, 2, 3, [2, 2], 'valid'), 0, 400, 800)).toThrow(/inChannels must equal outChannels/);
  });

  it('tile repeats along every axis', () => {
    const f = new Float32Array(new Memory({ initial: 1 }).buffer);
    for (const [shape, reps] of [[[1, 1, 1, 3], [2, 3, 2, 1]], [[2, 3], [3, 2]], [[4], [3]], [[2, 1, 3], [1, 4, 2]], [[3, 2], [0, 2]], [[], []]] as Array<[number[], number[]]>) {
      const n = shape.reduce((p, d) => p * d, 1);
      const outShape = shape.map((d, i) => d * reps[i]);
      const m = outShape.reduce((p, d) => p * d, 1);
      fill(f, 10, n, 14);
      f.fill(-7, 100, 100 + m + 1);
      b.tile(f, 40, shape, reps, 400);
      for (let p = 0; p < m; p++) {
        // Output index → input index: each coordinate modulo the input's size.
        let rest = p, q = 0, stride = 1;
        for (let d = outShape.length - 1; d >= 0; d--) {
          q += (rest % outShape[d] % shape[d]) * stride;
          rest = Math.floor(rest / outShape[d]);
          stride *= shape[d];
        }
        expect(f[100 + p], `${shape} × ${reps} at ${p}`).toBe(f[10 + q]);
      }
      expect(f[100 + m]).toBe(-7); // nothing written past the output
    }
    expect(() => b.tile(f, 0, [2, 3], [2], 400)).toThrow(/same length/);
    expect(() => b.tile(f, 0, [1000, 1000], [2, 2], 0)).toThrow(/outside the heap/);
  });

  it('refuses ranges outside the heap, misaligned offsets, bad geometry and detached heaps', () => {
    const mem = new Memory({ initial: 1, maximum: 10 });
    const f = new Float32Array(mem.buffer);
    const g = geom(2, 5, 5, 3, 3, 3, 4, [1, 1], 'same'); // x 150, f 108, y 200 floats
    const end = f.length * 4;
    const before = Float32Array.from(f.subarray(0, 2048));
    expect(() => b.conv2d(f, g, end - 400, 0, 4000, -1, 0, 0)).toThrow(/x: .*outside the heap/);
    expect(() => b.conv2d(f, g, 0, 1000, end - 400, -1, 0, 0)).toThrow(/y: .*outside the heap/);
    expect(() => b.conv2d(f, g, 0, 1000, 2000, end, 0, 0)).toThrow(/bias: .*outside the heap/);
    expect(() => b.conv2d(f, g, 2, 1000, 2000, -1, 0, 0)).toThrow(/misaligned/);
    expect(() => b.conv2d(f, g, 0, 1000, 2000, -1, 7, 0)).toThrow(/activation/);
    expect(() => b.conv2dBackpropInput(f, g, 0, 1000, end - 100)).toThrow(/dx: .*outside the heap/);
    expect(() => b.conv2dBackpropFilter(f, g, 0, 1000, end - 100)).toThrow(/dw: .*outside the heap/);
    expect(() => b.conv2dBackpropFilter(f, g, -4, 1000, 2000)).toThrow(/outside the heap/);
    expect(() => b.maxPoolGrad(f, { ...g, outChannels: 3 }, 0, 1000, end - 100)).toThrow(/dx: .*outside the heap/);
    expect(() => b.conv2d(f, { ...g, strideHeight: 0 }, 0, 1000, 2000, -1, 0, 0)).toThrow(/strides and dilations/);
    expect(() => b.conv2d(f, { ...g, inHeight: -1 }, 0, 1000, 2000, -1, 0, 0)).toThrow(/sizes/);
    expect(() => b.conv2d(f, { ...g, batchSize: 2 ** 30, inHeight: 2 ** 20 }, 0, 1000, 2000, -1, 0, 0)).toThrow(/too large/);
    const { padInfo: _omit, ...noPad } = g;
    expect(() => b.conv2d(f, noPad as never, 0, 1000, 2000, -1, 0, 0)).toThrow(/padInfo is missing/);
    expect(() => b.conv2d(f, { ...g, outWidth: undefined } as never, 0, 1000, 2000, -1, 0, 0)).toThrow(/outWidth/);
    expect(() => b.conv2d(f, null as never, 0, 1000, 2000, -1, 0, 0)).toThrow(/geometry must be an object/);
    expect(() => (b.conv2d as (...a: unknown[]) => void)(f, g, 0)).toThrow(/expected 8 arguments/);
    expect(Array.from(f.subarray(0, 2048))).toEqual(Array.from(before)); // nothing written by a refused call
    mem.grow(1); // detaches f
    expect(() => b.conv2d(f, g, 0, 1000, 2000, -1, 0, 0)).toThrow(RangeError);
    expect(() => b.conv2dBackpropInput(new Float32Array(mem.buffer), g, 0, 1000, 2000)).not.toThrow();
  });
});

describe.skipIf(typeof blas?.batchNorm !== 'function')('native batch norm and its gradient', () => {
  const b = blas!;

  it('batchNorm and batchNormGrad equal float64 references, with and without offset and scale', () => {
    const f = new Float32Array(new Memory({ initial: 4 }).buffer);
    for (const [rows, c] of [[37, 5], [1, 1], [300, 17]]) {
      const X = 1, DY = X + rows * c, M = DY + rows * c, V = M + c, O = V + c, S = O + c, OUT = S + c + 3, G = OUT + rows * c + 1;
      fill(f, X, rows * c, rows + c);
      fill(f, DY, rows * c, 2 * rows);
      fill(f, M, c, 3);
      fill(f, V, c, 4);
      for (let j = 0; j < c; j++) f[V + j] = Math.abs(f[V + j]) + 0.1;
      fill(f, O, c, 5);
      fill(f, S, c, 6);
      const eps = 1e-3;
      for (const [withOffset, withScale] of [[true, true], [false, false], [false, true]]) {
        const ref = new Float64Array(rows * c);
        for (let r = 0; r < rows; r++)
          for (let j = 0; j < c; j++)
            ref[r * c + j] = (withOffset ? f[O + j] : 0) + ((f[X + r * c + j] - f[M + j]) * (withScale ? f[S + j] : 1)) / Math.sqrt(f[V + j] + eps);
        b.batchNorm(f, X * 4, rows, c, M * 4, V * 4, withOffset ? O * 4 : -1, withScale ? S * 4 : -1, eps, OUT * 4);
        expect(maxDiff(f, OUT, ref), `forward ${rows}×${c} offset ${withOffset} scale ${withScale}`).toBeLessThan(1e-5);
        // Gradients: dx, dMean, dVariance, dScale, dOffset at G, G + rows·c, … (one channel vector each).
        const DX = G, DM = DX + rows * c, DV = DM + c, DS = DV + c, DO = DS + c;
        f.fill(123, G, DO + c);
        b.batchNormGrad(f, X * 4, DY * 4, rows, c, M * 4, V * 4, withScale ? S * 4 : -1, eps, DX * 4, DM * 4, DV * 4, DS * 4, DO * 4);
        const dx = new Float64Array(rows * c), dm = new Float64Array(c), dv = new Float64Array(c), ds = new Float64Array(c), dof = new Float64Array(c);
        for (let j = 0; j < c; j++) {
          const r = 1 / Math.sqrt(f[V + j] + eps), s = withScale ? f[S + j] : 1;
          for (let i = 0; i < rows; i++) {
            const dy = f[DY + i * c + j], xm = f[X + i * c + j] - f[M + j];
            dx[i * c + j] = dy * r * s;
            dm[j] -= r * s * dy;
            dv[j] += -0.5 * r * r * r * s * xm * dy;
            ds[j] += r * xm * dy;
            dof[j] += dy;
          }
        }
        const what = `gradient ${rows}×${c} scale ${withScale}`;
        expect(maxDiff(f, DX, dx), `${what}: dx`).toBeLessThan(1e-5);
        expect(maxDiff(f, DM, dm), `${what}: dMean`).toBeLessThan(1e-5);
        expect(maxDiff(f, DV, dv), `${what}: dVariance`).toBeLessThan(1e-5);
        expect(maxDiff(f, DS, ds), `${what}: dScale`).toBeLessThan(1e-5);
        expect(maxDiff(f, DO, dof), `${what}: dOffset`).toBeLessThan(1e-5);
      }
    }
  });

  it('refuses ranges outside the heap and bad sizes', () => {
    const f = new Float32Array(new Memory({ initial: 1 }).buffer);
    const end = f.length * 4;
    expect(() => b.batchNorm(f, 0, 100, 8, 4000, 4100, -1, -1, 1e-3, end - 100)).toThrow(/out: .*outside the heap/);
    expect(() => b.batchNorm(f, 0, 100, 8, 4000, 4100, end, -1, 1e-3, 8000)).toThrow(/offset: .*outside the heap/);
    expect(() => b.batchNorm(f, 0, -1, 8, 4000, 4100, -1, -1, 1e-3, 8000)).toThrow(/non-negative/);
    expect(() => b.batchNormGrad(f, 0, 4000, 100, 8, 8000, 8100, -1, 1e-3, 9000, 12800, 12900, 13000, end)).toThrow(/dOffset: .*outside the heap/);
    expect(() => b.batchNormGrad(f, 0, 4000, 100, 8, 8000, 8100, -1, 1e-3, end - 40, 12800, 12900, 13000, 13100)).toThrow(/dx: .*outside the heap/);
    expect(() => b.batchNormGrad(f, 0, 4000, 100, 8, 8000, 8102, -1, 1e-3, 9000, 12800, 12900, 13000, 13100)).toThrow(/misaligned/);
  });
});
