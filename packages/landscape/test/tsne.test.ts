import { describe, it, expect } from 'vitest';
import { tsne, tsneObjective, jointProbabilities, squaredDistances } from '@descent/landscape';
import { fixture, maxAbs } from './helpers';

const { points } = fixture<{ points: number[][] }>('pca.json');
interface Case {
  perplexity: number;
  P: number[][];
  y: number[][];
  kl: number;
  grad: number[];
  init: number[][];
  short: number[][];
  full: Array<{ kl: number; iterations: number; nnPreserved: number }>;
}
const ref = fixture<{ cases: Case[] }>('tsne.json');

/** Share of points whose nearest neighbour in the embedding is one of their two nearest in weight space. */
function nnPreserved(rows: Float32Array[], Y: number[][]): number {
  const n = rows.length;
  const D = squaredDistances(rows);
  const E = squaredDistances(Y.map((r) => Float64Array.from(r)));
  let ok = 0;
  for (let i = 0; i < n; i++) {
    const others = [...Array(n).keys()].filter((j) => j !== i);
    const near = others.sort((a, b) => D[i * n + a] - D[i * n + b]).slice(0, 2);
    const e = others.reduce((best, j) => (E[i * n + j] < E[i * n + best] ? j : best), others[0]);
    if (near.includes(e)) ok++;
  }
  return ok / n;
}

describe('t-SNE (exact)', () => {
  const rows = points.map((p) => Float32Array.from(p));
  for (const c of ref.cases) {
    describe(`perplexity ${c.perplexity}`, () => {
      const P = jointProbabilities(squaredDistances(rows), rows.length, c.perplexity);
      it("joint probabilities, KL and its gradient equal scikit-learn's", () => {
        expect(maxAbs(P, c.P.flat())).toBeLessThan(1e-9);
        // The objective on sklearn's own P (ours differs by ~1e-10: its search uses float32 distances).
        const { kl, grad } = tsneObjective(Float64Array.from(c.P.flat()), Float64Array.from(c.y.flat()), rows.length, 2);
        expect(Math.abs(kl - c.kl) / c.kl).toBeLessThan(1e-8);
        expect(maxAbs(grad, c.grad) / Math.max(...c.grad.map(Math.abs))).toBeLessThan(1e-8);
      });
      it("10 early-exaggeration steps from the PCA start follow scikit-learn's optimiser", () => {
        // Only a few steps compare: a 1e-10 change of the start grows to 1e-5 in 10 steps, O(1) in 40;
        // P agrees to ~1e-10 only (sklearn searches the bandwidths on float32 distances).
        const r = tsne(rows, { perplexity: c.perplexity, iterations: 10, init: c.init });
        expect(maxAbs(r.embedding.flat(), c.short.flat()) / Math.max(...c.short.flat().map(Math.abs))).toBeLessThan(1e-4);
        const pca = tsne(rows, { perplexity: c.perplexity, iterations: 1, learningRate: 1e-30 });
        expect(maxAbs(pca.embedding.flat(), c.init.flat())).toBeLessThan(1e-9);
      });
      it('a full run is as good as scikit-learn’s (KL, nearest neighbours kept)', () => {
        // t-SNE is chaotic: sklearn's own float32 and float64 runs end in different embeddings.
        const r = tsne(rows, { perplexity: c.perplexity });
        expect(r.iterations).toBe(999);
        expect(r.kl).toBeLessThan(1.1 * Math.max(...c.full.map((f) => f.kl)));
        expect(nnPreserved(rows, r.embedding)).toBeGreaterThanOrEqual(Math.min(...c.full.map((f) => f.nnPreserved)));
      });
    });
  }
  it('validates its options', () => {
    expect(() => tsne(rows, { perplexity: 15 })).toThrow(/perplexity/);
    expect(() => tsne(rows.slice(0, 2))).toThrow(/points/);
    expect(() => tsne(rows, { init: [[0, 0]] })).toThrow(/init/);
  });
});
