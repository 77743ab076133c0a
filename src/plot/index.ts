export { renderSvg, writeSvg, writeSvgs, type ChartSpec } from './render.js';
export { lineChart, decisionRegions, confusionHeatmap, rocChart, reliabilityChart, type Series, type LineChartOptions } from './charts.js';
