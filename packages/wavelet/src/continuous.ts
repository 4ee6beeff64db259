import { InvalidParameterError } from '@descent/tensor/errors';

/** The continuous wavelet families of pywt 1.1.1 (pywt.wavelist(kind='continuous')). */
export type ContinuousFamily = 'gaus' | 'mexh' | 'morl' | 'cgau' | 'shan' | 'fbsp' | 'cmor';

/** A continuous wavelet as pywt.ContinuousWavelet describes it. */
export interface ContinuousWavelet {
  readonly name: string;
  readonly family: ContinuousFamily;
  /** Support used to sample ψ (pywt's lower_bound, upper_bound). */
  readonly lowerBound: number;
  readonly upperBound: number;
  /** True for cgau, shan, fbsp and cmor: ψ and the CWT are complex. */
  readonly complex: boolean;
  /** Derivative order of gaus/cgau, spline order M of fbsp. */
  readonly order?: number;
  /** B of cmorB-C, shanB-C, fbspM-B-C. */
  readonly bandwidthFrequency?: number;
  /** C of cmorB-C, shanB-C, fbspM-B-C. */
  readonly centerFrequency?: number;
}

/** Sampled wavelet function, pywt's `ContinuousWavelet.wavefun(level)`: ψ on linspace(lower, upper, 2^level). */
export interface WaveFunction {
  x: Float64Array;
  psi: Float64Array;
  /** Imaginary part of ψ for complex wavelets, else null. */
  psiImag: Float64Array | null;
}

const NUM = String.raw`(\d+(?:\.\d+)?)`;
const PARAMETRIC: [ContinuousFamily, RegExp][] = [
  ['cmor', new RegExp(`^cmor${NUM}-${NUM}$`)],
  ['shan', new RegExp(`^shan${NUM}-${NUM}$`)],
  ['fbsp', new RegExp(`^fbsp(\\d+)-${NUM}-${NUM}$`)],
];
const BOUNDS: Record<ContinuousFamily, number> = { gaus: 5, cgau: 5, mexh: 8, morl: 8, cmor: 8, shan: 20, fbsp: 20 };
const ALLOWED =
  'gaus1–gaus8, mexh, morl, cgau1–cgau8, cmorB-C, shanB-C, fbspM-B-C (B > 0 the bandwidth, C ≥ 0 the center frequency, M ≥ 1 an integer; e.g. cmor1.5-1.0)';

/** Names of the continuous wavelets without parameters; cmorB-C, shanB-C and fbspM-B-C take them in the name. */
export function continuousWavelets(): string[] {
  const out: string[] = [];
  for (let i = 1; i <= 8; i++) out.push(`gaus${i}`);
  out.push('mexh', 'morl');
  for (let i = 1; i <= 8; i++) out.push(`cgau${i}`);
  return out;
}

/** Parses a continuous wavelet name (see {@link ContinuousWavelet}). */
export function continuousWavelet(name: string): ContinuousWavelet {
  const make = (family: ContinuousFamily, extra: Partial<ContinuousWavelet> = {}): ContinuousWavelet =>
    Object.freeze({ name, family, lowerBound: -BOUNDS[family], upperBound: BOUNDS[family], complex: !['gaus', 'mexh', 'morl'].includes(family), ...extra });
  if (typeof name !== 'string') throw new InvalidParameterError('wavelet', name, ALLOWED);
  if (name === 'mexh' || name === 'morl') return make(name);
  const g = /^(gaus|cgau)([1-8])$/.exec(name);
  if (g) return make(g[1] as 'gaus' | 'cgau', { order: Number(g[2]) });
  for (const [family, re] of PARAMETRIC) {
    const m = re.exec(name);
    if (!m) continue;
    const nums = m.slice(1).map(Number);
    const order = family === 'fbsp' ? nums[0] : undefined;
    const [B, C] = nums.slice(family === 'fbsp' ? 1 : 0);
    if (!(B > 0) || !(C >= 0) || (order !== undefined && order < 1)) break;
    return make(family, { bandwidthFrequency: B, centerFrequency: C, ...(order !== undefined ? { order } : {}) });
  }
  throw new InvalidParameterError('wavelet', name, ALLOWED);
}

export function toContinuous(w: unknown): ContinuousWavelet {
  if (typeof w === 'string') return continuousWavelet(w);
  if (w && typeof w === 'object' && typeof (w as ContinuousWavelet).name === 'string') return continuousWavelet((w as ContinuousWavelet).name);
  throw new InvalidParameterError('wavelet', w, ALLOWED);
}

/** numpy.linspace(lo, hi, n) bit for bit: i·step + lo, the last point set to hi. */
export function linspace(lo: number, hi: number, n: number): Float64Array {
  const x = new Float64Array(n);
  const step = (hi - lo) / (n - 1);
  for (let i = 0; i < n; i++) x[i] = i * step + lo;
  x[n - 1] = hi;
  return x;
}

/**
 * ψ sampled like pywt's `wavefun(precision)`: 2^precision points from lowerBound to upperBound.
 * The formulas are pywt's (cwt.template.c); gaus and cgau are the normalised derivatives of
 * e^(−x²) and e^(−ix)·e^(−x²), with pywt's sign convention for gaus.
 */
export function wavefun(wavelet: string | ContinuousWavelet, precision = 8): WaveFunction {
  const w = toContinuous(wavelet);
  if (!Number.isInteger(precision) || precision < 1 || precision > 24) throw new InvalidParameterError('precision', precision, 'an integer 1 … 24');
  const x = linspace(w.lowerBound, w.upperBound, 2 ** precision);
  const psi = new Float64Array(x.length);
  const psiImag = w.complex ? new Float64Array(x.length) : null;
  evaluate(w, x, psi, psiImag);
  return { x, psi, psiImag };
}

