import { beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend, Rng, InvalidParameterError } from '@descent/tensor';
import { loadFixture, tensorsLeakedPerCall } from '@descent/testkit';
import { analyzeModelWeights, averageSpectra, weightSpectrum } from '@descent/spectrum';
import { orthogonal } from './helpers';

/** The book's hidden widths; tfjs dense kernels are [in, out]. */
const WIDTHS = [784, 256, 192, 128, 64, 10];

/**
 * The book's SimpleNetwork(PReLU): one PReLU instance shared by every position, so one slope
 * (initial 0.25). tfjs pins a built PReLU's input width, so the shared layer's input spec is
 * relaxed after its first use; the slope is a single number either way.
 */
function simpleNetwork(kernel: (fanIn: number, fanOut: number) => Float64Array): tf.LayersModel {
  const input = tf.input({ shape: [WIDTHS[0]] });
  const act = tf.layers.prelu({ sharedAxes: [1], alphaInitializer: tf.initializers.constant({ value: 0.25 }) });
  let x = input as tf.SymbolicTensor;
  const dense: tf.layers.Layer[] = [];
  for (let i = 1; i < WIDTHS.length; i++) {
    const layer = tf.layers.dense({ units: WIDTHS[i] });
    dense.push(layer);
    x = layer.apply(x) as tf.SymbolicTensor;
    if (i < WIDTHS.length - 1) {
      x = act.apply(x) as tf.SymbolicTensor;
      (act as unknown as { inputSpec: unknown }).inputSpec = null;
    }
  }
  const model = tf.model({ inputs: input, outputs: x });
  dense.forEach((layer, i) => {
    const [fanIn, fanOut] = [WIDTHS[i], WIDTHS[i + 1]];
    const values = tf.tidy(() => [tf.tensor2d(Float32Array.from(kernel(fanIn, fanOut)), [fanIn, fanOut]), tf.zeros([fanOut])]);
    layer.setWeights(values);
    tf.dispose(values);
  });
  return model;
}

interface BookFixture {
  inits: Record<string, { averages: { spectralNorm: number; condition: number; below: number; reach: number } }>;
}

beforeAll(async () => {
  await useBackend('wasm');
});

describe('analyzeModelWeights reproduces the book table (REFERENCE.md, Initialization)', () => {
  it('orthogonal: average condition 1.00, spectral norm 0.88, rank ratio 0.95', () => {
    const rng = new Rng('orthogonal');
    const model = simpleNetwork((fanIn, fanOut) => orthogonal(rng, fanIn, fanOut));
    try {
      expect(model.predict(tf.zeros([1, 784])) instanceof tf.Tensor).toBe(true);
      const { layers, averages } = analyzeModelWeights(model, { variant: 'book', includeVectors: true });
      // The five kernels and the one shared slope (in model order), biases left out: the book's six entries.
      expect(layers.map((l) => l.shape)).toEqual([[784, 256], [1], [256, 192], [192, 128], [128, 64], [64, 10]]);
      expect(layers.map((l) => l.matrixShape)).toEqual([[256, 784], [1, 1], [192, 256], [128, 192], [64, 128], [10, 64]]);
      // Counting below 95 %: 243/256, 1 for the slope, 182/192, 121/128, 60/64, 9/10.
      expect(layers.map((l) => l.cumulativeRank)).toEqual([243, 1, 182, 121, 60, 9]);
      const expected = (243 / 256 + 182 / 192 + 121 / 128 + 60 / 64 + 9 / 10 + 1) / 6;
      expect(averages.rankRatio).toBeCloseTo(expected, 12);
      expect(averages.condition).toBeCloseTo(1, 5);
      expect(averages.spectralNorm).toBeCloseTo((5 + 0.25) / 6, 6);
      expect([averages.condition, averages.spectralNorm, averages.rankRatio].map((v) => v.toFixed(2))).toEqual(['1.00', '0.88', '0.95']);
      // torch.nn.init.orthogonal_ + numpy give the same average (tools/golden/spectrum.py, book.json),
      // and the other plausible counting ("values needed to reach 95 %") would have printed 0.97.
      const book = loadFixture<BookFixture>('spectrum', 'book').inits.orthogonal.averages;
      expect(averages.rankRatio).toBeCloseTo(book.below, 12);
      expect(book.reach.toFixed(2)).toBe('0.97');
      // The entropy effective rank of an orthogonal matrix is full: ratio 1.
      expect(averageSpectra(layers).effectiveRankRatio).toBeCloseTo(1, 6);
    } finally {
      model.dispose();
    }
  });

  it('scaled orthogonal (× √(2/fan_in)): condition 1.00, spectral norm 0.13, rank ratio 0.95', () => {
    const rng = new Rng('scaled');
    const model = simpleNetwork((fanIn, fanOut) => orthogonal(rng, fanIn, fanOut).map((v) => v * Math.sqrt(2 / fanIn)));
    try {
      const { averages } = analyzeModelWeights(model, { variant: 'book', includeVectors: true });
      expect([averages.condition, averages.spectralNorm, averages.rankRatio].map((v) => v.toFixed(2))).toEqual(['1.00', '0.13', '0.95']);
    } finally {
      model.dispose();
    }
  });

  it('lecun normal: condition, spectral norm and rank ratio within the book row (one seed)', () => {
    const rng = new Rng('lecun');
    const model = simpleNetwork((fanIn, fanOut) => Float64Array.from({ length: fanIn * fanOut }, () => rng.normal() / Math.sqrt(fanIn)));
    try {
      const { averages } = analyzeModelWeights(model, { variant: 'book', includeVectors: true });
      // Book: 5.66–5.86, 1.39–1.42, 0.89. Over 30 numpy seeds the means range over 5.29–6.05,
      // 1.38–1.44 and 0.892–0.895.
      expect(averages.condition).toBeGreaterThan(5.2);
      expect(averages.condition).toBeLessThan(6.2);
      expect(averages.spectralNorm).toBeGreaterThan(1.37);
      expect(averages.spectralNorm).toBeLessThan(1.45);
      expect(averages.rankRatio.toFixed(2)).toBe('0.89');
    } finally {
      model.dispose();
    }
  });
});

