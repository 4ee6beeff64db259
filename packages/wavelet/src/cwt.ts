import FFT from 'fft.js';
import { InvalidParameterError } from '@descent/tensor/errors';
import type { Array2D } from './array2d';
import { toContinuous, wavefun, type ContinuousWavelet } from './continuous';
import { toSignal } from './validate';

/** Options of {@link cwt}. */
export interface CwtOptions {
  /**
   * 'conv' (default, as pywt) or 'fft'. Both give pywt's numbers to rounding (~1e-13 of the
   * largest coefficient). 'conv' picks per scale the cheaper of direct summation (short signals
   * or wavelets) and an overlap-add FFT convolution (fft.js, power-of-two blocks), as
   * scipy.signal.choose_conv_method does; 'fft' always uses the overlap-add FFT.
   */
  method?: 'conv' | 'fft';
  /** Sampling period of the data, only used for `frequencies` (default 1). */
  samplingPeriod?: number;
}

/** CWT coefficients (rows: scales, columns: samples) and the frequency of each scale. */
export interface CwtResult {
  /** Real part of the coefficients (all of them for real wavelets). */
  re: Array2D;
  /** Imaginary part for complex wavelets (cgau, shan, fbsp, cmor), else null. */
  im: Array2D | null;
  /** scale2frequency(wavelet, scale, 10) / samplingPeriod for every scale, as pywt returns. */
  frequencies: Float64Array;
}

/** pywt.cwt's fixed wavefun resolution: ψ on 2^10 points. */
const PRECISION = 10;

interface Integrated {
  re: Float64Array;
  im: Float64Array | null;
  x: Float64Array;
}

const integrals = new Map<string, Integrated>();

/** pywt.integrate_wavelet(w, 10), conjugated for complex wavelets as pywt.cwt does: cumsum(ψ)·step. */
function integrated(w: ContinuousWavelet): Integrated {
  const hit = integrals.get(w.name);
  if (hit) return hit;
  const { x, psi, psiImag } = wavefun(w, PRECISION);
  const step = x[1] - x[0];
  const cum = (f: Float64Array, sign: number): Float64Array => {
    const out = new Float64Array(f.length);
    let s = 0;
    // Running sum, then one multiply per sample: numpy's cumsum followed by `integral *= step`.
    for (let i = 0; i < f.length; i++) {
      s += f[i];
      out[i] = sign * (s * step);
    }
    return out;
  };
  const r: Integrated = { re: cum(psi, 1), im: psiImag ? cum(psiImag, -1) : null, x };
  integrals.set(w.name, r);
  return r;
}

/**
 * Continuous wavelet transform, pywt.cwt 1.1.1: for each scale s, the integrated wavelet
 * ∫ψ sampled at ⌊k/(s·step)⌋ (k = 0 … ⌈s·(upper − lower)⌉) is convolved with the data and
 * differenced, coef = −√s · diff(conv), keeping the centred n samples. ∫ψ is computed once per
 * wavelet (cached); in the FFT path the difference and −√s are folded into the filter. Scales
 * must be > 0 and large enough that the sampled wavelet has two points (pywt: "scale too small").
 */
