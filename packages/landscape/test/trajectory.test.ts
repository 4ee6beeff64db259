import { describe, it, expect, beforeAll } from 'vitest';
import { tf, useBackend } from '@descent/tensor';
import { trajectoryPca, pcaDirections, flattenParams, unflattenParams, layoutOf } from '@descent/landscape';
import { fixture, maxAbs } from './helpers';

const pca = fixture<{ points: number[][]; coordinates: number[][]; explainedVarianceRatio: number[] }>('pca.json');

describe('trajectory PCA', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  it('matches scikit-learn PCA(2): coordinates (same signs) and explained variance', () => {
    const r = trajectoryPca(pca.points.map((p) => Float32Array.from(p)));
    expect(maxAbs(r.coordinates.flat(), pca.coordinates.flat())).toBeLessThan(1e-5);
    expect(maxAbs(r.explainedVarianceRatio, pca.explainedVarianceRatio)).toBeLessThan(1e-7);
    expect(r.components).toHaveLength(2);
    const norm = Math.hypot(...r.components[0]);
    expect(norm).toBeCloseTo(1, 10);
  });
  it('takes ParamMaps (checkpoints) as well as flat vectors', () => {
    const maps = pca.points.map((p) => ({ w: tf.tensor2d(p.slice(0, 48), [6, 8]), b: tf.tensor1d(p.slice(48)) }));
    const r = trajectoryPca(maps);
    expect(maxAbs(r.coordinates.flat(), pca.coordinates.flat())).toBeLessThan(1e-5);
    const layout = layoutOf(maps[0]);
    expect(layout.size).toBe(64);
    const back = unflattenParams(flattenParams(maps[3], layout), layout);
    expect(maxAbs(back.w.dataSync(), maps[3].w.dataSync())).toBe(0);
    maps.forEach((m) => tf.dispose(Object.values(m)));
    tf.dispose(Object.values(back));
  });
  it('PCA directions: unit, orthogonal, and the path ends at the origin (the last point)', () => {
    const maps = pca.points.map((p) => ({ w: tf.tensor1d(p) }));
    const before = tf.memory().numTensors;
    const { directions, path, explainedVarianceRatio } = pcaDirections(maps);
    expect(tf.memory().numTensors).toBe(before + 2);
    const [a, b] = directions.map((d) => Array.from(d.w.dataSync()));
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect(a.reduce((s, v, i) => s + v * b[i], 0)).toBeCloseTo(0, 5);
    expect(path).toHaveLength(15);
    expect(path[14]).toEqual([0, 0]);
    expect(explainedVarianceRatio[0]).toBeGreaterThan(explainedVarianceRatio[1]);
    maps.forEach((m) => m.w.dispose());
    directions.forEach((d) => d.w.dispose());
  });
  it('rejects too few or mismatched points', () => {
    expect(() => trajectoryPca([new Float32Array(3)])).toThrow(/points/);
    expect(() => trajectoryPca([new Float32Array(3), new Float32Array(4)])).toThrow(/points\[1\]\.length/);
    expect(() => trajectoryPca([new Float32Array(3), new Float32Array(3)], { components: 3 })).toThrow(/components/);
  });
});
