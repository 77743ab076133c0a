import {
  averagePrecision, bestF1Threshold, calibrationCurve, confusionMatrix, cumulativeGains, precisionRecallCurve, rocAuc, rocCurve,
} from '../../src/metrics/index.js';
import {
  type ChartSpec, calibrationChart, coefficientChart, confusionHeatmap, cvChart, decisionRegions, gainsChart, lineChart, pathChart, precisionRecallChart,
  reliabilityChart, rocChart,
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
      // birthwt's odds ratios of a normal weight with HC1 intervals, rounded to 4 decimals from
      // test/fixtures/inference/birthwt.json (statsmodels 0.13.5); one name made long.
      name: 'coefficient (forest) plot of odds ratios, log scale',
      spec: coefficientChart(
        ['age (years)', 'lwt (mother\'s weight at last menstrual period, pounds)', 'race[T.other]', 'race[T.white]', 'smoke', 'ptl', 'ht', 'ui', 'ftv'],
        [1.03, 1.0155, 1.4796, 3.5689, 0.3911, 0.5808, 0.1552, 0.4641, 0.9368],
        [0.9592, 1.0011, 0.5331, 1.2837, 0.1811, 0.2563, 0.0409, 0.1735, 0.6673],
        [1.106, 1.0302, 4.1067, 9.9224, 0.8444, 1.316, 0.5888, 1.2418, 1.3151],
        'Low birth weight: odds ratios of a normal weight (birthwt, robust HC1 errors)',
        { xTitle: 'odds ratio (log scale)', reference: 1, logX: true, subtitle: 'race against black', intervalLabel: '95% intervals', estimateLabel: 'odds ratios' },
      ),
    },
    {
      // spector's average marginal effects (dy/dx, overall), test/fixtures/inference/spector.json, rounded.
      name: 'coefficient plot of marginal effects, no intervals',
      spec: coefficientChart(['GPA', 'TUCE', 'PSI (a new teaching method, 0/1)'], [0.3626, 0.0122, 0.3052], null, null, 'Spector: average marginal effects on P(grade improved)', { xTitle: 'dP/dx' }),
    },
    {
      // A lasso path of 12 columns over 20 C with long column names (more columns than colours).
      name: 'regularization path with the non-zero count',
      spec: pathChart(
        Array.from({ length: 20 }, (_, t) => 0.01 * 1.5 ** t),
        Array.from({ length: 20 }, (_, t) => Array.from({ length: 12 }, (_, j) => (t > j ? (j % 2 === 0 ? 1 : -1) * 0.1 * (t - j) * (1 + j / 5) : 0))),
        Array.from({ length: 12 }, (_, j) => (j === 3 ? 'mean concave points of the nuclei (a long name)' : `column_${j}`)),
        Array.from({ length: 20 }, (_, t) => Math.min(t, 12)),
        'Breast cancer: the lasso path of every standardized column, from the all-zero model up',
      ),
    },
    {
      name: 'cross-validation curve with C_min and C_1se',
      spec: cvChart(
        Array.from({ length: 15 }, (_, t) => ({ C: 1e-3 * 2.5 ** t, mean: 0.09 + 0.5 * Math.exp(-t / 2) + 0.002 * (t - 9) ** 2, stdErr: 0.01 + 0.002 * t })),
        1e-3 * 2.5 ** 9, 1e-3 * 2.5 ** 7, 'cross-validated log loss (held-out folds)', '10-fold cross-validation of C, with one standard error bars',
      ),
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
