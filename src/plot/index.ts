export { renderSvg, writeSvg, writeSvgs, writeSvgsAndReport, type ChartSpec } from './render.js';
export {
  lineChart, decisionRegions, confusionHeatmap, rocChart, reliabilityChart, calibrationChart, precisionRecallChart, gainsChart, coefficientChart, pathChart, cvChart, CATEGORY_COLOURS,
  type Series, type LineChartOptions, type CalibrationBins, type CalibrationChartOptions, type MarkedThreshold, type ConfusionHeatmapOptions,
  type DecisionRegionsOptions, type CoefficientChartOptions,
} from './charts.js';
export type { GridCell } from './regionRaster.js';
export { textWidth } from './textWidth.js';
