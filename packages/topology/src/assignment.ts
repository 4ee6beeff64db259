/**
 * Minimum-cost assignment of every row to a distinct column on a sparse cost graph: the Hungarian
 * method as successive shortest augmenting paths (Dijkstra with row and column potentials; Kuhn
 * 1955, Jonker & Volgenant 1987, the sparse form used by scipy's min_weight_full_bipartite_matching).
 *
 * Row r may take the columns cols[start[r]..start[r+1]) at costs[...]; costs must be finite and
 * there must be an assignment (the Wasserstein caller gives each row a private column). Each
 * augmentation stops at the first free column, so the work stays local when rows have cheap
 * private columns: O(rows * E log E) in the worst case, far less in practice.
 * Returns the column of each row.
 */
export function sparseAssignment(rows: number, columns: number, start: Int32Array, cols: Int32Array, costs: Float64Array): Int32Array {
  // Shift each row by its cheapest edge: reduced costs start non-negative with zero potentials.
  const shifted = new Float64Array(costs.length);
  for (let r = 0; r < rows; r++) {
    let min = Infinity;
    for (let k = start[r]; k < start[r + 1]; k++) min = Math.min(min, costs[k]);
    for (let k = start[r]; k < start[r + 1]; k++) shifted[k] = costs[k] - min;
  }
  const u = new Float64Array(rows);
  const v = new Float64Array(columns);
  const rowOf = new Int32Array(columns).fill(-1);
  const colOf = new Int32Array(rows).fill(-1);
  const dist = new Float64Array(columns).fill(Infinity);
  const prevRow = new Int32Array(columns);
  const done = new Uint8Array(columns);
  const touched: number[] = [];
  const finalized: number[] = [];
  const heap = new MinHeap();
  for (let s = 0; s < rows; s++) {
    const relax = (r: number, base: number): void => {
      for (let k = start[r]; k < start[r + 1]; k++) {
        const j = cols[k];
        if (done[j]) continue;
        const d = base + shifted[k] - u[r] - v[j];
        if (d < dist[j]) {
          if (dist[j] === Infinity) touched.push(j);
          dist[j] = d;
          prevRow[j] = r;
          heap.push(d, j);
        }
      }
    };
    relax(s, 0);
    let sink = -1;
    let delta = 0;
    while (heap.size > 0) {
      const d = heap.topKey();
      const j = heap.pop();
      if (done[j] || d > dist[j]) continue;
      done[j] = 1;
      finalized.push(j);
      if (rowOf[j] === -1) {
        sink = j;
        delta = d;
        break;
      }
      relax(rowOf[j], d);
    }
    if (sink < 0) throw new Error('sparseAssignment: no complete assignment exists');
    // Potentials: columns settled before the sink get cheaper by what they were short of delta.
    for (const j of finalized) {
      if (j === sink) continue;
      const gap = delta - dist[j];
      v[j] -= gap;
      u[rowOf[j]] += gap;
    }
    u[s] += delta;
    // Augment along the shortest path back to row s.
    for (let j = sink; ; ) {
      const r = prevRow[j];
      const next = colOf[r];
      rowOf[j] = r;
      colOf[r] = j;
      if (r === s) break;
      j = next;
    }
    for (const j of touched) {
      dist[j] = Infinity;
      done[j] = 0;
    }
    touched.length = 0;
    finalized.length = 0;
    heap.clear();
  }
  return colOf;
}

/** Binary heap of (key, value) pairs, smallest key first; stale entries are skipped by the caller. */
class MinHeap {
  private keys: number[] = [];
  private values: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  clear(): void {
    this.keys.length = 0;
    this.values.length = 0;
  }
  push(key: number, value: number): void {
    const { keys, values } = this;
    let i = keys.length;
    keys.push(key);
    values.push(value);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p] <= key) break;
      keys[i] = keys[p];
      values[i] = values[p];
      i = p;
    }
    keys[i] = key;
    values[i] = value;
  }
  topKey(): number {
    return this.keys[0];
  }
  /** Removes the smallest entry and returns its value. */
  pop(): number {
    const { keys, values } = this;
    const top = values[0];
    const key = keys.pop()!;
    const value = values.pop()!;
    const n = keys.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && keys[c + 1] < keys[c]) c++;
        if (keys[c] >= key) break;
        keys[i] = keys[c];
        values[i] = values[c];
        i = c;
      }
      keys[i] = key;
      values[i] = value;
    }
    return top;
  }
}
