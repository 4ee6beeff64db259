import { describe, it, expect } from 'vitest';
import { maximumMatching } from '../src/hopcroft-karp';
import { lcg } from './golden';

/** Maximum matching by exhaustive search over the left vertices. */
function bruteForce(nLeft: number, nRight: number, adj: number[][]): number {
  const used = new Uint8Array(nRight);
  const rec = (u: number): number => {
    if (u === nLeft) return 0;
    let best = rec(u + 1);
    for (const v of adj[u]) {
      if (used[v]) continue;
      used[v] = 1;
      best = Math.max(best, 1 + rec(u + 1));
      used[v] = 0;
    }
    return best;
  };
  return rec(0);
}

describe('maximumMatching (Hopcroft-Karp)', () => {
  it('matches exhaustive search on random bipartite graphs', () => {
    const next = lcg(5);
    for (let trial = 0; trial < 400; trial++) {
      const nLeft = next() % 8;
      const nRight = next() % 8;
      const density = 1 + (next() % 4);
      const adj = Array.from({ length: nLeft }, () => Array.from({ length: nRight }, (_, v) => v).filter(() => next() % 5 < density));
      const start = new Int32Array(nLeft + 1);
      adj.forEach((a, u) => (start[u + 1] = start[u] + a.length));
      expect(maximumMatching(nLeft, nRight, start, Int32Array.from(adj.flat()))).toBe(bruteForce(nLeft, nRight, adj));
    }
  });

  it('needs augmenting paths through matched vertices', () => {
    // greedy would match 0-0 and then fail 1; the maximum rematches 0 to 1
    expect(maximumMatching(2, 2, Int32Array.from([0, 2, 3]), Int32Array.from([0, 1, 0]))).toBe(2);
  });
});
