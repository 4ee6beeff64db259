import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '@descent/tensor/errors';
import { bettiCurves, type BettiCurveInput } from '@descent/report';
import { assertWellFormed, countMarks, texts } from './helpers/svg';

const grid = [0, 0.25, 0.5, 0.75, 1];
const curves: BettiCurveInput[] = [
  { dimension: 0, grid, values: Int32Array.from([1, 3, 2, 1, 1]) },
  { dimension: 1, grid, values: [0, 0, 1, 2, 0] },
];

describe('bettiCurves', () => {
  it('draws one step line per dimension', async () => {
    const plot = bettiCurves({ title: 'Betti curves', curves });
    const spec = plot.spec as unknown as { layer: Array<{ mark: { type: string; interpolate?: string } }>; data: { values: Array<{ t: number; betti: number; dimension: string }> } };
    expect(spec.layer[0].mark).toMatchObject({ type: 'line', interpolate: 'step-after' });
    expect(spec.data.values.filter((v) => v.dimension === 'β1').map((v) => v.betti)).toEqual([0, 0, 1, 2, 0]);
    const svg = await plot.toSvg();
    assertWellFormed(svg);
    expect(countMarks(svg, 'line mark')).toBe(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Betti curves', 'β0', 'β1', 'filtration value', 'Betti number']));
  });

  it.each<[string, unknown]>([
    ['no curves', []],
    ['a repeated dimension', [curves[0], curves[0]]],
    ['a non-integer Betti number', [{ dimension: 0, grid, values: [1, 1.5, 1, 1, 1] }]],
    ['a negative Betti number', [{ dimension: 0, grid, values: [1, -1, 1, 1, 1] }]],
    ['values shorter than the grid', [{ dimension: 0, grid, values: [1, 1] }]],
    ['a decreasing grid', [{ dimension: 0, grid: [0, 1, 0.5, 2, 3], values: [1, 1, 1, 1, 1] }]],
  ])('refuses %s with InvalidParameterError', (_, bad) => {
    expect(() => bettiCurves({ title: 'B', curves: bad as never })).toThrow(InvalidParameterError);
  });
});
