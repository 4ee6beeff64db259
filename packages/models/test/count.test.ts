import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend } from '@descent/tensor';
import { countParameters } from '@descent/models';

describe('countParameters', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('counts trainable weights by default and every weight with trainableOnly: false', () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4], units: 3, name: 'count_dense' }), tf.layers.batchNormalization({ name: 'count_bn' })],
    });
    // dense 4·3 + 3, BatchNorm γ, β (trainable) and moving mean, variance (not).
    expect(countParameters(model)).toBe(15 + 6);
    expect(countParameters(model, { trainableOnly: true })).toBe(21);
    expect(countParameters(model, { trainableOnly: false })).toBe(21 + 6);
    expect(countParameters(model, { trainableOnly: false })).toBe(model.countParams());
    // A frozen layer leaves the default count, as torch's requires_grad filter would.
    model.layers[0].trainable = false;
    expect(countParameters(model)).toBe(6);
    expect(countParameters(model, { trainableOnly: false })).toBe(27);
    model.dispose();
  });
});
