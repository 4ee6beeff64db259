import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, Rng } from '@descent/tensor';
import { randomNormalLike, rademacherLike } from '../src/vectors';

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 for erf, |error| < 1.5e-7). */
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2, t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

describe('probe vectors', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('normal entries: moments, tails and the whole distribution (Kolmogorov-Smirnov) of a standard normal', () => {
    const n = 400_000;
    const p = tf.variable(tf.zeros([n]), false, 'probe');
    const v = randomNormalLike([p], new Rng(1));
    const x = Float64Array.from(v.probe.dataSync());
    const mean = x.reduce((a, b) => a + b, 0) / n;
    const m2 = x.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    const m4 = x.reduce((a, b) => a + (b - mean) ** 4, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 - 1)).toBeLessThan(0.01);
    expect(Math.abs(m4 / (m2 * m2) - 3)).toBeLessThan(0.05);
    // Beyond the ziggurat's base layer (r ≈ 3.44) and deeper: the tail algorithm's share.
    for (const c of [2, 3.44, 4]) {
      const expected = 2 * (1 - phi(c)) * n;
      const seen = x.filter((y) => Math.abs(y) > c).length;
      expect(Math.abs(seen - expected)).toBeLessThan(5 * Math.sqrt(expected) + 2);
    }
    // The tail sampler's shape: E[|x| − r | |x| > r] = φ(r)/Q(r) − r.
    const r = 3.442619855899;
    const tail = x.filter((y) => Math.abs(y) > r).map((y) => Math.abs(y) - r);
    const excess = Math.exp(-0.5 * r * r) / Math.sqrt(2 * Math.PI) / (1 - phi(r)) - r;
    expect(Math.abs(tail.reduce((a, b) => a + b, 0) / tail.length - excess)).toBeLessThan(0.1);
    const sorted = Float64Array.from(x).sort();
    let d = 0;
    for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(phi(sorted[i]) - i / n), Math.abs(phi(sorted[i]) - (i + 1) / n));
    expect(d).toBeLessThan(1.95 / Math.sqrt(n)); // KS at the 0.1 % level
    // Layer index and value use different bits: the sign is independent of the layer (|x| bucket).
    const positiveShare = [0.5, 1, 2].map((c) => { const s = x.filter((y) => Math.abs(y) < c && Math.abs(y) > c - 0.5); return s.filter((y) => y > 0).length / s.length; });
    positiveShare.forEach((s) => expect(Math.abs(s - 0.5)).toBeLessThan(0.01));
    // Seeded: the same seed gives the same draws, another seed others.
    const again = randomNormalLike([p], new Rng(1));
    const other = randomNormalLike([p], new Rng(2));
    expect(Array.from(again.probe.dataSync().subarray(0, 50))).toEqual(Array.from(x.subarray(0, 50), Math.fround));
    expect(Array.from(other.probe.dataSync().subarray(0, 50))).not.toEqual(Array.from(x.subarray(0, 50), Math.fround));
    tf.dispose([v.probe, again.probe, other.probe, p]);
  });

  it('Rademacher entries are ±1 with equal frequency', () => {
    const p = tf.variable(tf.zeros([100_003]), false, 'signs');
    const v = rademacherLike([p], new Rng(3));
    const x = v.signs.dataSync();
    expect(x.every((y) => y === 1 || y === -1)).toBe(true);
    const plus = x.filter((y) => y === 1).length;
    expect(Math.abs(plus - x.length / 2)).toBeLessThan(4 * Math.sqrt(x.length / 4));
    tf.dispose([v.signs, p]);
  });
});
