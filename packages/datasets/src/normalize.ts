import { InvalidParameterError, checkNumber } from '@descent/tensor';

/** Per-channel (or one shared) mean and standard deviation, applied after scaling bytes to [0, 1]. */
export interface Normalization {
  mean: number | readonly number[];
  std: number | readonly number[];
}

/** The book's normalisation for every data set: Normalize(mean 0.5, std 0.5), i.e. [0, 1] → [-1, 1]. */
export const BOOK_NORMALIZATION: Normalization = Object.freeze({ mean: 0.5, std: 0.5 });

function perChannel(name: 'mean' | 'std', value: number | readonly number[], channels: number): number[] {
  const values = typeof value === 'number' ? new Array<number>(channels).fill(value) : [...value];
  if (values.length !== channels) {
    throw new InvalidParameterError(`normalize.${name}`, value, `one number, or ${channels} numbers (one per channel)`);
  }
  values.forEach((v) => checkNumber(`normalize.${name}`, v, name === 'std' ? { min: 0, minExclusive: true } : {}));
  return values;
}

/**
 * A table of the float32 value of every byte 0..255 in every channel (index `c * 256 + byte`),
 * computed in float32 in the order torchvision uses — ToTensor: x.float().div(255), then
 * Normalize: .sub_(mean).div_(std) — so that batches equal torch's bit for bit.
 * `false` gives ToTensor alone ([0, 1]).
 */
export function normalizationTable(normalize: Normalization | false, channels: number): Float32Array {
  const table = new Float32Array(256 * channels);
  const mean = normalize ? perChannel('mean', normalize.mean, channels).map(Math.fround) : null;
  const std = normalize ? perChannel('std', normalize.std, channels).map(Math.fround) : null;
  for (let c = 0; c < channels; c++) {
    for (let b = 0; b < 256; b++) {
      const unit = Math.fround(b / 255);
      table[c * 256 + b] = mean && std ? Math.fround(Math.fround(unit - mean[c]) / std[c]) : unit;
    }
  }
  return table;
}
