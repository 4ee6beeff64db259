import { InvalidParameterError } from '@descent/tensor/errors';
import { FILTERS } from './filters-data';

/**
 * A discrete wavelet: its four filters, pywt's `Wavelet(name).filter_bank` bit for bit.
 * Any object of this shape works as a custom wavelet (all four filters of one even length).
 */
export interface Wavelet {
  readonly name: string;
  /** pywt's short family name: haar, db, sym, coif, bior, rbio, dmey (or 'custom'). */
  readonly family: string;
  readonly decLo: Float64Array;
  readonly decHi: Float64Array;
  readonly recLo: Float64Array;
  readonly recHi: Float64Array;
}

/** A wavelet name such as 'db4', 'sym8', 'bior2.2', or a {@link Wavelet} object. */
export type WaveletLike = string | Wavelet;

const cache = new Map<string, Wavelet>();

/** Names of the discrete wavelets, in pywt.wavelist(kind='discrete') order; optionally one family. */
export function discreteWavelets(family?: string): string[] {
  const names = Object.keys(FILTERS);
  return family === undefined ? names : names.filter((n) => FILTERS[n].family === family);
}

/**
 * The discrete wavelet `name` (haar, db1–db38, sym2–sym20, coif1–coif17, bior1.1…bior6.8,
 * rbio1.1…rbio6.8, dmey). Filters are derived from the stored taps by the rules pywt uses:
 * recLo = reversed decLo (orthogonal families), decHi[i] = (−1)^(i+1)·recLo[i],
 * recHi[i] = (−1)^i·decLo[i].
 */
export function wavelet(name: string): Wavelet {
  const hit = cache.get(name);
  if (hit) return hit;
  const stored = typeof name === 'string' && Object.prototype.hasOwnProperty.call(FILTERS, name) ? FILTERS[name] : undefined;
  if (!stored) throw new InvalidParameterError('wavelet', name, `a discrete wavelet name: ${familySummary()}`);
  const decLo = Float64Array.from(stored.decLo);
  const recLo = stored.recLo ? Float64Array.from(stored.recLo) : decLo.slice().reverse();
  const F = decLo.length;
  const decHi = new Float64Array(F);
  const recHi = new Float64Array(F);
  for (let i = 0; i < F; i++) {
    decHi[i] = i % 2 === 1 ? recLo[i] : -recLo[i];
    recHi[i] = i % 2 === 0 ? decLo[i] : -decLo[i];
  }
  const w: Wavelet = Object.freeze({ name, family: stored.family, decLo, decHi, recLo, recHi });
  cache.set(name, w);
  return w;
}

/** Resolves a name or validates a custom Wavelet object. */
export function toWavelet(w: unknown, parameter = 'wavelet'): Wavelet {
  if (typeof w === 'string') return wavelet(w);
  const o = w as Wavelet;
  if (o == null || typeof o !== 'object') throw new InvalidParameterError(parameter, w, `a discrete wavelet name (${familySummary()}) or a Wavelet object`);
  if (cache.get(o.name) === o) return o;
  const F = o.decLo?.length;
  for (const key of ['decLo', 'decHi', 'recLo', 'recHi'] as const) {
    const f = o[key];
    if (!(f instanceof Float64Array) || f.length !== F || F < 2 || F % 2 !== 0) {
      throw new InvalidParameterError(`${parameter}.${key}`, f instanceof Float64Array ? `length ${f.length}` : f, 'a Float64Array; all four filters of one even length ≥ 2');
    }
    for (let i = 0; i < F; i++) if (!Number.isFinite(f[i])) throw new InvalidParameterError(`${parameter}.${key}[${i}]`, f[i], 'a finite number');
  }
  return o;
}

/** Filter length of a wavelet (pywt's dec_len). */
export function filterLength(w: WaveletLike): number {
  return toWavelet(w).decLo.length;
}

function familySummary(): string {
  return 'haar, db1–db38, sym2–sym20, coif1–coif17, bior1.1/1.3/1.5/2.2/2.4/2.6/2.8/3.1/3.3/3.5/3.7/3.9/4.4/5.5/6.8, rbio (same orders), dmey';
}
