import { InvalidParameterError } from '@descent/tensor/errors';
import { splitDiagram, type DiagramInput } from './diagram';
import { normalMass } from './erf';

export interface SummaryOptions {
  /** Dimension to summarise when the diagram is a `cubicalPersistence` result with several dimensions. */
  readonly dimension?: number;
}

/**
 * Degree-p total persistence: the sum of (death - birth)^p over the finite points. Essential points
 * are left out (their persistence is infinite).
 */
export function totalPersistence(diagram: DiagramInput, options: SummaryOptions & { readonly order?: number } = {}): number {
  const { order = 1 } = options;
  if (typeof order !== 'number' || !Number.isFinite(order) || order <= 0) throw new InvalidParameterError('order', order, 'a finite number > 0');
  const d = splitDiagram(diagram, 'diagram', options.dimension);
  let sum = 0;
  for (let i = 0; i < d.births.length; i++) sum += (d.deaths[i] - d.births[i]) ** order;
  return sum;
}

/**
 * Persistence entropy (Chintakunta et al. 2015; gudhi.representations.Entropy, mode 'scalar'):
 * -sum p_i log p_i with p_i = l_i / sum l, l_i = death - birth, natural logarithm.
 * Only finite points count; points of zero length contribute 0 (the limit of p log p), where
 * GUDHI would produce NaN. An empty diagram has entropy 0.
 */
export function persistenceEntropy(diagram: DiagramInput, options: SummaryOptions = {}): number {
  const d = splitDiagram(diagram, 'diagram', options.dimension);
  let total = 0;
  for (let i = 0; i < d.births.length; i++) total += d.deaths[i] - d.births[i];
  if (total === 0) return 0;
  let h = 0;
  for (let i = 0; i < d.births.length; i++) {
    const p = (d.deaths[i] - d.births[i]) / total;
    if (p > 0) h -= p * Math.log(p);
  }
  return h;
}

export interface BettiCurveOptions extends SummaryOptions {
  /** Evaluate at these points (any order). Overrides `range` and `resolution`. */
  readonly grid?: ArrayLike<number>;
  /** [min, max] of an evenly spaced grid, endpoints included; default [smallest birth, largest finite death]. */
  readonly range?: readonly [number, number];
  /** Number of grid points; default 100. */
  readonly resolution?: number;
}

export interface BettiCurve {
  readonly grid: Float64Array;
  /** Number of classes alive at each grid point: #{ i : birth_i <= x < death_i }, essential ones included. */
  readonly values: Int32Array;
}

/**
 * Betti curve: the number of classes alive at each grid value, as gudhi.representations.BettiCurve
 * with a predefined grid. O((n + g) log n).
 */
export function bettiCurve(diagram: DiagramInput, options: BettiCurveOptions = {}): BettiCurve {
  const d = splitDiagram(diagram, 'diagram', options.dimension);
  const births = Float64Array.from([...d.births, ...d.essentialBirths, ...Array(d.essentialDeaths.length + d.bothInfinite).fill(-Infinity)]).sort();
  const deaths = Float64Array.from([...d.deaths, ...d.essentialDeaths, ...Array(d.essentialBirths.length + d.bothInfinite).fill(Infinity)]).sort();
  let grid: Float64Array;
  if (options.grid !== undefined) {
    grid = Float64Array.from(options.grid as ArrayLike<number>);
    grid.forEach((x, i) => {
      if (Number.isNaN(x)) throw new InvalidParameterError(`grid[${i}]`, x, 'a number');
    });
  } else {
    const resolution = options.resolution ?? 100;
    if (!Number.isInteger(resolution) || resolution < 1) throw new InvalidParameterError('resolution', resolution, 'an integer >= 1');
    let range = options.range;
    if (range === undefined) {
      const lo = Math.min(extent(d.births)[0], extent(d.essentialBirths)[0]);
      const first = Number.isFinite(lo) ? lo : 0;
      const hi = d.deaths.length > 0 ? extent(d.deaths)[1] : first;
      range = [first, hi];
    }
    checkRange('range', range, 2);
    grid = linspace(range[0], range[1], resolution);
  }
  // Count births <= x and deaths <= x by binary search: the curve is their difference.
  const values = Int32Array.from(grid, (x) => upperBound(births, x) - upperBound(deaths, x));
  return { grid, values };
}

export interface PersistenceImageOptions extends SummaryOptions {
  /** [pixels along birth, pixels along persistence]; default [20, 20]. */
  readonly resolution?: readonly [number, number];
  /** Standard deviation of the gaussian kernel; default 1 (GUDHI's default). */
  readonly bandwidth?: number;
  /** [birthMin, birthMax, persistenceMin, persistenceMax]; default the extent of the diagram, as GUDHI's fit(). */
  readonly range?: readonly [number, number, number, number];
  /**
   * Weight of a point: 'linear' (default, Adams et al.): min(persistence / maxPersistence, 1);
   * 'constant': 1; or a function of (birth, persistence).
   */
  readonly weight?: 'linear' | 'constant' | ((birth: number, persistence: number) => number);
  /** Persistence at which the linear weight reaches 1; default the largest persistence in the diagram. */
  readonly maxPersistence?: number;
  /**
   * 'integrate' (default, Adams et al. 2017): each pixel holds the weighted gaussian mass over its
   * area, the range split into resolution pixels. 'sample' (gudhi.representations.PersistenceImage):
   * the weighted gaussian density at resolution evenly spaced points, endpoints included.
   */
  readonly mode?: 'integrate' | 'sample';
}

