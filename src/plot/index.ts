export { renderSvg, writeSvg, writeSvgs, writeSvgsAndReport, type ChartSpec } from './render.js';
export { lineChart, decisionRegions, confusionHeatmap, rocChart, reliabilityChart, type Series, type LineChartOptions } from './charts.js';
