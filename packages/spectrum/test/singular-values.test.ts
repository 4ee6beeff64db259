import { beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend, Rng, InvalidParameterError, DescentError } from '@descent/tensor';
import { Matrix } from 'ml-matrix';
import { singularValues, spectralNorm, AUTO_RANDOMIZED_MIN_SIDE } from '@descent/spectrum';
import { toWeightMatrix } from '../src/matrix';
import { resolveMethod } from '../src/singular-values';
import { gaussian, rows } from './helpers';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('singularValues / spectralNorm', () => {
  it('accept tensors, ml-matrix matrices, rows and vectors alike', () => {
    const a = gaussian(new Rng('inputs'), 6, 4);
    const fromRows = singularValues(rows(a, 6, 4));
    const fromMatrix = singularValues(new Matrix(rows(a, 6, 4)));
    expect(fromMatrix).toEqual(fromRows);
    // A [6, 4] tfjs kernel is the [4, 6] matrix: the same singular values (of the float32 copy).
    const t = tf.tensor2d(rows(a, 6, 4));
    try {
      const fromTensor = singularValues(t);
      fromTensor.forEach((v, i) => expect(v).toBeCloseTo(fromRows[i], 6));
      expect(spectralNorm(t)).toBe(fromTensor[0]);
    } finally {
      t.dispose();
    }
    expect(singularValues([0, 3, 4])).toEqual(new Float64Array([5]));
  });

  it('return the top k, by the full SVD or the randomised solver', () => {
    const a = rows(gaussian(new Rng('k'), 80, 60), 80, 60);
    const all = singularValues(a);
    expect(all.length).toBe(60);
    expect(singularValues(a, { k: 5 })).toEqual(all.slice(0, 5));
    const r = singularValues(a, { k: 5, method: 'randomized' });
    r.forEach((v, i) => expect(Math.abs(v - all[i]) / all[i]).toBeLessThan(1e-8));
  });

  it("'auto' is randomised only for a few top values of a large matrix", () => {
    const w = (m: number, n: number) => ({ rows: m, cols: n }) as ReturnType<typeof toWeightMatrix>;
    const big = AUTO_RANDOMIZED_MIN_SIDE;
    expect(resolveMethod('auto', w(big, big), 1)).toBe('randomized');
    expect(resolveMethod('auto', w(big, big), 2)).toBe('randomized');
    expect(resolveMethod('auto', w(big, big), 3)).toBe('full');
    expect(resolveMethod('auto', w(1024, 4096), 8)).toBe('randomized');
    expect(resolveMethod('auto', w(1024, 4096), 9)).toBe('full');
    expect(resolveMethod('auto', w(big - 1, 4096), 1)).toBe('full');
    expect(resolveMethod('auto', w(4096, 4096), undefined)).toBe('full');
    expect(resolveMethod('full', w(4096, 4096), 1)).toBe('full');
  });

  it("spectralNorm on a 600×700 layer: 'auto' (randomised) agrees with the full SVD to 1e-8", () => {
    const t = tf.tidy(() => new Rng('sn').randomNormal([600, 700]));
    try {
      const exact = spectralNorm(t, { method: 'full' });
      const auto = spectralNorm(t);
      expect(Math.abs(auto - exact) / exact).toBeLessThan(1e-8);
      expect(auto).toBeLessThanOrEqual(exact * (1 + 1e-12));
    } finally {
      t.dispose();
    }
  });

  it('throw NOT_CONVERGED rather than return unsettled values', () => {
    const a = rows(gaussian(new Rng('slow'), 300, 300), 300, 300);
    let error: unknown;
    try {
      singularValues(a, { k: 1, method: 'randomized', maxIterations: 2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DescentError);
    expect((error as DescentError).code).toBe('NOT_CONVERGED');
  });

  it('validate k, method and the solver options', () => {
    const a = [[1, 2], [3, 4], [5, 6]];
    for (const [options, parameter] of [
      [{ k: 0 }, 'k'],
      [{ k: 3 }, 'k'],
      [{ k: 1.5 }, 'k'],
      [{ method: 'lanczos' }, 'method'],
      [{ method: 'randomized' }, 'k'],
      [{ method: 'randomized', k: 1, tol: 0 }, 'tol'],
      [{ method: 'randomized', k: 1, oversampling: -1 }, 'oversampling'],
      [{ method: 'randomized', k: 1, maxIterations: 0 }, 'maxIterations'],
    ] as const) {
      expect(() => singularValues(a, options as never)).toThrow(InvalidParameterError);
      try {
        singularValues(a, options as never);
      } catch (e) {
        expect((e as InvalidParameterError).parameter).toBe(parameter);
      }
    }
  });
});