export function cwt(data: ArrayLike<number>, scales: number | ArrayLike<number>, wavelet: string | ContinuousWavelet, options: CwtOptions = {}): CwtResult {
  const x = toSignal(data, 'data');
  const w = toContinuous(wavelet);
  const sc = toSignal(typeof scales === 'number' ? [scales] : scales, 'scales');
  for (let i = 0; i < sc.length; i++) if (!(sc[i] > 0)) throw new InvalidParameterError(`scales[${i}]`, sc[i], 'a finite number > 0');
  const method = options.method ?? 'conv';
  if (method !== 'conv' && method !== 'fft') throw new InvalidParameterError('method', method, "'conv' or 'fft'");
  const T = options.samplingPeriod ?? 1;
  if (typeof T !== 'number' || !(T > 0) || !Number.isFinite(T)) throw new InvalidParameterError('samplingPeriod', T, 'a finite number > 0');

  const n = x.length;
  const ip = integrated(w);
  const size = ip.re.length;
  const step = ip.x[1] - ip.x[0];
  const span = ip.x[size - 1] - ip.x[0];
  const re = new Float64Array(sc.length * n);
  const im = ip.im ? new Float64Array(sc.length * n) : null;

  // The sampled, integrated wavelet of every scale: g = ∫ψ[j], j = ⌊k/(s·step)⌋ for
  // k = 0 … ⌈s·span⌉ (numpy: arange(s·span + 1) / (s·step), astype(int)), kept below `size`.
  // pywt convolves with its reverse; the reversal is folded into the kernels below.
  const engine = new BlockConvolver(x);
  const direct = new Float64Array(n + 1);
  // Real wavelets: FFT scales wait here for a partner with the same plan (two real
  // convolutions share one complex transform: x is real, so the real and imaginary parts of
  // the result are the two convolutions).
  const pending = new Map<number, Job>();
  for (let si = 0; si < sc.length; si++) {
    const s = sc[si];
    const count = Math.ceil(s * span + 1);
    const ss = s * step;
    let L = 0;
    while (L < count && Math.trunc(L / ss) < size) L++;
    if (L < 2) throw new InvalidParameterError(`scales[${si}]`, s, 'a scale large enough that the sampled wavelet has ≥ 2 points (pywt: "scale too small")');
    const gRe = new Float64Array(L);
    const gIm = ip.im ? new Float64Array(L) : null;
    for (let k = 0; k < L; k++) {
      const j = Math.trunc(k / ss);
      gRe[k] = ip.re[j];
      if (gIm) gIm[k] = ip.im![j];
    }
    // coef = −√s·diff(conv) has n + L − 2 samples; pywt keeps [⌊(L−2)/2⌋, … + n).
    const start = Math.floor((L - 2) / 2);
    const factor = -Math.sqrt(s);
    const plan = convPlan(n, L, method === 'fft');
    if (plan === 0) {
      directConv(x, gRe, start, direct);
      diffInto(direct, re, si * n, n, factor);
      if (gIm) {
        directConv(x, gIm, start, direct);
        diffInto(direct, im!, si * n, n, factor);
      }
      continue;
    }
    // FFT: diff(conv(x, h)) = conv(x, Δh)[1:], so the difference and −√s go into the filter
    // and the block convolutions add straight into the output rows.
    const job: Job = { g: gRe, off: start + 1, factor, out: re, row: si * n };
    if (gIm) {
      engine.convolve(plan, job, { g: gIm, off: start + 1, factor, out: im!, row: si * n });
      continue;
    }
    const A = pending.get(plan);
    if (A) {
      pending.delete(plan);
      engine.convolve(plan, A, job);
    } else pending.set(plan, job);
  }
  for (const [plan, A] of pending) engine.convolve(plan, A, null);
  const cf = cwtCentralFrequency(w);
  const frequencies = new Float64Array(sc.length);
  for (let i = 0; i < sc.length; i++) frequencies[i] = cf / sc[i] / T;
  const m = (d: Float64Array): Array2D => ({ data: d, rows: sc.length, cols: n });
  return { re: m(re), im: im ? m(im) : null, frequencies };
}

/** out[row + i] = factor · (conv[i + 1] − conv[i]): numpy's −√s · diff(conv). */
function diffInto(conv: Float64Array, out: Float64Array, row: number, n: number, factor: number): void {
  for (let i = 0; i < n; i++) out[row + i] = factor * (conv[i + 1] - conv[i]);
}

/**
 * conv[q] = Σ_k x[k]·h[p − k] at p = start + q, h the reverse of g (length L), i.e. the dot
 * product Σ_k x[k]·g[L − 1 − p + k]; only the n + 1 outputs pywt keeps. Four outputs are
 * computed together so that each x[k] is loaded once and the g window slides in registers
 * (2.3× faster than one dot product at a time in V8).
 */
