import { tf, InvalidParameterError, type ParamMap } from '@descent/tensor';

/** The name and shape of each tensor of a ParamMap, in a fixed order: how a flat vector is laid out. */
export interface ParamLayout {
  names: string[];
  shapes: number[][];
  /** Total number of entries. */
  size: number;
}

/** The layout of `map` (its keys in insertion order, or `names`). */
export function layoutOf(map: ParamMap, names: string[] = Object.keys(map)): ParamLayout {
  const shapes = names.map((n) => {
    const t = map[n];
    if (!t) throw new InvalidParameterError(`params["${n}"]`, undefined, 'a tensor for every name of the layout');
    return t.shape.slice();
  });
  return { names, shapes, size: shapes.reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0) };
}

/** All entries of `map` in one Float32Array, tensor after tensor in layout order (row-major inside each). */
export function flattenParams(map: ParamMap, layout: ParamLayout = layoutOf(map)): Float32Array {
  const out = new Float32Array(layout.size);
  let at = 0;
  layout.names.forEach((n, i) => {
    const t = map[n];
    if (!t || !tf.util.arraysEqual(t.shape, layout.shapes[i])) throw new InvalidParameterError(`params["${n}"]`, t?.shape, `shape [${layout.shapes[i]}]`);
    const values = t.dataSync();
    out.set(values as Float32Array, at);
    at += values.length;
  });
  return out;
}

/** The inverse of `flattenParams`: new tensors shaped by the layout (the caller owns them). */
export function unflattenParams(vector: ArrayLike<number>, layout: ParamLayout): ParamMap {
  if (vector.length !== layout.size) throw new InvalidParameterError('vector.length', vector.length, `${layout.size} (the layout's size)`);
  const flat = vector instanceof Float32Array ? vector : Float32Array.from(vector);
  const out: ParamMap = {};
  let at = 0;
  layout.names.forEach((n, i) => {
    const size = layout.shapes[i].reduce((a, b) => a * b, 1);
    out[n] = tf.tensor(flat.slice(at, at + size), layout.shapes[i], 'float32');
    at += size;
  });
  return out;
}
