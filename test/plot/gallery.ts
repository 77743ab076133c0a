import {
  averagePrecision, bestF1Threshold, calibrationCurve, confusionMatrix, cumulativeGains, precisionRecallCurve, rocAuc, rocCurve,
} from '../../src/metrics/index.js';
import {
  type ChartSpec, calibrationChart, confusionHeatmap, decisionRegions, gainsChart, lineChart, precisionRecallChart, reliabilityChart, rocChart,
} from '../../src/plot/charts.js';
import { createRng } from '../../src/util/random.js';

/**
 * One chart of every kind, drawn from realistic synthetic data (a seeded binary scorer, a 3-class
 * linear rule on a grid), with long titles and class names: what the clipping test renders, and
 * what was looked at as PNG.
 */

/** 600 rows: y ~ Bernoulli(σ(2z)), score σ(1.6z + noise), rounded to 3 decimals (some ties). */
export function binaryScores(seed = 7): { y: number[]; p: number[] } {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const y: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < 600; i++) {
    const z = gauss() - 0.4;
    y.push(rng.next() < 1 / (1 + Math.exp(-2 * z)) ? 1 : 0);
    p.push(Math.round(1000 / (1 + Math.exp(-(1.6 * z + 0.5 * gauss())))) / 1000);
  }
  return { y, p };
}

/** Three classes split by straight lines on [0.8, 7.2] × [0, 2.7], like petal length and width. */
export function regionsData(step = 0.05): {
  grid: Array<{ x: number; y: number; label: string }>; points: Array<{ x: number; y: number; label: string }>; classify: (x: number, y: number) => string;
} {
  const classify = (x: number, y: number) => (x + 2 * y < 4.2 ? 'setosa' : x + 1.6 * y < 7.6 ? 'versicolor' : 'virginica');
  const grid: Array<{ x: number; y: number; label: string }> = [];
  for (let gx = 0.8; gx < 7.2; gx += step) for (let gy = 0; gy < 2.7; gy += step) grid.push({ x: gx, y: gy, label: classify(gx + step / 2, gy + step / 2) });
  const rng = createRng(3);
  const points = Array.from({ length: 150 }, () => {
    const x = 1 + 5.9 * rng.next();
    const y = Math.max(0.1, Math.min(2.5, 0.42 * x - 0.4 + 0.5 * (rng.next() - 0.5)));
    return { x, y, label: classify(x, y) };
  });
  return { grid, points, classify };
}

export interface GalleryChart {
  name: string;
  spec: ChartSpec;
}

export function chartGallery(): GalleryChart[] {
  const { y, p } = binaryScores();
  const roc = rocCurve(y, p);
  const cal = calibrationCurve(y, p, 10);
  const { grid, points, classify } = regionsData();
  const coarse = regionsData(0.2);
  const digits = Array.from({ length: 10 }, (_, k) => String(k));
  const rng = createRng(11);
  const truth = Array.from({ length: 900 }, (_, i) => digits[i % 10]!);
  const guess = truth.map((t) => (rng.next() < 0.85 ? t : digits[rng.int(10)]!));
  const digitsConfusion = confusionMatrix(truth, guess, digits);
  const longNames = ['Iris-setosa (Linnaeus)', 'Iris-versicolor', 'Iris-virginica'];
  const weights = y.map((_, i) => 0.5 + (i % 4) * 0.5);
  const prevalence = y.reduce((a, b) => a + b, 0) / y.length;
  return [
    {
      name: 'line chart (log x, long legend entries)',
      spec: lineChart(
        [
          { name: 'L-BFGS with a strong-Wolfe line search', x: [1, 2, 4, 8, 16], y: [1, 0.1, 0.01, 1e-4, 1e-8] },
          { name: 'Newton–CG (truncated, 10 inner steps)', x: [1, 2, 4, 8], y: [1, 1e-3, 1e-9, 1e-15] },
        ],
        { title: 'Convergence of the solvers on breast-cancer (standardized, C = 1)', xTitle: 'iteration', yTitle: 'gradient norm (∞)', logX: true, logY: true, legendTitle: 'solver' },
      ),
    },
    { name: 'ROC curve', spec: rocChart(roc.fpr, roc.tpr, rocAuc(y, p), 'ROC curve: breast-cancer (positive class malignant)') },
    { name: 'reliability diagram', spec: reliabilityChart(cal.meanPredicted, cal.fractionPositive, 'Reliability diagram: breast-cancer') },
    { name: 'calibration with histogram (uniform bins)', spec: calibrationChart(cal, 'Calibration: breast-cancer (held out, positive class malignant)') },
    {
      name: 'calibration with histogram (quantile bins, weighted)',
      spec: calibrationChart(calibrationCurve(y, p, { nBins: 8, strategy: 'quantile', sampleWeight: weights }), 'Calibration: breast-cancer, weighted rows'),
    },
    {
      name: 'precision-recall curve',
      spec: precisionRecallChart(precisionRecallCurve(y, p), averagePrecision(y, p), prevalence, 'Precision–recall curve: breast-cancer (positive class malignant)', {
        bestF1: bestF1Threshold(y, p),
      }),
    },
    { name: 'cumulative gains and lift', spec: gainsChart(cumulativeGains(y, p), 'Cumulative gains and lift: breast-cancer', { prevalence }) },
    {
      name: 'confusion heat map, weighted',
      spec: confusionHeatmap(['benign', 'malignant'], [[201.5, 12.25], [9.75, 120]], 'Confusion matrix at threshold 0.35 (weighted)', { legendTitle: 'weight of rows' }),
    },
    { name: 'confusion heat map, 10 classes', spec: confusionHeatmap(digitsConfusion.labels.map(String), digitsConfusion.matrix, 'Confusion matrix: digits (held out)') },
    {
      name: 'confusion heat map, long class names',
      spec: confusionHeatmap(longNames, [[50, 0, 0], [0, 47, 3], [0, 2, 48]], 'Confusion matrix: iris'),
    },
    {
      name: 'decision regions',
      spec: decisionRegions(grid, points, { title: 'Iris: softmax regression decision regions (C = 10)', xTitle: 'petal length (cm)', yTitle: 'petal width (cm)', step: 0.05, legendTitle: 'species' }),
    },
    {
      name: 'decision regions, coarse grid (step 0.2)',
      spec: decisionRegions(coarse.grid, coarse.points, { title: 'Decision regions from a coarse grid (step 0.2)', xTitle: 'petal length (cm)', yTitle: 'petal width (cm)', step: 0.2, legendTitle: 'species' }),
    },
    {
      name: 'decision regions with the classifier',
      spec: decisionRegions(grid, points, {
        title: 'Iris: decision regions, classified per pixel', xTitle: 'petal length (cm)', yTitle: 'petal width (cm)', step: 0.05, legendTitle: 'species',
        predict: (xy) => xy.map(([x, y]) => classify(x, y)),
      }),
    },
  ];
}