function directConv(x: Float64Array, g: Float64Array, start: number, conv: Float64Array): void {
  const n = x.length;
  const L = g.length;
  const count = conv.length;
  let q = 0;
  for (; q + 4 <= count; q += 4) {
    const p = start + q;
    // k range shared by outputs p … p + 3; each output adds its own edge terms afterwards.
    const k0 = Math.max(0, p + 4 - L);
    const k1 = Math.min(n - 1, p);
    if (k1 - k0 < 4) {
      for (let r = 0; r < 4; r++) conv[q + r] = dot(x, g, p + r, 0, n - 1);
      continue;
    }
    const o = L - 1 - p; // output p + r reads g[o − r + k]
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let g1 = g[o + k0 - 1], g2 = g[o + k0 - 2], g3 = g[o + k0 - 3];
    for (let k = k0; k <= k1; k++) {
      const xv = x[k], g0 = g[o + k];
      s0 += xv * g0;
      s1 += xv * g1;
      s2 += xv * g2;
      s3 += xv * g3;
      g3 = g2;
      g2 = g1;
      g1 = g0;
    }
    conv[q] = s0 + edges(x, g, p, k0, k1);
    conv[q + 1] = s1 + edges(x, g, p + 1, k0, k1);
    conv[q + 2] = s2 + edges(x, g, p + 2, k0, k1);
    conv[q + 3] = s3 + edges(x, g, p + 3, k0, k1);
  }
  for (; q < count; q++) conv[q] = dot(x, g, start + q, 0, n - 1);
}

/** Σ x[k]·g[L − 1 − p + k] over the valid k of output p that lie within [lo, hi]. */
function dot(x: Float64Array, g: Float64Array, p: number, lo: number, hi: number): number {
  const L = g.length;
  const a = Math.max(lo, p - L + 1);
  const b = Math.min(hi, p);
  const off = L - 1 - p;
  let s = 0;
  for (let k = a; k <= b; k++) s += x[k] * g[off + k];
  return s;
}

/** The terms of output p outside the shared range [k0, k1]. */
function edges(x: Float64Array, g: Float64Array, p: number, k0: number, k1: number): number {
  return dot(x, g, p, 0, k0 - 1) + dot(x, g, p, k1 + 1, x.length - 1);
}

const centrals = new Map<string, number>();
function cwtCentralFrequency(w: ContinuousWavelet): number {
  let f = centrals.get(w.name);
  if (f === undefined) {
    f = centralFrequency(w, PRECISION);
    centrals.set(w.name, f);
  }
  return f;
}

const ffts = new Map<number, FFT>();
function fftOf(size: number): FFT {
  let f = ffts.get(size);
  if (!f) {
    f = new FFT(size);
    ffts.set(size, f);
  }
  return f;
}

// Relative costs (ns on the machine of docs/benchmarks.md) of one multiply-add of the direct
// convolution, one M·log2(M) unit of a complex fft.js transform and one complex element of the
// per-block multiply and accumulate (COST_BLOCK). Only their ratios matter (measured on
// 4096 samples; the choice is flat around them: ±2.5× on COST_BLOCK changes < 3 %).
const COST_DIRECT = 1;
const COST_FFT = 1.9;
const COST_BLOCK = 4;
/** Data samples per overlap-add block in sixteenths of the FFT size (each plan used costs its block spectra once per call). */
const BLOCK_PARTS = [8, 10, 11, 12, 13, 14, 15];

/**
 * How to compute one complex (or two real) convolutions of the n samples with a filter of
 * length L: 0 for direct summation, else an overlap-add plan, the power-of-two FFT size M
 * times 16 plus the sixteenths of M cut from the data per block (BLOCK_PARTS; the differenced
 * filter of L + 1 taps must fit: block + L ≤ M), whichever the cost model says is cheapest
 * (scipy's choose_conv_method makes the same choice between direct and FFT). `fftOnly` rules
 * out direct.
 */
export function convPlan(n: number, L: number, fftOnly: boolean): number {
  let best = fftOnly ? Infinity : 2 * (n + 1) * Math.min(L, n) * COST_DIRECT;
  let plan = 0;
  let M = 4;
  while (M / 2 < L) M *= 2;
  for (; ; M *= 2) {
    let single = false;
    for (const parts of BLOCK_PARTS) {
      const B = (M / 16) * parts;
      if (!Number.isInteger(B) || B + L > M) continue;
      const blocks = Math.ceil(n / B);
      const cost = blocks * (M * Math.log2(M) * COST_FFT + M * COST_BLOCK) + M * Math.log2(M) * COST_FFT;
      if (cost < best) {
        best = cost;
        plan = M * 16 + parts;
      }
      if (blocks === 1) single = true;
    }
    if (single) return plan;
  }
}

