/**
 * @descent/report — plots as Vega-Lite specifications rendered to SVG in Node (no browser), tables,
 * and self-contained HTML reports.
 */
export { type Plot, type PlotKind, type VegaLiteSpec, vegaLitePlot, renderSvg, PLOT_CONFIG } from './plot';
export { type AxisScale } from './validate';
export { lineChart, type LineChartOptions, type FieldAxis } from './line-chart';
export {
  metricsPanels,
  METRICS,
  DEFAULT_METRICS,
  type EpochRecordLike,
  type MetricKey,
  type MetricPanel,
  type MetricsPanelsOptions,
} from './metrics-panels';
export { heatmap, contour, type HeatmapOptions } from './heatmap';
export { type GridInput } from './grid';
export { scatter, type ScatterOptions, type ScatterPoint, type AxisOptions } from './scatter';
export { bars, type Bar, type BarsOptions } from './bars';
export { histogram, type HistogramOptions } from './histogram';
export { table, markdownTable, textTable, type Column, type TableRow, type TableOptions } from './table';
export { EPOCH_COLUMNS } from './epoch-columns';
export { formatValue, type CellFormat } from './format';
export { htmlReport, SPECS_ELEMENT_ID, type HtmlReportOptions, type ReportSection, type ReportLink } from './html-report';
export { writeReport } from './write-report';
export { surface3d, SURFACE3D_SCRIPT, type Surface3D, type Surface3DOptions, type Surface3DData } from './surface3d';
export { type PersistencePoint } from './persistence-pairs';
export { persistenceDiagram, type PersistenceDiagramOptions } from './persistence-diagram';
export { barcode, type BarcodeOptions } from './barcode';
export { bettiCurves, type BettiCurvesOptions, type BettiCurveInput } from './betti-curve';
export { type MatrixLike } from './matrix';
export { waveletCoefficientMaps, type WaveletMapsOptions, type WaveletDetailBands } from './wavelet-maps';
export { scalogram, type ScalogramOptions } from './scalogram';
