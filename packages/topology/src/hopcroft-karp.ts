/**
 * Maximum bipartite matching (Hopcroft & Karp 1973), O(E sqrt(V)).
 * Left vertices 0..nLeft-1 with neighbours adj[start[u]..start[u+1]), right vertices 0..nRight-1.
 * Returns the size of a maximum matching.
 */
export function maximumMatching(nLeft: number, nRight: number, start: Int32Array, adj: Int32Array): number {
  const matchL = new Int32Array(nLeft).fill(-1);
  const matchR = new Int32Array(nRight).fill(-1);
  const dist = new Int32Array(nLeft);
  const queue = new Int32Array(nLeft);
  const it = new Int32Array(nLeft);
  const stack = new Int32Array(nLeft);
  const INF = 0x3fffffff;
  let size = 0;
  for (;;) {
    // BFS from the free left vertices builds the layers of shortest alternating paths.
    let head = 0;
    let tail = 0;
    for (let u = 0; u < nLeft; u++) {
      if (matchL[u] === -1) {
        dist[u] = 0;
        queue[tail++] = u;
      } else dist[u] = INF;
    }
    let found = false;
    while (head < tail) {
      const u = queue[head++];
      for (let k = start[u]; k < start[u + 1]; k++) {
        const w = matchR[adj[k]];
        if (w === -1) found = true;
        else if (dist[w] === INF) {
          dist[w] = dist[u] + 1;
          queue[tail++] = w;
        }
      }
    }
    if (!found) return size;
    // DFS (iterative, so deep paths cannot overflow the call stack) along the layers.
    for (let u = 0; u < nLeft; u++) it[u] = start[u];
    for (let s = 0; s < nLeft; s++) {
      if (matchL[s] !== -1) continue;
      let top = 0;
      stack[top++] = s;
      while (top > 0) {
        const u = stack[top - 1];
        if (it[u] === start[u + 1]) {
          dist[u] = INF; // dead end for this phase
          top--;
          continue;
        }
        const v = adj[it[u]];
        const w = matchR[v];
        if (w === -1) {
          // Augment along the stack: each left vertex takes the right vertex its iterator points to.
          for (let i = top - 1; i >= 0; i--) {
            const x = stack[i];
            const y = adj[it[x]];
            matchL[x] = y;
            matchR[y] = x;
          }
          size++;
          top = 0;
        } else if (dist[w] === dist[u] + 1) {
          stack[top++] = w;
        } else {
          it[u]++;
        }
      }
    }
  }
}
