import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, initContext, initializeModel, InvalidParameterError, Rng } from '@descent/tensor';
import { ConfigError } from '@descent/registry';
import { initializerConformance, loadFixture } from '@descent/testkit';
import { Matrix, QrDecomposition } from 'ml-matrix';
import { orthogonal, orthogonalPlugin, orthogonalMatrixShape, randomOrthogonal } from '@descent/init-orthogonal';

interface OrthoCase {
  config: { gain: number };
  torchShape: number[];
  tfjsShape: number[];
  rows: number;
  cols: number;
  expected: { frobeniusSquared: number; diagMean: number; diagAbsMean: number; diagVariance: number };
  torch: { seeds: number; n: number; diagMean: number; diagAbsMean: number; orthogonalityError: number };
}
const fixture = loadFixture<{ source: string; cases: OrthoCase[] }>('init', 'orthogonal');
const Z = 5;

/** Largest |G − gain²·I| for the Gram matrix of the smaller side of `m` (rows × cols, row-major), in float64. */
function orthogonalityError(m: ArrayLike<number>, rows: number, cols: number, gain: number): number {
  const tall = rows >= cols;
  const k = Math.min(rows, cols);
  const len = Math.max(rows, cols);
  // vecs[a] = column a (tall) or row a (wide), contiguous.
  const vecs = Array.from({ length: k }, (_, a) => Float64Array.from({ length: len }, (_, j) => (tall ? m[j * cols + a] : m[a * cols + j])));
  let worst = 0;
  for (let a = 0; a < k; a++) {
    const va = vecs[a];
    for (let b = a; b < k; b++) {
      const vb = vecs[b];
      let s = 0;
      for (let j = 0; j < len; j++) s += va[j] * vb[j];
      worst = Math.max(worst, Math.abs(s - (a === b ? gain * gain : 0)));
    }
  }
  return worst;
}

/** Diagonal entries (divided by gain) of `draws` draws: Haar ⇒ mean 0, E|x| = Γ(n/2)/(√π Γ((n+1)/2)). */
function diagonals(draw: (seed: number) => ArrayLike<number>, rows: number, cols: number, draws: number, gain = 1): number[] {
  const out: number[] = [];
  for (let d = 0; d < draws; d++) {
    const m = draw(d);
    for (let i = 0; i < Math.min(rows, cols); i++) out.push(m[i * cols + i] / gain);
  }
  return out;
}

describe('orthogonal', () => {
  initializerConformance({
    plugin: orthogonalPlugin,
    invalid: [{ gain: 0 }, { gain: -1 }, { gain: '1' }, { scale: 2 }],
    shapes: [
      [64, 32],
      [16, 64],
      [3, 3, 8, 16],
    ],
  });
});

