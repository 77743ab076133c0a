import type { TopLevelSpec } from 'vega-lite';

/** A vega-lite specification. */
export type ChartSpec = TopLevelSpec;

/**
 * Chart builders: each takes plain arrays and returns a vega-lite specification with a title,
 * labelled axes and, where there is more than one series, a legend. Render with render.ts.
 */

const WIDTH = 420;
const HEIGHT = 300;

/** One named series of (x, y) points. */
export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface LineChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  logX?: boolean;
  logY?: boolean;
  /** Draw point marks on the line too. */
  points?: boolean;
  /** Title of the legend (default "series"). */
  legendTitle?: string;
  /** Both axes exactly [0, 1] (for rates and probabilities). */
  unitSquare?: boolean;
}

/** Lines for several series on shared axes (log scales optional); one legend entry per series. */
export function lineChart(series: readonly Series[], o: LineChartOptions): ChartSpec {
  const values = series.flatMap((s) => Array.from(s.x, (x, i) => ({ x, y: s.y[i]!, series: s.name })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: o.title,
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'line', point: o.points ?? false },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: o.xTitle, scale: o.unitSquare ? { domain: [0, 1] } : o.logX ? { type: 'log' } : { zero: false } },
      y: { field: 'y', type: 'quantitative', title: o.yTitle, scale: o.unitSquare ? { domain: [0, 1] } : o.logY ? { type: 'log' } : { zero: false } },
      color: { field: 'series', type: 'nominal', title: o.legendTitle ?? 'series', sort: series.map((s) => s.name) },
    },
  };
}

/**
 * Decision regions of a 2-feature classifier: `grid` cells (cell centres x, y with the predicted
 * class) drawn as squares of side `step`, under the labelled points.
 */
export function decisionRegions(
  grid: ReadonlyArray<{ x: number; y: number; label: string }>, points: ReadonlyArray<{ x: number; y: number; label: string }>,
  o: { title: string; xTitle: string; yTitle: string; step: number; legendTitle?: string },
): ChartSpec {
  const classes = [...new Set(points.map((p) => p.label))].sort();
  const color = { field: 'label', type: 'nominal' as const, title: o.legendTitle ?? 'class', scale: { domain: classes } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: o.title,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: grid.map((g) => ({ ...g, x2: g.x + o.step, y2: g.y + o.step, x: g.x, y: g.y })) },
        mark: { type: 'rect', opacity: 0.25 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: o.xTitle, scale: { zero: false, nice: false } },
          x2: { field: 'x2' },
          y: { field: 'y', type: 'quantitative', title: o.yTitle, scale: { zero: false, nice: false } },
          y2: { field: 'y2' },
          color,
        },
      },
      {
        data: { values: points.map((p) => ({ ...p })) },
        mark: { type: 'point', filled: true, size: 30, stroke: 'black', strokeWidth: 0.3 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          color,
          shape: { field: 'label', type: 'nominal', title: o.legendTitle ?? 'class' },
        },
      },
    ],
  };
}

/** A confusion matrix as a heat map, with the count written in every cell (rows: true class). */
export function confusionHeatmap(labels: readonly string[], matrix: readonly (readonly number[])[], title: string): ChartSpec {
  const values = matrix.flatMap((row, a) => row.map((count, b) => ({ truth: labels[a]!, predicted: labels[b]!, count })));
  const max = Math.max(1, ...values.map((v) => v.count));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: Math.max(160, 36 * labels.length),
    height: Math.max(160, 36 * labels.length),
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'nominal', title: 'predicted class', sort: [...labels] },
      y: { field: 'truth', type: 'nominal', title: 'true class', sort: [...labels] },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', title: 'rows', scale: { scheme: 'blues' } } } },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}

/** ROC curve (false vs true positive rate) with the chance diagonal; the AUC goes in the legend. */
export function rocChart(fpr: ArrayLike<number>, tpr: ArrayLike<number>, auc: number, title: string): ChartSpec {
  return lineChart(
    [
      { name: `model (AUC ${auc.toFixed(3)})`, x: fpr, y: tpr },
      { name: 'chance', x: [0, 1], y: [0, 1] },
    ],
    { title, xTitle: 'false positive rate', yTitle: 'true positive rate', legendTitle: 'curve', unitSquare: true },
  );
}

/** Reliability diagram: observed fraction of positives against mean predicted probability per bin, with the diagonal. */
export function reliabilityChart(meanPredicted: ArrayLike<number>, fractionPositive: ArrayLike<number>, title: string): ChartSpec {
  return lineChart(
    [
      { name: 'model', x: meanPredicted, y: fractionPositive },
      { name: 'perfectly calibrated', x: [0, 1], y: [0, 1] },
    ],
    { title, xTitle: 'mean predicted probability (bin)', yTitle: 'fraction of positives (bin)', legendTitle: 'curve', points: true, unitSquare: true },
  );
}
