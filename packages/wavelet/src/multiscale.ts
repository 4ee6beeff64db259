import { InvalidParameterError } from '@descent/tensor/errors';
import { fromRows, type Array2D } from './array2d';
import type { WaveletLike } from './filters';
import type { Mode } from './modes';
import { wavedec2 } from './dwt2';
import { checkArray2D } from './validate';

/** Options of {@link multiscaleAnalysis}; the defaults are the book's pywt.wavedec2(Z, 'haar', level=2). */
export interface MultiscaleOptions {
  /** Discrete wavelet (default 'haar'). */
  wavelet?: WaveletLike;
  /** Decomposition depth (default 2; at most dwtMaxLevel of the smaller side). */
  level?: number;
  /** Extension mode (default 'symmetric', pywt's default). */
  mode?: Mode;
}

/** The detail bands of one level and what they say about the surface at that scale. */
export interface DetailLevel {
  /** Wavelet level: 1 is the finest scale (first decomposition step), `level` the coarsest. */
  level: number;
  horizontal: Array2D;
  vertical: Array2D;
  diagonal: Array2D;
  /** √(H² + V² + D²) per coefficient: where the surface changes at this scale. */
  magnitude: Array2D;
  /** Σ (H² + V² + D²). */
  energy: number;
  /** energy / totalEnergy. */
  share: number;
}

/** Result of {@link multiscaleAnalysis}. */
export interface MultiscaleResult {
  /** cA at the coarsest level: the surface's overall shape. */
  approximation: Array2D;
  approximationEnergy: number;
  approximationShare: number;
  /** pywt's order, coarsest first: details[0] is level `level`, the last entry level 1. */
  details: DetailLevel[];
  /** Sum of squares of all coefficients (for orthogonal wavelets without boundary effects, Σ grid²). */
  totalEnergy: number;
  /**
   * Share of the surface's variation carried by the detail coefficients, in [0, 1]: the same
   * decomposition applied to grid − mean(grid), detail energy / (detail + approximation energy).
   * 0 for a constant surface, near 1 for white noise; unchanged by adding a constant to the
   * loss or scaling it.
   */
  roughness: number;
}

const sumSq = (a: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s;
};

/**
 * Multiscale analysis of a 2-D loss surface (the book's analyze_loss_surface_multiscale):
 * wavedec2 of the grid, the approximation, and per level the detail magnitude map
 * √(H² + V² + D²), its energy and share, plus a roughness index. `grid` is an Array2D or
 * nested rows (number[][]); any size works as long as `level` fits.
 */
export function multiscaleAnalysis(grid: Array2D | readonly ArrayLike<number>[], options: MultiscaleOptions = {}): MultiscaleResult {
  const Z = Array.isArray(grid) ? fromRows(grid) : checkArray2D(grid, 'grid');
  const wavelet = options.wavelet ?? 'haar';
  const level = options.level ?? 2;
  if (!Number.isInteger(level) || level < 1) throw new InvalidParameterError('level', level, 'an integer ≥ 1');
  const opts = { level, mode: options.mode ?? 'symmetric' };
  const [cA, ...det] = wavedec2(Z, wavelet, opts);

  const approximationEnergy = sumSq(cA.data);
  const bands = det.map(([H, V, D], i) => {
    const mag = new Float64Array(H.data.length);
    for (let k = 0; k < mag.length; k++) mag[k] = Math.sqrt(H.data[k] ** 2 + V.data[k] ** 2 + D.data[k] ** 2);
    const energy = sumSq(H.data) + sumSq(V.data) + sumSq(D.data);
    return { level: level - i, horizontal: H, vertical: V, diagonal: D, magnitude: { data: mag, rows: H.rows, cols: H.cols }, energy, share: 0 };
  });
  const totalEnergy = approximationEnergy + bands.reduce((s, b) => s + b.energy, 0);
  for (const b of bands) b.share = totalEnergy > 0 ? b.energy / totalEnergy : 0;

  // Roughness on the mean-free surface, so the loss level itself does not count as structure.
  let mean = 0;
  for (let i = 0; i < Z.data.length; i++) mean += Z.data[i];
  mean /= Z.data.length;
  const [cAc, ...detc] = wavedec2({ data: Z.data.map((v) => v - mean), rows: Z.rows, cols: Z.cols }, wavelet, opts);
  const detailC = detc.reduce((s, [H, V, D]) => s + sumSq(H.data) + sumSq(V.data) + sumSq(D.data), 0);
  const allC = detailC + sumSq(cAc.data);

  return {
    approximation: cA,
    approximationEnergy,
    approximationShare: totalEnergy > 0 ? approximationEnergy / totalEnergy : 0,
    details: bands,
    totalEnergy,
    roughness: allC > 0 ? detailC / allC : 0,
  };
}
