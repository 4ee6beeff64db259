import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend, InvalidParameterError } from '@descent/tensor';
import { cifarCnn, countParameters } from '@descent/models';
import { fixture, loadWeights, tensorOf, relativeName, expectClose, expectNoLeak, type Entry } from './helpers/golden';

const counts = fixture<{ cifarCnn: { parameters: number; buffers: number } }>('counts.json');
const golden = fixture<{ config: { inputShape: number[]; channels: number[]; hiddenUnits: number; numClasses: number }; parameters: number; weights: Record<string, Entry>; x: Entry; logits: Entry }>(
  'cifar-cnn.json',
);

describe('cifarCnn', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it("has the book's 1,194,084 parameters as torch counts them, plus 448 BatchNorm moving statistics", () => {
    expect(counts.cifarCnn).toEqual({ parameters: 1194084, buffers: 448 });
    const m = cifarCnn();
    expect(countParameters(m)).toBe(1194084);
    expect(countParameters(m, { trainableOnly: false })).toBe(1194084 + 448);
    expect(m.inputs[0].shape).toEqual([null, 32, 32, 3]);
    expect(m.outputs[0].shape).toEqual([null, 100]);
    expect(m.getLayer(`${m.name}_flatten`).outputShape).toEqual([null, 128 * 4 * 4]);
    // tfjs lists the trainable weights first, then the moving statistics.
    expect(m.weights.map((w) => `${relativeName(m, w)} [${w.shape}]`)).toEqual([
      'conv_1/kernel [3,3,3,32]', 'conv_1/bias [32]', 'bn_1/gamma [32]', 'bn_1/beta [32]',
      'conv_2/kernel [3,3,32,64]', 'conv_2/bias [64]', 'bn_2/gamma [64]', 'bn_2/beta [64]',
      'conv_3/kernel [3,3,64,128]', 'conv_3/bias [128]', 'bn_3/gamma [128]', 'bn_3/beta [128]',
      'dense_1/kernel [2048,512]', 'dense_1/bias [512]', 'dense_2/kernel [512,100]', 'dense_2/bias [100]',
      'bn_1/moving_mean [32]', 'bn_1/moving_variance [32]', 'bn_2/moving_mean [64]', 'bn_2/moving_variance [64]',
      'bn_3/moving_mean [128]', 'bn_3/moving_variance [128]',
    ]);
    // torch's Conv2d/Linear default: U(±1/√fan_in), fan_in = in·3·3 for a convolution.
    const conv1 = m.weights[0].read().dataSync();
    expect(conv1.every((v) => Math.abs(v) <= 1 / Math.sqrt(27))).toBe(true);
    m.dispose();
  });

  it("matches torch's eval-mode forward pass (small configuration, odd width, torch weights ported to NHWC)", () => {
    const c = golden.config;
    const m = cifarCnn({ ...c });
    expect(countParameters(m)).toBe(golden.parameters);
    loadWeights(m, golden.weights);
    const x = tensorOf(golden.x);
    const y = m.predict(x) as tf.Tensor;
    expect(y.shape).toEqual(golden.logits.shape);
    expectClose(y.dataSync(), golden.logits.values, 1e-5, 1e-4);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('does not leak in predict or in a training-mode call (BatchNorm statistics, dropout), and frees everything on dispose', () => {
    const start = tf.memory().numTensors;
    const m = cifarCnn({ seed: 1 });
    const x = tf.randomNormal([2, 32, 32, 3]);
    expectNoLeak(() => tf.dispose(m.predict(x) as tf.Tensor));
    const movingMean = () => m.getLayer(`${m.name}_bn_1`).getWeights()[2].dataSync().slice();
    const before = movingMean();
    expectNoLeak(() => tf.dispose(m.apply(x, { training: true }) as tf.Tensor));
    expect(tf.util.arraysEqual(movingMean(), before)).toBe(false); // training mode updates the statistics
    x.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('adapts to other image shapes, e.g. FashionMNIST [28, 28, 1]', () => {
    const m = cifarCnn({ inputShape: [28, 28, 1], numClasses: 10 });
    expect(m.getLayer(`${m.name}_flatten`).outputShape).toEqual([null, 128 * 3 * 3]);
    const x = tf.zeros([1, 28, 28, 1]);
    const y = m.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 10]);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('rejects bad options by name', () => {
    const cases: Array<[Parameters<typeof cifarCnn>[0], RegExp]> = [
      [{ inputShape: [32, 32] }, /"inputShape": \[32,32\] \(allowed: \[height, width, channels\]\)/],
      [{ inputShape: [4, 32, 3] }, /"inputShape": \[4,32,3\] \(allowed: height and width ≥ 8/],
      [{ channels: [32, -1] }, /"channels\[1\]": -1/],
      [{ hiddenUnits: 0 }, /"hiddenUnits": 0/],
      [{ dropout: 1 }, /"dropout": 1 \(allowed: a finite number ≥ 0 and < 1\)/],
      [{ numClasses: 2.5 }, /"numClasses": 2.5/],
    ];
    for (const [options, message] of cases) {
      expect(() => cifarCnn(options)).toThrow(InvalidParameterError);
      expect(() => cifarCnn(options)).toThrow(message);
    }
  });
});
