import { beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@descent/tensor';
import { Matrix } from 'ml-matrix';
import { FLOAT32_EPS, toWeightMatrix } from '../src/matrix';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('toWeightMatrix', () => {
  it('reads a [..., out] tensor as [out, prod(rest)] (data stored as its transpose)', () => {
    const t = tf.tensor4d(Array.from({ length: 2 * 2 * 3 * 4 }, (_, i) => i), [2, 2, 3, 4]);
    try {
      const w = toWeightMatrix(t);
      expect(w.matrixShape).toEqual([4, 12]);
      expect([w.rows, w.cols]).toEqual([12, 4]);
      expect(w.shape).toEqual([2, 2, 3, 4]);
      expect(w.eps).toBe(FLOAT32_EPS);
      expect(w.data[5]).toBe(5);
    } finally {
      t.dispose();
    }
    const ints = tf.tensor1d([1, 2], 'int32');
    try {
      expect(toWeightMatrix(ints)).toMatchObject({ matrixShape: [2, 1], eps: 2 ** -52 });
    } finally {
      ints.dispose();
    }
  });

  it('takes ml-matrix matrices and rows as given, vectors as columns', () => {
    expect(toWeightMatrix(new Matrix([[1, 2, 3], [4, 5, 6]]))).toMatchObject({ rows: 2, cols: 3, matrixShape: [2, 3], eps: 2 ** -52 });
    expect(toWeightMatrix([[1, 2, 3]]).matrixShape).toEqual([1, 3]);
    expect(toWeightMatrix(new Float32Array([1, 2])).matrixShape).toEqual([2, 1]);
  });

  it('names the parameter given in its errors', () => {
    expect(() => toWeightMatrix([[1], [2, 3]], 'kernel')).toThrow(/"kernel"/);
    expect(() => toWeightMatrix([['a']] as never)).toThrow(/numbers/);
    expect(() => toWeightMatrix(new Matrix(0, 3))).toThrow(/weight\.shape/);
  });
});