interface Plan {
  fft: FFT;
  M: number;
  /** Data samples per block. */
  B: number;
  /** Spectra of the data blocks x[b·B … (b + 1)·B), zero-padded to M, one after another. */
  spectra: Float64Array;
  blocks: number;
  buf: Float64Array;
  spec: Float64Array;
  z: Float64Array;
}

/**
 * Linear convolution of the real data with two real filters u and v (v may be null) by
 * overlap-add: the data is cut into blocks of B samples whose spectra (size M) are computed once
 * per call and plan; each filter pair costs one forward transform of u + i·v and one transform
 * per block. Filters of ≤ M − B + 1 taps fit (no wrap-around). Since x is real, the real part
 * of the product's inverse is conv(x, u), the imaginary part conv(x, v).
 */
class BlockConvolver {
  private readonly x: Float64Array;
  private readonly plans = new Map<number, Plan>();

  constructor(x: Float64Array) {
    this.x = x;
  }

  private plan(code: number): Plan {
    let p = this.plans.get(code);
    if (p) return p;
    const M = Math.floor(code / 16);
    const B = (M / 16) * (code % 16);
    const fft = fftOf(M);
    const n = this.x.length;
    const blocks = Math.ceil(n / B);
    const spectra = new Float64Array(blocks * 2 * M);
    const w = workOf(M);
    const pad = w.z.subarray(0, M);
    for (let b = 0; b < blocks; b++) {
      pad.fill(0);
      pad.set(this.x.subarray(b * B, Math.min(n, (b + 1) * B)));
      const out = spectra.subarray(b * 2 * M, (b + 1) * 2 * M);
      fft.realTransform(out, pad);
      fft.completeSpectrum(out);
    }
    p = { fft, M, B, spectra, blocks, ...w };
    this.plans.set(code, p);
    return p;
  }

  /**
   * For the job u (and v): out[row + i] += factor · conv(x, Δ rev g)[off + i], i < n, where
   * Δh = (h[0], h[1] − h[0], …, −h[L − 1]) is the first difference of h = rev g.
   */
  convolve(code: number, u: Job, v: Job | null): void {
    const { fft, M, B, spectra, blocks, buf, spec, z } = this.plan(code);
    const n = this.x.length;
    // Spectrum of (Δ rev u + i·Δ rev v)·factor/M: the inverse transform below is a forward one
    // of the conjugate (ifft(P) = conj(fft(conj P))/M), so the 1/M is paid once per filter here.
    buf.fill(0);
    fillFilter(buf, 0, u.g, u.factor / M);
    if (v) fillFilter(buf, 1, v.g, v.factor / M);
    fft.transform(spec, buf);
    for (let b = 0; b < blocks; b++) {
      const o = b * 2 * M;
      // buf = conj(X_b · H)
      for (let k = 0; k < 2 * M; k += 2) {
        const a = spectra[o + k], c = spectra[o + k + 1], d = spec[k], e = spec[k + 1];
        buf[k] = a * d - c * e;
        buf[k + 1] = -(a * e + c * d);
      }
      fft.transform(z, buf);
      // z = conj of the block's convolutions; they start at sample b·B and have len + L samples.
      const base = b * B;
      const len = Math.min(B, n - base);
      if (v && v.off === u.off && v.g.length === u.g.length) addBlockPair(z, base, len + u.g.length, n, u, v);
      else {
        addBlock(z, 0, base, len + u.g.length, n, u);
        if (v) addBlock(z, 1, base, len + v.g.length, n, v);
      }
    }
  }
}

/** {@link addBlock} of both parts at once, for two jobs with the same offset and length (a complex wavelet). */
function addBlockPair(z: Float64Array, base: number, count: number, n: number, u: Job, v: Job): void {
  const i0 = Math.max(0, base - u.off);
  const i1 = Math.min(n, base + count - u.off);
  const a = u.out;
  const b = v.out;
  for (let i = i0, t = 2 * (i0 + u.off - base), r = u.row + i0, q = v.row + i0; i < i1; i++, t += 2, r++, q++) {
    a[r] += z[t];
    b[q] -= z[t + 1];
  }
}

