import { describe, it, expect, vi } from 'vitest';
import { tf, useBackend, nativeActive } from '@descent/tensor';

// Where the addon did not build (no compiler or no libopenblas-dev), @descent/native-blas returns
// null with the reason: the wasm fallback runs and the report says why.
vi.mock('@descent/native-blas', () => ({ nativeBlas: () => null, nativeBlasReason: () => 'not built (simulated)' }));

describe('without the native addon', () => {
  it('useBackend falls back to the wasm matMul path and reports why; results stay right', async () => {
    const saved = process.env.DESCENT_NATIVE;
    delete process.env.DESCENT_NATIVE; // the reason checked is the module's, not the opt-out's
    const r = await useBackend('wasm').finally(() => saved !== undefined && (process.env.DESCENT_NATIVE = saved));
    expect(r.matMulPath).toBe('wasm-fast');
    expect(r.native).toEqual({ active: false, reason: 'not built (simulated)' });
    expect(nativeActive('wasm')).toBe(false);
    const start = tf.memory().numTensors;
    const got = tf.tidy(() =>
      tf.fused.matMul({ a: tf.tensor2d([[1, 2], [3, 4]]), b: tf.tensor2d([[1, 0], [1, 1]]), transposeB: true, bias: tf.tensor1d([1, -10]), activation: 'relu' }).arraySync(),
    );
    expect(got).toEqual([[2, 0], [4, 0]]); // [[1,2],[3,4]]·[[1,1],[0,1]] = [[1,3],[3,7]], + [1,-10], relu
    expect(tf.memory().numTensors).toBe(start);
  });
});