// Polynomials p(x)·e^(−x²) of pywt's gaus1…gaus8 (coefficients by ascending power) and their
// divisors: pywt divides by sqrt(K·sqrt(π/2)), K the squared norm in units of sqrt(π/2).
const GAUS: [number[], number][] = [
  [[0, -2], 1],
  [[2, 0, -4], 3],
  [[0, -12, 0, 8], 15],
  [[12, 0, -48, 0, 16], 105],
  [[0, -120, 0, 160, 0, -32], 945],
  [[120, 0, -720, 0, 480, 0, -64], 10395],
  [[0, -1680, 0, 3360, 0, -1344, 0, 128], 135135],
  [[1680, 0, -13440, 0, 13440, 0, -3584, 0, 256], 2027025],
];

/**
 * d^p/dx^p [e^(−ix)·e^(−x²)] = P(x)·e^(−ix)·e^(−x²), P complex with integer coefficients
 * (P' + (−i − 2x)·P per derivative), and the squared L2 norm of that derivative in units of
 * sqrt(π/2): ∫|P|²e^(−2x²)dx = sqrt(π/2)·Σ c_2k (2k−1)!!/4^k (2, 10, 76, … as pywt hard-codes).
 */
function cgauPoly(p: number): { re: number[]; im: number[]; K: number } {
  let re = [1];
  let im = [0];
  for (let s = 0; s < p; s++) {
    const nr = new Array<number>(re.length + 1).fill(0);
    const ni = new Array<number>(re.length + 1).fill(0);
    for (let k = 1; k < re.length; k++) {
      nr[k - 1] += k * re[k];
      ni[k - 1] += k * im[k];
    }
    for (let k = 0; k < re.length; k++) {
      nr[k] += im[k]; // −i·(re + i·im) = im − i·re
      ni[k] -= re[k];
      nr[k + 1] -= 2 * re[k];
      ni[k + 1] -= 2 * im[k];
    }
    re = nr;
    im = ni;
  }
  let K = 0;
  for (let a = 0; a < re.length; a++) {
    for (let b = 0; b < re.length; b++) {
      if ((a + b) % 2) continue;
      const k = (a + b) / 2;
      let dfact = 1;
      for (let t = 2 * k - 1; t > 1; t -= 2) dfact *= t;
      K += (re[a] * re[b] + im[a] * im[b]) * (dfact / 4 ** k);
    }
  }
  return { re, im, K };
}

const horner = (c: readonly number[], x: number): number => {
  let s = 0;
  for (let k = c.length - 1; k >= 0; k--) s = s * x + c[k];
  return s;
};

/** Writes ψ(x) (real part into re, imaginary into im for complex wavelets). */
export function evaluate(w: ContinuousWavelet, x: Float64Array, re: Float64Array, im: Float64Array | null): void {
  const n = x.length;
  switch (w.family) {
    case 'gaus': {
      const [poly, K] = GAUS[w.order! - 1];
      const norm = Math.sqrt(K * Math.sqrt(Math.PI / 2));
      for (let i = 0; i < n; i++) re[i] = (horner(poly, x[i]) * Math.exp(-(x[i] * x[i]))) / norm;
      return;
    }
    case 'mexh': {
      const c = 2 / (Math.sqrt(3) * Math.sqrt(Math.sqrt(Math.PI)));
      for (let i = 0; i < n; i++) re[i] = (1 - x[i] * x[i]) * Math.exp(-(x[i] * x[i]) / 2) * c;
      return;
    }
    case 'morl':
      for (let i = 0; i < n; i++) re[i] = Math.cos(5 * x[i]) * Math.exp(-(x[i] * x[i]) / 2);
      return;
    case 'cgau': {
      const { re: pr, im: pi, K } = cgauPoly(w.order!);
      const norm = Math.sqrt(K * Math.sqrt(Math.PI / 2));
      for (let i = 0; i < n; i++) {
        const t = x[i];
        const a = horner(pr, t), b = horner(pi, t);
        const c = Math.cos(t), s = Math.sin(t), g = Math.exp(-(t * t));
        // (a + ib)·(cos t − i sin t)·e^(−t²)
        re[i] = ((a * c + b * s) * g) / norm;
        im![i] = ((b * c - a * s) * g) / norm;
      }
      return;
    }
    case 'cmor': {
      const B = w.bandwidthFrequency!, C = w.centerFrequency!;
      const norm = Math.sqrt(Math.PI * B);
      for (let i = 0; i < n; i++) {
        const t = x[i];
        const g = Math.exp(-(t * t) / B);
        re[i] = (Math.cos(2 * Math.PI * C * t) * g) / norm;
        im![i] = (Math.sin(2 * Math.PI * C * t) * g) / norm;
      }
      return;
    }
    case 'shan':
    case 'fbsp': {
      const B = w.bandwidthFrequency!, C = w.centerFrequency!;
      const M = w.family === 'fbsp' ? w.order! : 1;
      const sb = Math.sqrt(B);
      for (let i = 0; i < n; i++) {
        const t = x[i];
        // sinc(B·t/M)^M, 1 at t = 0
        const u = (Math.PI * t * B) / M;
        const env = t === 0 ? sb : sb * (M === 1 ? Math.sin(u) / u : Math.pow(Math.sin(u) / u, M));
        re[i] = Math.cos(2 * Math.PI * C * t) * env;
        im![i] = Math.sin(2 * Math.PI * C * t) * env;
      }
      return;
    }
  }
}
