/**
 * Union-find sweeps over a padded grid (see grid.ts) that give persistence pairs in one pass each.
 *
 * - `sublevelSweep`: cells enter in increasing order; a component is born at its minimum and, by the
 *   elder rule, dies when it meets an older one. With 'full' neighbours this is H0 of the
 *   top-dimensional-cell (T) filtration, with 'face' neighbours H0 of the vertex (V) filtration.
 * - `superlevelSweep`: cells enter in decreasing order and the border is one component that exists
 *   from the start. By Alexander duality a bounded component of {f > t} is a hole (d = 2) or void
 *   (d = 3) of the sublevel set {f <= t}: the component born at value a and merged at value b is the
 *   sublevel class (birth b, death a). Complement components connect through faces in the T
 *   filtration and through vertices in the V filtration, so the neighbourhoods are swapped.
 */

/** Growable list of pairs; indices are padded positions of the cells carrying the values. */
export class PairList {
  dims: number[] = [];
  births: number[] = [];
  deaths: number[] = [];
  birthCells: number[] = [];
  deathCells: number[] = [];
  push(dim: number, birth: number, death: number, birthCell: number, deathCell: number): void {
    this.dims.push(dim);
    this.births.push(birth);
    this.deaths.push(death);
    this.birthCells.push(birthCell);
    this.deathCells.push(deathCell);
  }
  get length(): number {
    return this.dims.length;
  }
}

function find(parent: Int32Array, x: number): number {
  // Path halving: keeps trees shallow without a second pass or a rank array.
  while (parent[x] !== x) {
    const g = parent[parent[x]];
    parent[x] = g;
    x = g;
  }
  return x;
}

/**
 * The neighbours of `p` to merge with: all entered ones, except that on a ring (2-D, 8 neighbours in
 * cyclic order, consecutive ones edge-adjacent) a neighbour whose predecessor has entered is already
 * in that predecessor's component. This cuts the union-find work for the 8-neighbourhood by half or more.
 */
function entered(p: number, offsets: Int32Array, ring: boolean, added: Uint8Array, into: Int32Array): number {
  const m = offsets.length;
  let count = 0;
  if (!ring) {
    for (let j = 0; j < m; j++) {
      const q = p + offsets[j];
      if (added[q] === 1) into[count++] = q;
    }
    return count;
  }
  let prev = added[p + offsets[m - 1]];
  let all = prev;
  for (let j = 0; j < m; j++) {
    const a = added[p + offsets[j]];
    if (a === 1 && prev === 0) into[count++] = p + offsets[j];
    all &= a;
    prev = a;
  }
  if (all === 1) into[count++] = p + offsets[0]; // the whole ring has entered: one component
  return count;
}

/**
 * H0 of the sublevel filtration. `order` lists interior padded positions by increasing (value, position).
 * Emits finite pairs with birth < death and the one essential class (death = Infinity).
 */
export function sublevelSweep(values: Float64Array, order: Int32Array, size: number, offsets: Int32Array, ring: boolean, out: PairList, dim = 0): void {
  const parent = new Int32Array(size);
  const added = new Uint8Array(size);
  const nb = new Int32Array(offsets.length);
  for (let k = 0; k < order.length; k++) {
    const p = order[k];
    const v = values[p];
    parent[p] = p;
    added[p] = 1;
    let root = p;
    const count = entered(p, offsets, ring, added, nb);
    for (let j = 0; j < count; j++) {
      const r = find(parent, nb[j]);
      if (r === root) continue;
      // Elder rule: the component with the later minimum (in the sweep order) dies here.
      const vr = values[r];
      const vroot = values[root];
      const rIsElder = vr < vroot || (vr === vroot && r < root);
      const young = rIsElder ? root : r;
      const old = rIsElder ? r : root;
      const vy = values[young];
      if (vy < v) out.push(dim, vy, v, young, p);
      parent[young] = old;
      root = old;
    }
  }
  if (order.length > 0) {
    const first = order[0];
    out.push(dim, values[first], Infinity, first, -1);
  }
}

/**
 * Sublevel classes of dimension `dim` from the superlevel components (Alexander duality, see above).
 * `order` is the same increasing order as for `sublevelSweep`; it is walked backwards.
 */
export function superlevelSweep(
  values: Float64Array,
  order: Int32Array,
  interior: Uint8Array,
  offsets: Int32Array,
  ring: boolean,
  out: PairList,
  dim: number,
): void {
  const size = interior.length;
  const parent = new Int32Array(size);
  const added = new Uint8Array(size);
  // Position 0 is a border corner: it stands for the unbounded complement, older than every cell.
  const OUTSIDE = 0;
  for (let i = 0; i < size; i++) {
    if (interior[i] === 0) {
      parent[i] = OUTSIDE;
      added[i] = 1;
    }
  }
  const nb = new Int32Array(offsets.length);
  for (let k = order.length - 1; k >= 0; k--) {
    const p = order[k];
    const v = values[p];
    parent[p] = p;
    added[p] = 1;
    let root = p;
    const count = entered(p, offsets, ring, added, nb);
    for (let j = 0; j < count; j++) {
      const r = find(parent, nb[j]);
      if (r === root) continue;
      let rIsElder: boolean;
      if (r === OUTSIDE) rIsElder = true;
      else if (root === OUTSIDE) rIsElder = false;
      else {
        const vr = values[r];
        const vroot = values[root];
        rIsElder = vr > vroot || (vr === vroot && r > root);
      }
      const young = rIsElder ? root : r;
      const old = rIsElder ? r : root;
      const vy = values[young];
      if (v < vy) out.push(dim, v, vy, p, young);
      parent[young] = old;
      root = old;
    }
  }
}