describe('analyzeModelWeights', () => {
  function convNet(): tf.LayersModel {
    return tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same' }),
        tf.layers.batchNormalization(),
        tf.layers.prelu(),
        tf.layers.flatten(),
        tf.layers.dense({ units: 5 }),
      ],
    });
  }

  it('selects kernels by default, and 1-D non-bias trainables with includeVectors', () => {
    const model = convNet();
    try {
      const plain = analyzeModelWeights(model);
      expect(plain.variant).toBe('entropy');
      expect(plain.layers.map((l) => l.shape)).toEqual([[3, 3, 3, 4], [8, 8, 4], [256, 5]]);
      expect(plain.layers[0].matrixShape).toEqual([4, 27]);
      const withVectors = analyzeModelWeights(model, { includeVectors: true });
      const names = withVectors.layers.map((l) => l.name);
      expect(names.some((n) => n.endsWith('gamma'))).toBe(true);
      expect(names.some((n) => /bias|beta|moving/.test(n))).toBe(false);
      const only = analyzeModelWeights(model, { filter: (w) => w.shape.length === 4 });
      expect(only.layers.length).toBe(1);
      // Every row is weightSpectrum of the variable.
      const kernel = model.layers[0].getWeights()[0];
      expect(plain.layers[0].singularValues).toEqual(weightSpectrum(kernel).singularValues);
      expect(plain.averages.spectralNorm).toBeCloseTo(plain.layers.reduce((s, l) => s + l.spectralNorm, 0) / 3, 12);
    } finally {
      model.dispose();
    }
  });

  it('averages an infinite condition number to Infinity, and randomised metrics to NaN', () => {
    const model = convNet();
    try {
      const dense = model.layers[4];
      const [kernel, bias] = dense.getWeights();
      const zero = tf.zerosLike(kernel);
      dense.setWeights([zero, bias]);
      zero.dispose();
      const { layers, averages } = analyzeModelWeights(model);
      expect(layers[2].condition).toBe(Infinity);
      expect(averages.condition).toBe(Infinity);
      expect(Number.isFinite(averages.spectralNorm)).toBe(true);
      const fast = analyzeModelWeights(model, { method: 'randomized' });
      expect(fast.averages.condition).toBeNaN();
      expect(fast.averages.spectralNorm).toBeCloseTo(averages.spectralNorm, 8);
      expect(fast.averages.stableRank).toBeCloseTo(averages.stableRank, 6);
    } finally {
      model.dispose();
    }
  });

  it('creates no tensors and rejects bad arguments', () => {
    const model = convNet();
    try {
      expect(tensorsLeakedPerCall(() => analyzeModelWeights(model, { includeVectors: true }))).toBe(0);
      expect(() => analyzeModelWeights({} as never)).toThrow(InvalidParameterError);
      expect(() => analyzeModelWeights(model, { includeVectors: 'yes' as never })).toThrow(/includeVectors/);
      expect(() => analyzeModelWeights(model, { variant: 'roy' as never })).toThrow(/variant/);
      expect(() => analyzeModelWeights(model, { method: 'gram' as never })).toThrow(/method/);
    } finally {
      model.dispose();
    }
  });
});