/** Work arrays of one FFT size, kept between calls up to 2^16 points (cwt is synchronous: one set per size suffices). */
const works = new Map<number, { buf: Float64Array; spec: Float64Array; z: Float64Array }>();
function workOf(M: number): { buf: Float64Array; spec: Float64Array; z: Float64Array } {
  let w = works.get(M);
  if (!w) {
    w = { buf: new Float64Array(2 * M), spec: new Float64Array(2 * M), z: new Float64Array(2 * M) };
    if (M <= 1 << 16) works.set(M, w);
  }
  return w;
}

/** A filter's share of {@link BlockConvolver.convolve}. */
interface Job {
  g: Float64Array;
  off: number;
  factor: number;
  out: Float64Array;
  row: number;
}

/** buf[2j + part] = scale · (h[j] − h[j − 1]), h = rev g (zero outside 0 … L − 1), j = 0 … L. */
function fillFilter(buf: Float64Array, part: number, g: Float64Array, scale: number): void {
  const L = g.length;
  buf[part] = scale * g[L - 1];
  for (let j = 1; j < L; j++) buf[2 * j + part] = scale * (g[L - 1 - j] - g[L - j]);
  buf[2 * L + part] = -scale * g[0];
}

/**
 * Adds the block convolution in z (samples base … base + count − 1 of the full convolution;
 * part 0: the real parts, 1: the negated imaginary parts) to row i = p − off of the job, i < n.
 */
function addBlock(z: Float64Array, part: number, base: number, count: number, n: number, job: Job): void {
  const { out, row, off } = job;
  const i0 = Math.max(0, base - off);
  const i1 = Math.min(n, base + count - off);
  const t0 = 2 * (i0 + off - base) + part;
  if (part === 0) for (let i = i0, t = t0; i < i1; i++, t += 2) out[row + i] += z[t];
  else for (let i = i0, t = t0; i < i1; i++, t += 2) out[row + i] -= z[t];
}

/**
 * pywt.central_frequency: 1 / (domain / (k − 1)) with k − 1 the FFT bin of largest |ψ̂| (bins
 * above half folded back), ψ sampled on 2^precision points over a domain of upper − lower.
 */
export function centralFrequency(wavelet: string | ContinuousWavelet, precision = 8): number {
  const w = toContinuous(wavelet);
  const { x, psi, psiImag } = wavefun(w, precision);
  const N = psi.length;
  const f = fftOf(N);
  const spec = new Float64Array(2 * N);
  if (psiImag) {
    const z = new Float64Array(2 * N);
    for (let i = 0; i < N; i++) {
      z[2 * i] = psi[i];
      z[2 * i + 1] = psiImag[i];
    }
    f.transform(spec, z);
  } else {
    f.realTransform(spec, psi);
    f.completeSpectrum(spec);
  }
  let best = -1;
  let arg = 0;
  for (let k = 1; k < N; k++) {
    const mag = Math.hypot(spec[2 * k], spec[2 * k + 1]);
    if (mag > best) {
      best = mag;
      arg = k - 1;
    }
  }
  let index = arg + 2;
  if (index > N / 2) index = N - index + 2;
  const domain = x[N - 1] - x[0];
  return 1.0 / (domain / (index - 1));
}

/** pywt.scale2frequency: centralFrequency(wavelet, precision) / scale (normalised frequency, cycles per sample). */
export function scale2frequency(wavelet: string | ContinuousWavelet, scale: number, precision?: number): number;
export function scale2frequency(wavelet: string | ContinuousWavelet, scale: ArrayLike<number>, precision?: number): Float64Array;
export function scale2frequency(wavelet: string | ContinuousWavelet, scale: number | ArrayLike<number>, precision = 8): number | Float64Array {
  const cf = centralFrequency(wavelet, precision);
  if (typeof scale === 'number') {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new InvalidParameterError('scale', scale, 'a finite number > 0');
    return cf / scale;
  }
  const s = toSignal(scale, 'scale');
  return s.map((v) => cf / v);
}