export interface PersistenceImage {
  /** Pixels along birth (columns). */
  readonly width: number;
  /** Pixels along persistence (rows). */
  readonly height: number;
  /** Row-major, row = persistence index (GUDHI's flattening). */
  readonly data: Float64Array;
}

/**
 * Persistence image (Adams et al., JMLR 2017): the finite points moved to (birth, persistence)
 * coordinates, each spread by a gaussian of standard deviation `bandwidth` and weighted, then
 * discretised. Cost O(n * (width + height) + n * width * height) with separable kernels.
 */
export function persistenceImage(diagram: DiagramInput, options: PersistenceImageOptions = {}): PersistenceImage {
  const { resolution = [20, 20], bandwidth = 1, weight = 'linear', mode = 'integrate' } = options;
  if (!Array.isArray(resolution) || resolution.length !== 2 || !resolution.every((r) => Number.isInteger(r) && r >= 1)) {
    throw new InvalidParameterError('resolution', resolution, '[width, height], two integers >= 1');
  }
  if (typeof bandwidth !== 'number' || !Number.isFinite(bandwidth) || bandwidth <= 0) throw new InvalidParameterError('bandwidth', bandwidth, 'a finite number > 0');
  if (mode !== 'integrate' && mode !== 'sample') throw new InvalidParameterError('mode', mode, "'integrate' or 'sample'");
  if (weight !== 'linear' && weight !== 'constant' && typeof weight !== 'function') throw new InvalidParameterError('weight', weight, "'linear', 'constant' or a function (birth, persistence) => number");
  const d = splitDiagram(diagram, 'diagram', options.dimension);
  const n = d.births.length;
  const pers = Float64Array.from(d.births, (b, i) => d.deaths[i] - b);
  let maxPers = 0;
  for (const p of pers) maxPers = Math.max(maxPers, p);
  const pmax = options.maxPersistence ?? maxPers;
  if (weight === 'linear' && n > 0 && (typeof pmax !== 'number' || !(pmax > 0) || !Number.isFinite(pmax))) {
    throw new InvalidParameterError('maxPersistence', pmax, 'a finite number > 0');
  }
  let range = options.range;
  if (range === undefined) {
    // spread arguments would overflow the stack for large diagrams: loop instead
    const bx = n > 0 ? extent(d.births) : [0, 1];
    const py = n > 0 ? extent(pers) : [0, 1];
    range = [bx[0], bx[1], py[0], py[1]];
  }
  checkRange('range', range, 4);
  const [width, height] = resolution;
  const data = new Float64Array(width * height);
  const w = Float64Array.from(d.births, (b, i) => {
    const p = pers[i];
    if (weight === 'constant') return 1;
    if (weight === 'linear') return p <= 0 ? 0 : Math.min(p / pmax, 1);
    return weight(b, p);
  });
  // The gaussian is a product of a birth factor and a persistence factor: one table per axis.
  const fx = new Float64Array(width);
  const fy = new Float64Array(height);
  if (mode === 'sample') {
    const xs = linspace(range[0], range[1], width);
    const ys = linspace(range[2], range[3], height);
    const twoVar = 2 * (bandwidth * bandwidth);
    const norm = bandwidth * bandwidth * 2 * Math.PI;
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < height; j++) {
        const dy = pers[k] - ys[j];
        for (let i = 0; i < width; i++) {
          const dx = d.births[k] - xs[i];
          // same operations as GUDHI: exp((-dx^2 - dy^2) / (2 s^2)) / (s^2 * 2 pi)
          data[j * width + i] += w[k] * (Math.exp((-(dx * dx) - dy * dy) / twoVar) / norm);
        }
      }
    }
  } else {
    const xe = linspace(range[0], range[1], width + 1);
    const ye = linspace(range[2], range[3], height + 1);
    for (let k = 0; k < n; k++) {
      if (w[k] === 0) continue;
      for (let i = 0; i < width; i++) fx[i] = normalMass((xe[i] - d.births[k]) / bandwidth, (xe[i + 1] - d.births[k]) / bandwidth);
      for (let j = 0; j < height; j++) fy[j] = normalMass((ye[j] - pers[k]) / bandwidth, (ye[j + 1] - pers[k]) / bandwidth);
      for (let j = 0; j < height; j++) {
        const wy = w[k] * fy[j];
        for (let i = 0; i < width; i++) data[j * width + i] += wy * fx[i];
      }
    }
  }
  return { width, height, data };
}

/** [min, max] of an array ([Infinity, -Infinity] when empty). */
function extent(xs: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/** numpy.linspace: start + i * step, the last point exactly `stop`. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function checkRange(name: string, range: readonly number[], length: number): void {
  if (!Array.isArray(range) || range.length !== length || !range.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new InvalidParameterError(name, range, `${length} finite numbers`);
  }
  for (let i = 0; i < length; i += 2) {
    if (range[i] > range[i + 1]) throw new InvalidParameterError(name, range, `[min, max] pairs with min <= max`);
  }
}
