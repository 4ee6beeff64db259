import { describe, expect, it } from 'vitest';
import { DescentError, InvalidParameterError } from '@descent/tensor/errors';
import * as report from '@descent/report';

// The other test files stand in a light copy of @descent/tensor (its error classes without
// TensorFlow.js); this one checks against the real module.
describe('@descent/report', () => {
  it('throws the real InvalidParameterError of @descent/tensor', async () => {
    const attempts: Array<() => unknown> = [
      () => report.lineChart({ title: 't', x: { field: 'x' }, y: { field: 'y' }, data: [] }),
      () => report.heatmap({ title: 't', grid: [[1, 2]], x: [0, 1], y: [0] }),
      () => report.table([], []),
    ];
    for (const attempt of attempts) {
      let caught: unknown;
      try {
        attempt();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InvalidParameterError);
      expect(caught).toBeInstanceOf(DescentError);
      expect((caught as DescentError).code).toBe('INVALID_PARAMETER');
    }
    await expect(report.writeReport('', '')).rejects.toBeInstanceOf(InvalidParameterError);
  });

  it('exports one builder per kind of plot, tables and the report', () => {
    const functions = Object.entries(report)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k)
      .sort();
    expect(functions).toEqual(
      [
        'barcode',
        'bars',
        'bettiCurves',
        'contour',
        'persistenceDiagram',
        'scalogram',
        'waveletCoefficientMaps',
        'formatValue',
        'heatmap',
        'histogram',
        'htmlReport',
        'lineChart',
        'markdownTable',
        'metricsPanels',
        'renderSvg',
        'scatter',
        'surface3d',
        'table',
        'textTable',
        'vegaLitePlot',
        'writeReport',
      ].sort()
    );
  });
});
