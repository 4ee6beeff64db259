import { PCA } from 'ml-pca';
import { Matrix } from 'ml-matrix';
import { checkNumber, InvalidParameterError, type ParamMap } from '@descent/tensor';
import { flattenParams, layoutOf, unflattenParams, type ParamLayout } from './flatten';

/** A point of a weight-space trajectory: a ParamMap (e.g. a checkpoint) or its flattened weights. */
export type TrajectoryPoint = ParamMap | Float32Array | Float64Array;

export interface TrajectoryPca {
  /** coordinates[i][k]: point i on principal component k (centred on the mean of the points). */
  coordinates: number[][];
  /** Share of the total variance on each returned component. */
  explainedVarianceRatio: number[];
  /** The components (unit vectors in flattened weight space), `components` of them. */
  components: Float64Array[];
  /** Mean of the flattened points. */
  mean: Float64Array;
}

function flatRows(points: TrajectoryPoint[], layout?: ParamLayout): Float64Array[] {
  if (!Array.isArray(points) || points.length < 2) throw new InvalidParameterError('points', Array.isArray(points) ? points.length : points, 'at least 2 trajectory points');
  let size = -1;
  return points.map((p, i) => {
    const flat = p instanceof Float32Array || p instanceof Float64Array ? p : flattenParams(p, layout ?? layoutOf(p));
    if (size >= 0 && flat.length !== size) throw new InvalidParameterError(`points[${i}].length`, flat.length, `${size} (the same weights at every point)`);
    size = flat.length;
    return Float64Array.from(flat);
  });
}

/**
 * Fixes the sign of each component so that the point with the largest |coordinate| on it is
 * positive: scikit-learn 1.2's `svd_flip` (u-based), so results compare with sklearn's PCA.
 */
function flipSigns(coordinates: number[][], components: Float64Array[]): void {
  components.forEach((c, k) => {
    let best = 0;
    for (const row of coordinates) if (Math.abs(row[k]) > Math.abs(best)) best = row[k];
    if (best < 0) {
      for (const row of coordinates) row[k] = -row[k];
      for (let j = 0; j < c.length; j++) c[j] = -c[j];
    }
  });
}

/**
 * PCA of flattened weights along a training run (the book: PCA(2) of the weights after each of
 * 15 epochs), with ml-pca (SVD of the centred points). Coordinates are the projections of the
 * points, i.e. the path of training in the plane of the first components.
 */
export function trajectoryPca(points: TrajectoryPoint[], options: { components?: number } = {}): TrajectoryPca {
  const rows = flatRows(points);
  const k = checkNumber('components', options.components ?? 2, { min: 1, max: Math.min(rows.length, rows[0].length), integer: true });
  // ml-matrix copies typed-array rows as they are (its types only name number[][]).
  const data = new Matrix(rows as unknown as number[][]);
  const pca = new PCA(data, { method: 'SVD', center: true, scale: false });
  const projected = pca.predict(new Matrix(rows as unknown as number[][]), { nComponents: k });
  const coordinates = Array.from({ length: rows.length }, (_, i) => projected.getRow(i));
  const U = pca.getEigenvectors();
  const components = Array.from({ length: k }, (_, j) => Float64Array.from(U.getColumn(j)));
  flipSigns(coordinates, components);
  const mean = new Float64Array(rows[0].length);
  for (const r of rows) for (let j = 0; j < r.length; j++) mean[j] += r[j] / rows.length;
  return { coordinates, explainedVarianceRatio: pca.getExplainedVariance().slice(0, k), components, mean };
}

export interface PcaDirections {
  /** The first two principal directions, unit norm, shaped like the weights (the caller owns them). */
  directions: [ParamMap, ParamMap];
  /** The trajectory in the plane: (⟨θᵢ − θ_last, d₁⟩, ⟨θᵢ − θ_last, d₂⟩) for every point. */
  path: Array<[number, number]>;
  explainedVarianceRatio: number[];
}

/**
 * Directions for a loss surface around the last point of a trajectory that the trajectory lies
 * close to (Li et al. 2018, §7): PCA of θᵢ − θ_last over the points, the first two components
 * as directions, and the path projected onto them. `layout` fixes the parameter order (default:
 * the last point's keys); pass ParamMaps so the directions can be shaped.
 */
export function pcaDirections(points: ParamMap[], options: { layout?: ParamLayout } = {}): PcaDirections {
  if (!Array.isArray(points) || points.length < 3) throw new InvalidParameterError('points', Array.isArray(points) ? points.length : points, 'at least 3 ParamMaps (two components need three points)');
  const layout = options.layout ?? layoutOf(points[points.length - 1]);
  const rows = flatRows(points, layout);
  const last = rows[rows.length - 1];
  const diffs = rows.slice(0, -1).map((r) => r.map((v, j) => v - last[j]));
  const { components, explainedVarianceRatio } = trajectoryPca(diffs, { components: 2 });
  const path = rows.map((r) => {
    const c: [number, number] = [0, 0];
    for (let k = 0; k < 2; k++) {
      let s = 0;
      for (let j = 0; j < r.length; j++) s += (r[j] - last[j]) * components[k][j];
      c[k] = s;
    }
    return c;
  });
  const directions = components.map((c) => unflattenParams(Float32Array.from(c), layout)) as [ParamMap, ParamMap];
  return { directions, path, explainedVarianceRatio };
}
