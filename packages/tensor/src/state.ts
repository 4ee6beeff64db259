import * as tf from './tf';

/**
 * Optimizer state: a plain tree of tensors and numbers. Plain means it can be walked, saved,
 * restored and merged without knowing which transform made it.
 */
export type StateTree = tf.Tensor | number | null | undefined | StateTree[] | { [key: string]: StateTree };

/** A flattened state entry: `path` is the tree path, `tensor` holds a tensor or a number as a scalar. */
export interface NamedStateTensor {
  name: string;
  tensor: tf.Tensor;
}

function isTensor(x: unknown): x is tf.Tensor {
  return x instanceof tf.Tensor;
}

// Path segments: object keys escaped JSON-pointer style (variable names contain '/'); array
// indices written "#i"; a leaf that was a number carries the suffix "$d" (float64 bits as two
// int32 words; "$n", a float32 scalar, is still read), empty containers "$o" / "$a".
/** How a key appears as a path segment in `flattenState` names. */
export const escapeStateKey = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1').replace(/^#/, '~2').replace(/\$/g, '~3');
const unesc = (k: string) => k.replace(/~3/g, '$').replace(/~2/g, '#').replace(/~1/g, '/').replace(/~0/g, '~');

/** Every tensor of the tree (for disposing, counting bytes). */
export function stateTensors(tree: StateTree, out: tf.Tensor[] = []): tf.Tensor[] {
  if (isTensor(tree)) out.push(tree);
  else if (Array.isArray(tree)) for (const x of tree) stateTensors(x, out);
  else if (tree && typeof tree === 'object') for (const k of Object.keys(tree)) stateTensors(tree[k], out);
  return out;
}

/** Bytes held by the tensors of the tree. */
export function stateBytes(tree: StateTree): number {
  let n = 0;
  for (const t of stateTensors(tree)) n += t.size * (t.dtype === 'bool' ? 1 : 4);
  return n;
}

/** Disposes the tensors of `old` that are not also in `keep` (state updates may pass tensors through). */
export function disposeReplaced(old: StateTree, keep: StateTree): void {
  const kept = new Set(stateTensors(keep).map((t) => t.id));
  for (const t of stateTensors(old)) if (!kept.has(t.id) && !t.isDisposed) t.dispose();
}

/** Flattens a tree into named tensors (numbers become float64-exact-enough scalars). New tensors are owned by the caller. */
export function flattenState(tree: StateTree, prefix = ''): NamedStateTensor[] {
  const out: NamedStateTensor[] = [];
  const walk = (node: StateTree, path: string) => {
    if (isTensor(node)) out.push({ name: path, tensor: node.clone() });
    // Numbers (hyperparameters, step counts) keep all 64 bits: two int32 words, so a restored
    // β2 = 0.999 is exactly 0.999 and a resumed run matches an uninterrupted one.
    else if (typeof node === 'number') out.push({ name: `${path}$d`, tensor: tf.tensor1d(new Int32Array(new Float64Array([node]).buffer), 'int32') });
    else if (Array.isArray(node)) {
      if (node.length === 0) out.push({ name: `${path}$a`, tensor: tf.scalar(0) });
      node.forEach((x, i) => walk(x, `${path}/#${i}`));
    } else if (node && typeof node === 'object') {
      // Empty containers are recorded too, so that a slot like {} survives a round trip.
      if (Object.keys(node).length === 0) out.push({ name: `${path}$o`, tensor: tf.scalar(0) });
      for (const k of Object.keys(node)) walk(node[k], `${path}/${escapeStateKey(k)}`);
    }
  };
  walk(tree, prefix);
  return out;
}

/** Renames parameter keys inside flattened state names (e.g. after a model was rebuilt with other auto-generated names). */
export function renameStateKeys(entries: NamedStateTensor[], renames: Record<string, string>): NamedStateTensor[] {
  const bySegment = new Map(Object.entries(renames).map(([from, to]) => [escapeStateKey(from), escapeStateKey(to)]));
  if (bySegment.size === 0) return entries;
  return entries.map((e) => ({ ...e, name: e.name.split('/').map((seg) => bySegment.get(seg) ?? seg).join('/') }));
}

/** Rebuilds a tree from `flattenState` output. Numbers are read back synchronously. Tensors are cloned. */
export function unflattenState(entries: NamedStateTensor[], prefix = ''): StateTree {
  let root: StateTree = undefined;
  for (const { name, tensor } of entries) {
    if (!name.startsWith(prefix)) continue;
    let rest = name.slice(prefix.length);
    const marker = /\$[ndoa]$/.test(rest) ? rest.slice(-1) : '';
    if (marker) rest = rest.slice(0, -2);
    const segs = rest.split('/').slice(1);
    const leaf: StateTree =
      marker === 'd'
        ? new Float64Array(new Int32Array(tensor.dataSync() as Int32Array).buffer)[0]
        : marker === 'n'
          ? tensor.dataSync()[0]
          : marker === 'o'
            ? {}
            : marker === 'a'
              ? []
              : tensor.clone();
    if (segs.length === 0) {
      root = leaf;
      continue;
    }
    if (root === undefined) root = segs[0].startsWith('#') ? [] : {};
    let node = root as Record<string, StateTree> | StateTree[];
    segs.forEach((seg, i) => {
      const key: string | number = seg.startsWith('#') ? Number(seg.slice(1)) : unesc(seg);
      const last = i === segs.length - 1;
      const container = node as Record<string | number, StateTree>;
      if (last) container[key] = container[key] !== undefined && (marker === 'o' || marker === 'a') ? container[key] : leaf;
      else {
        if (container[key] === undefined) container[key] = segs[i + 1].startsWith('#') ? [] : {};
        node = container[key] as Record<string, StateTree>;
      }
    });
  }
  return root;
}

/**
 * Union of two trees, keeping `old` wherever both have an entry. Used when parameters appear
 * that the state has not seen yet: their fresh state is merged in, everything else is kept.
 */
export function mergeState(old: StateTree, fresh: StateTree): StateTree {
  if (old === undefined || old === null) return fresh;
  if (Array.isArray(old) && Array.isArray(fresh)) {
    const n = Math.max(old.length, fresh.length);
    return Array.from({ length: n }, (_, i) => mergeState(old[i], fresh[i]));
  }
  if (old && typeof old === 'object' && !isTensor(old) && !Array.isArray(old) && fresh && typeof fresh === 'object' && !isTensor(fresh) && !Array.isArray(fresh)) {
    const out: Record<string, StateTree> = { ...fresh, ...old };
    for (const k of Object.keys(old)) if (k in fresh) out[k] = mergeState(old[k], fresh[k]);
    return out;
  }
  return old;
}