describe('orthogonal against torch.nn.init.orthogonal_', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('has golden cases for tall, wide, square and conv kernels, gains 1 and 1.5', () => {
    const tall = fixture.cases.some((c) => c.tfjsShape.length === 2 && c.tfjsShape[0] > c.tfjsShape[1]);
    const wide = fixture.cases.some((c) => c.tfjsShape.length === 2 && c.tfjsShape[0] < c.tfjsShape[1]);
    expect([tall, wide, fixture.cases.some((c) => c.tfjsShape.length === 4)]).toEqual([true, true, true]);
    expect(new Set(fixture.cases.map((c) => c.config.gain))).toEqual(new Set([1, 1.5]));
  });

  it.each(fixture.cases.map((c) => [c.tfjsShape.join('×'), c.config.gain, c] as const))('tfjs [%s], gain %s: exact (semi-)orthogonality and Haar statistics', (_s, gain, c) => {
    const init = orthogonal(c.config);
    const [rows, cols] = orthogonalMatrixShape(c.tfjsShape);
    // torch's [out, rest] matrix is our [rest, out] matrix transposed (rows permuted for conv).
    expect([rows, cols]).toEqual([c.cols, c.rows]);
    const k = Math.min(rows, cols);
    const big = Math.max(rows, cols);
    const draws = Math.max(1, Math.min(20, Math.ceil(250 / k)));
    const values: Float32Array[] = [];
    for (let d = 0; d < draws; d++) {
      const t = init(c.tfjsShape, initContext(c.tfjsShape, { rng: new Rng(100 + d) }));
      expect(t.shape).toEqual(c.tfjsShape);
      values.push(t.dataSync() as Float32Array);
      t.dispose();
    }
    // WᵀW = gain²·I (tall) or WWᵀ = gain²·I (wide), within 1e-5; ‖W‖²_F = gain²·min(rows, cols).
    for (const v of values.slice(0, 1)) {
      expect(orthogonalityError(v, rows, cols, gain)).toBeLessThan(1e-5);
      expect(v.reduce((a, x) => a + x * x, 0)).toBeCloseTo(c.expected.frobeniusSquared, 3);
    }
    // Haar distribution (the sign fix): the QR-side diagonal has mean 0 and E|x| of a random unit vector's entry.
    const diag = diagonals((d) => values[d], rows, cols, draws, gain);
    const n = diag.length;
    const mean = diag.reduce((a, x) => a + x, 0) / n;
    const absMean = diag.reduce((a, x) => a + Math.abs(x), 0) / n;
    const absSe = Math.sqrt((c.expected.diagVariance - c.expected.diagAbsMean ** 2) / n);
    expect(Math.abs(mean)).toBeLessThan(Z * Math.sqrt(c.expected.diagVariance / n));
    expect(Math.abs(absMean - c.expected.diagAbsMean)).toBeLessThan(Z * absSe);
    const torchAbsSe = Math.sqrt((c.expected.diagVariance - c.expected.diagAbsMean ** 2) / c.torch.n);
    expect(Math.abs(absMean - c.torch.diagAbsMean)).toBeLessThan(Z * Math.hypot(absSe, torchAbsSe));
    expect(big).toBe(Math.round(1 / c.expected.diagVariance));
  });

  it('the diagonal test detects a Q without the sign fix (negative control)', () => {
    const [rows, cols] = [64, 32];
    const rng = new Rng(9);
    const raw = (_: number) => {
      const g = rng.randomNormal([rows, cols]);
      const q = new QrDecomposition(Matrix.from1DArray(rows, cols, g.dataSync())).orthogonalMatrix;
      g.dispose();
      return q.to1DArray();
    };
    const diag = diagonals(raw, rows, cols, 20);
    const mean = diag.reduce((a, x) => a + x, 0) / diag.length;
    expect(Math.abs(mean)).toBeGreaterThan(Z * Math.sqrt(1 / rows / diag.length));
    const fixed = diagonals(() => randomOrthogonal(rows, cols, rng), rows, cols, 20);
    expect(Math.abs(fixed.reduce((a, x) => a + x, 0) / fixed.length)).toBeLessThan(Z * Math.sqrt(1 / rows / fixed.length));
  });
});

describe('orthogonal behaviour', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('rejects vectors like torch, returns an empty tensor for zero-size shapes', () => {
    expect(() => orthogonal()([5], initContext([5]))).toThrow(InvalidParameterError);
    const t = orthogonal()([0, 3], initContext([0, 3]));
    expect(t.shape).toEqual([0, 3]);
    t.dispose();
    expect(() => orthogonal({ gain: 0 })).toThrow(ConfigError);
  });

  it('initializes a small PReLU model through initializeModel: orthogonal kernels, zero biases, slope kept', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 48, inputShape: [96], biasInitializer: 'ones' }),
        tf.layers.prelu({ alphaInitializer: tf.initializers.constant({ value: 0.25 }), sharedAxes: [1] }),
        tf.layers.dense({ units: 10, biasInitializer: 'ones' }),
      ],
    });
    initializeModel(model, orthogonal({ gain: 2 }), { rng: 3 });
    const [k1, b1, alpha, k2, b2] = model.getWeights();
    expect(orthogonalityError(k1.dataSync(), 96, 48, 2)).toBeLessThan(1e-5);
    expect(orthogonalityError(k2.dataSync(), 48, 10, 2)).toBeLessThan(1e-5);
    expect([...b1.dataSync(), ...b2.dataSync()].every((x) => x === 0)).toBe(true);
    expect(Array.from(alpha.dataSync())).toEqual([0.25]);
    model.dispose();
  });
});
