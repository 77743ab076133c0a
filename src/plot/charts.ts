import type { TopLevelSpec } from 'vega-lite';
import { pngDataUrl } from './png.js';
import { type GridCell, imageOfClasses, latticeOf, pixelCentres, regionImage } from './regionRaster.js';
import { textWidth } from './textWidth.js';

/**
 * A vega-lite specification (https://vega.github.io/vega-lite/docs/spec.html), as plain data that
 * vega-embed, vega-lite's `compile` or renderSvg take. Typed by its shape alone so that the
 * package's types need no vega-lite; each builder below is checked against vega-lite's own
 * `TopLevelSpec` (cast a ChartSpec to it to read one with vega-lite's types).
 */
export interface ChartSpec {
  $schema?: string;
  [key: string]: unknown;
}

/**
 * Chart builders: each takes plain arrays (or a metric's result) and returns a vega-lite
 * specification with a title, labelled axes and, where there is more than one series, a legend.
 * Render with render.ts, or with vega-embed in a browser. No text is ever shortened: every
 * chart lifts vega's length limits on titles, axis labels and legend entries (CONFIG), and the
 * picture grows to hold them.
 */

const WIDTH = 420;
const HEIGHT = 300;
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Limits of 0 mean "none": vega otherwise cuts legend labels at 160 px and axis labels at 180 px with "…". */
const CONFIG = {
  title: { limit: 0, fontSize: 14, subtitleFontSize: 11, anchor: 'middle' },
  axis: { labelLimit: 0, titleLimit: 0 },
  legend: { labelLimit: 0, titleLimit: 0 },
  header: { labelLimit: 0, titleLimit: 0 },
} as const;

/** vega-lite's default categorical colours (the "tableau10" scheme), named so rasters can match them. */
export const CATEGORY_COLOURS = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'] as const;
const MODEL = CATEGORY_COLOURS[0];
const REFERENCE = '#888888';
const DASHED = [5, 4];
const DOTTED = [2, 3];

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
    $schema: SCHEMA,
    title: o.title,
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values },
    mark: { type: 'line', point: o.points ?? false },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: o.xTitle, scale: o.unitSquare ? { domain: [0, 1] } : o.logX ? { type: 'log', nice: false } : { zero: false } },
      y: { field: 'y', type: 'quantitative', title: o.yTitle, scale: o.unitSquare ? { domain: [0, 1] } : o.logY ? { type: 'log', nice: false } : { zero: false } },
      color: { field: 'series', type: 'nominal', title: o.legendTitle ?? 'series', sort: series.map((s) => s.name) },
    },
  } satisfies TopLevelSpec;
}

/** A curve of a chart with reference lines: its legend entry, points and look. */
interface Curve {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  colour: string;
  /** Stroke dash pattern; solid when absent. */
  dash?: readonly number[];
  /** Mark the points. */
  points?: boolean;
  /** Steps: horizontal from each point to the next x, then vertical (matplotlib's steps-post). */
  step?: boolean;
}

interface AxisOptions {
  title: string | null;
  domain?: [number, number];
  /** Hide tick labels (an axis shared with the panel below). */
  noLabels?: boolean;
  zero?: boolean;
}

function axisEncoding(field: 'x' | 'y', a: AxisOptions) {
  return {
    field,
    type: 'quantitative' as const,
    title: a.title,
    scale: a.domain ? { domain: a.domain, nice: false } : { zero: a.zero ?? false },
    ...(a.noLabels ? { axis: { labels: false, ticks: false } } : {}),
  };
}

/** A single marked point, listed in a legend of its own (e.g. the threshold of best F1). */
interface Marker {
  name: string;
  x: number;
  y: number;
  colour: string;
}

/**
 * A panel of curves in a shared legend: each curve a line layer drawn in data order (so steps and
 * curves that turn back keep their shape), colour and dash both keyed to the curve's name; point
 * marks on a curve are a layer of their own, outside the legend, so the legend shows line
 * samples. Markers get a second legend, titled `markerTitle`.
 */
function curvesPanel(
  curves: readonly Curve[], x: AxisOptions, y: AxisOptions, legendTitle: string, height = HEIGHT, markers: readonly Marker[] = [], markerTitle = 'marked',
) {
  for (const c of curves) {
    if (c.x.length !== c.y.length) throw new RangeError(`the curve "${c.name}" has ${c.x.length} x values but ${c.y.length} y values`);
  }
  const names = curves.map((c) => c.name);
  const colour = { field: 'curve', type: 'nominal' as const, title: legendTitle, scale: { domain: names, range: curves.map((c) => c.colour) } };
  const dash = { field: 'curve', type: 'nominal' as const, title: legendTitle, scale: { domain: names, range: curves.map((c) => [...(c.dash ?? [1, 0])]) } };
  const values = (c: Curve) => Array.from(c.x, (xv, i) => ({ x: xv, y: c.y[i]!, curve: c.name, i }));
  const lines = curves.map((c) => ({
    data: { values: values(c) },
    mark: { type: 'line' as const, interpolate: c.step ? ('step-after' as const) : ('linear' as const), strokeWidth: 2 },
    encoding: { order: { field: 'i', type: 'quantitative' as const }, color: colour, strokeDash: dash },
  }));
  const dots = curves.filter((c) => c.points).map((c) => ({
    data: { values: values(c) },
    mark: { type: 'point' as const, filled: true, size: 40, color: c.colour, opacity: 1 },
  }));
  const marks = markers.length === 0 ? [] : [{
    data: { values: markers.map((m) => ({ x: m.x, y: m.y, marker: m.name })) },
    mark: { type: 'point' as const, filled: true, size: 90, opacity: 1, stroke: 'white', strokeWidth: 1 },
    encoding: {
      shape: { field: 'marker', type: 'nominal' as const, title: markerTitle, scale: { domain: markers.map((m) => m.name), range: markers.map(() => 'circle') } },
      fill: { field: 'marker', type: 'nominal' as const, title: markerTitle, scale: { domain: markers.map((m) => m.name), range: markers.map((m) => m.colour) } },
    },
  }];
  return {
    width: WIDTH,
    height,
    encoding: { x: axisEncoding('x', x), y: axisEncoding('y', y) },
    layer: [...lines, ...dots, ...marks],
  };
}

/** ROC curve (false vs true positive rate) with the chance diagonal; the AUC goes in the legend. */
export function rocChart(fpr: ArrayLike<number>, tpr: ArrayLike<number>, auc: number, title: string): ChartSpec {
  return {
    $schema: SCHEMA,
    title,
    config: CONFIG,
    ...curvesPanel(
      [
        { name: `model (AUC ${auc.toFixed(3)})`, x: fpr, y: tpr, colour: MODEL },
        { name: 'chance (AUC 0.5)', x: [0, 1], y: [0, 1], colour: REFERENCE, dash: DASHED },
      ],
      { title: 'false positive rate', domain: [0, 1] },
      { title: 'true positive rate', domain: [0, 1] },
      'curve',
    ),
  } satisfies TopLevelSpec;
}

/** Reliability diagram: observed fraction of positives against mean predicted probability per bin, with the diagonal. */
export function reliabilityChart(meanPredicted: ArrayLike<number>, fractionPositive: ArrayLike<number>, title: string): ChartSpec {
  return {
    $schema: SCHEMA,
    title,
    config: CONFIG,
    ...curvesPanel(
      [
        { name: 'model', x: meanPredicted, y: fractionPositive, colour: MODEL, points: true },
        { name: 'perfectly calibrated', x: [0, 1], y: [0, 1], colour: REFERENCE, dash: DASHED },
      ],
      { title: 'mean predicted probability (bin)', domain: [0, 1] },
      { title: 'fraction of positives (bin)', domain: [0, 1] },
      'curve',
    ),
  } satisfies TopLevelSpec;
}

/** What calibrationChart draws: a calibration curve as `calibrationCurve` returns it. */
export interface CalibrationBins {
  /** All bin edges e₀ … e_B. */
  edges: ArrayLike<number>;
  /** Index j of each non-empty bin, which covers (e_j, e_{j+1}]. */
  bin: ArrayLike<number>;
  meanPredicted: ArrayLike<number>;
  fractionPositive: ArrayLike<number>;
  count: ArrayLike<number>;
  /** Σ weights per bin, when rows are weighted. */
  weight?: ArrayLike<number>;
  strategy?: 'uniform' | 'quantile';
}

export interface CalibrationChartOptions {
  /** Histogram of Σ weights instead of row counts (default: weights when `weight` differs from `count`). */
  showWeight?: boolean;
}

/**
 * Reliability diagram over a histogram of the rows in each bin, sharing the probability axis
 * (what scikit-learn's CalibrationDisplay users add under it): the diagram shows, per bin, the
 * observed fraction of positives against the mean predicted probability, with the diagonal of
 * perfect calibration; the histogram shows how many rows (or how much weight) each bin's point
 * rests on, bars spanning the bin's edges (equal-width for 'uniform' bins, equal-count for
 * 'quantile' ones).
 */
export function calibrationChart(curve: CalibrationBins, title: string, o: CalibrationChartOptions = {}): ChartSpec {
  const n = curve.bin.length;
  for (const [name, a] of [['meanPredicted', curve.meanPredicted], ['fractionPositive', curve.fractionPositive], ['count', curve.count]] as const) {
    if (a.length !== n) throw new RangeError(`calibrationChart: curve.${name} has ${a.length} entries but there are ${n} bins`);
  }
  const weighted = o.showWeight ?? (curve.weight !== undefined && Array.from(curve.weight).some((w, b) => w !== curve.count[b]));
  const heights = weighted && curve.weight ? curve.weight : curve.count;
  const binLabel = curve.strategy === 'quantile' ? 'quantile bins' : 'equal-width bins';
  const bars = Array.from(curve.bin, (j, b) => {
    const lower = curve.edges[j]!;
    const upper = curve.edges[j + 1]!;
    // A quantile bin can be a single value (repeated edge); give it a sliver of width to be seen.
    const pad = upper - lower < 0.004 ? (0.004 - (upper - lower)) / 2 : 0;
    return { lower: Math.max(0, lower - pad), upper: Math.min(1, upper + pad), height: heights[b]! };
  });
  const probability = 'mean predicted probability (bin)';
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle: `${curve.bin.length} non-empty ${binLabel}` },
    config: CONFIG,
    spacing: 8,
    resolve: { scale: { x: 'shared' } },
    vconcat: [
      curvesPanel(
        [
          { name: 'model', x: curve.meanPredicted, y: curve.fractionPositive, colour: MODEL, points: true },
          { name: 'perfectly calibrated', x: [0, 1], y: [0, 1], colour: REFERENCE, dash: DASHED },
        ],
        { title: null, domain: [0, 1], noLabels: true },
        { title: 'fraction of positives (bin)', domain: [0, 1] },
        'curve',
      ),
      {
        width: WIDTH,
        height: 110,
        data: { values: bars },
        mark: { type: 'rect', color: MODEL, opacity: 0.75, xOffset: 0.5, x2Offset: -0.5 },
        encoding: {
          x: { field: 'lower', type: 'quantitative', title: probability, scale: { domain: [0, 1], nice: false } },
          x2: { field: 'upper' },
          y: { field: 'height', type: 'quantitative', title: weighted ? 'weight per bin' : 'rows per bin', axis: { tickCount: 4 } },
          y2: { datum: 0 },
        },
      },
    ],
  } satisfies TopLevelSpec;
}

/** The point of best F1 to mark on a precision–recall chart. */
export interface MarkedThreshold {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Precision–recall curve as steps (precision constant until the next threshold, so the area under
 * the steps is the average precision, which the legend gives), with the prevalence as the chance
 * baseline (a random scorer's precision) and, optionally, the point of best F1.
 */
export function precisionRecallChart(
  curve: { precision: ArrayLike<number>; recall: ArrayLike<number> }, averagePrecision: number, prevalence: number, title: string,
  o: { bestF1?: MarkedThreshold } = {},
): ChartSpec {
  const curves: Curve[] = [
    { name: `model (AP ${averagePrecision.toFixed(3)})`, x: curve.recall, y: curve.precision, colour: MODEL, step: true },
    { name: `chance (prevalence ${prevalence.toFixed(3)})`, x: [0, 1], y: [prevalence, prevalence], colour: REFERENCE, dash: DASHED },
  ];
  const b = o.bestF1;
  const markers = b ? [{ name: `best F1 ${b.f1.toFixed(3)} at p ≥ ${b.threshold.toPrecision(3)}`, x: b.recall, y: b.precision, colour: CATEGORY_COLOURS[2] }] : [];
  return {
    $schema: SCHEMA,
    title,
    config: CONFIG,
    ...curvesPanel(curves, { title: 'recall', domain: [0, 1] }, { title: 'precision', domain: [0, 1] }, 'curve', HEIGHT, markers, 'threshold'),
  } satisfies TopLevelSpec;
}

/**
 * Cumulative gains (top) and lift (bottom) against the fraction of rows targeted, highest scores
 * first, sharing that axis. Gains start at (0, 0); the diagonal is random targeting and, given the
 * prevalence π, the dotted line is a perfect ranking (all positives within the first π of rows).
 * Lift = gains / fraction, 1 for random targeting.
 */
export function gainsChart(
  gains: { fraction: ArrayLike<number>; gains: ArrayLike<number>; lift: ArrayLike<number> }, title: string, o: { prevalence?: number } = {},
): ChartSpec {
  const fraction = [0, ...Array.from(gains.fraction)];
  const captured = [0, ...Array.from(gains.gains)];
  const top: Curve[] = [
    { name: 'model', x: fraction, y: captured, colour: MODEL },
    { name: 'random', x: [0, 1], y: [0, 1], colour: REFERENCE, dash: DASHED },
  ];
  if (o.prevalence !== undefined) top.push({ name: 'perfect ranking', x: [0, o.prevalence, 1], y: [0, 1, 1], colour: REFERENCE, dash: DOTTED });
  const targeted = 'fraction of rows targeted (highest scores first)';
  return {
    $schema: SCHEMA,
    title,
    config: CONFIG,
    spacing: 12,
    resolve: { scale: { x: 'shared', color: 'independent', strokeDash: 'independent' }, legend: { color: 'independent', strokeDash: 'independent' } },
    vconcat: [
      curvesPanel(top, { title: null, domain: [0, 1], noLabels: true }, { title: 'fraction of positives captured', domain: [0, 1] }, 'cumulative gains', 240),
      curvesPanel(
        [
          { name: 'model', x: gains.fraction, y: gains.lift, colour: MODEL },
          { name: 'random (lift 1)', x: [0, 1], y: [1, 1], colour: REFERENCE, dash: DASHED },
        ],
        { title: targeted, domain: [0, 1] },
        { title: 'lift', zero: true },
        'lift',
        160,
      ),
    ],
  } satisfies TopLevelSpec;
}

export interface ConfusionHeatmapOptions {
  /** Title of the colour legend (default "count of rows"; say "weight of rows" for weighted counts). */
  legendTitle?: string;
}

/** A confusion matrix as a heat map, with the count written in every cell (rows: true class). */
export function confusionHeatmap(labels: readonly string[], matrix: readonly (readonly number[])[], title: string, o: ConfusionHeatmapOptions = {}): ChartSpec {
  const values = matrix.flatMap((row, a) => row.map((count, b) => ({ truth: labels[a]!, predicted: labels[b]!, count })));
  const max = Math.max(1, ...values.map((v) => v.count));
  const integers = values.every((v) => Number.isInteger(v.count));
  const side = Math.max(160, 36 * labels.length);
  // Column labels read horizontally when each fits its column (axis labels are 10 px), else upright.
  const labelAngle = Math.max(...labels.map((l) => textWidth(l, 10))) <= side / labels.length - 6 ? 0 : 270;
  return {
    $schema: SCHEMA,
    title,
    config: CONFIG,
    width: side,
    height: side,
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'nominal', title: 'predicted class', sort: [...labels], axis: { labelAngle } },
      y: { field: 'truth', type: 'nominal', title: 'true class', sort: [...labels] },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', title: o.legendTitle ?? 'count of rows', scale: { scheme: 'blues', zero: true } } } },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative', format: integers ? ',d' : ',.4~r' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  } satisfies TopLevelSpec;
}

export interface DecisionRegionsOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  /** Side of a grid cell, in data units. */
  step: number;
  legendTitle?: string;
  /** Raster pixels per picture pixel (default 2, sharp on high-density screens). */
  resolution?: number;
  /**
   * The classifier itself, for exact boundaries: called once with the [x, y] centres of all raster
   * pixels, it returns their predicted labels (compared with String()). Without it, boundaries are
   * interpolated from the grid.
   */
  predict?: (points: Array<[number, number]>) => ArrayLike<string | number>;
}

/** Parses '#rrggbb'. */
function rgb(hex: string): [number, number, number] {
  return [Number.parseInt(hex.slice(1, 3), 16), Number.parseInt(hex.slice(3, 5), 16), Number.parseInt(hex.slice(5, 7), 16)];
}

/**
 * Decision regions of a 2-feature classifier under the labelled points. `grid` is a regular grid
 * of cells (lower-left corner x, y on a lattice of side `step`, with the class predicted at the
 * cell's centre), as before; it is drawn as one raster image (a PNG embedded in the chart, tens
 * of kilobytes) at `resolution` pixels per picture pixel, each class's colour at 25% over white.
 * With `predict`, every raster pixel is classified at its centre, so boundaries are exact to the
 * pixel; without it they are interpolated between the grid's cell centres (regionRaster.ts):
 * smooth lines rather than the cells' staircase, within about a third of a cell of a straight
 * boundary inside the grid.
 */
export function decisionRegions(grid: readonly GridCell[], points: ReadonlyArray<{ x: number; y: number; label: string }>, o: DecisionRegionsOptions): ChartSpec {
  const classes = [...new Set([...points.map((p) => p.label), ...grid.map((g) => g.label)])].sort();
  const colours = classes.map((_, k) => CATEGORY_COLOURS[k % CATEGORY_COLOURS.length]!);
  const lattice = latticeOf(grid, o.step, classes);
  const resolution = o.resolution ?? 2;
  if (typeof resolution !== 'number' || !(resolution > 0 && resolution <= 8)) throw new RangeError(`decisionRegions: resolution must be a number in (0, 8], got ${String(resolution)}`);
  const faded = colours.map((c) => rgb(c).map((v) => Math.round(0.25 * v + 0.75 * 255)) as [number, number, number]);
  const [w, h] = [Math.round(WIDTH * resolution), Math.round(HEIGHT * resolution)];
  let image;
  if (o.predict) {
    const index = new Map(classes.map((c, k) => [c, k]));
    const centres = pixelCentres(lattice, w, h);
    const labels = o.predict(centres);
    if (labels.length !== centres.length) throw new RangeError(`decisionRegions: predict returned ${labels.length} labels for ${centres.length} points`);
    const classIndex = Int32Array.from({ length: centres.length }, (_, t) => {
      const k = index.get(String(labels[t]));
      if (k === undefined) throw new RangeError(`decisionRegions: predict returned ${JSON.stringify(labels[t])} at (${centres[t]![0]}, ${centres[t]![1]}), a class absent from the grid and the points`);
      return k;
    });
    image = imageOfClasses(lattice, w, h, faded, classIndex);
  } else {
    image = regionImage(lattice, w, h, faded);
  }
  const region = {
    x: lattice.x0, x2: lattice.x0 + lattice.nx * lattice.step,
    y: lattice.y0, y2: lattice.y0 + lattice.ny * lattice.step,
    url: pngDataUrl(image),
  };
  const legendTitle = o.legendTitle ?? 'class';
  const color = { field: 'label', type: 'nominal' as const, title: legendTitle, scale: { domain: classes, range: colours } };
  return {
    $schema: SCHEMA,
    title: o.title,
    config: CONFIG,
    width: WIDTH,
    height: HEIGHT,
    encoding: {
      x: { field: 'x', type: 'quantitative', title: o.xTitle, scale: { zero: false, nice: false } },
      y: { field: 'y', type: 'quantitative', title: o.yTitle, scale: { zero: false, nice: false } },
    },
    layer: [
      {
        data: { values: [region] },
        mark: { type: 'image', aspect: false, aria: false },
        encoding: { x2: { field: 'x2' }, y2: { field: 'y2' }, url: { field: 'url', type: 'nominal' } },
      },
      {
        data: { values: points.map((p) => ({ ...p })) },
        mark: { type: 'point', filled: true, size: 30, stroke: 'black', strokeWidth: 0.3, opacity: 0.9 },
        encoding: { color, shape: { field: 'label', type: 'nominal', title: legendTitle, scale: { domain: classes } } },
      },
    ],
  } satisfies TopLevelSpec;
}

export interface CoefficientChartOptions {
  /** Title of the estimate axis (default "estimate"). */
  xTitle?: string;
  /** Where the reference line stands: 0 for coefficients and marginal effects (default), 1 for odds ratios. */
  reference?: number;
  /** A log scale for the estimates (odds ratios); every value must then be positive. */
  logX?: boolean;
  /** A line under the title, e.g. how the intervals were computed. */
  subtitle?: string;
  /** What the bars are, for the caption (default "intervals"). */
  intervalLabel?: string;
  /** What the points are, for the caption (default "estimates"). */
  estimateLabel?: string;
}

/**
 * A coefficient ("forest") plot: one row per name, top to bottom in the order given, a point at
 * the estimate and, when `low` and `high` are given, a horizontal bar over the interval; a dashed
 * vertical line at the reference value (0 for coefficients, 1 for odds ratios on a log scale)
 * shows which intervals exclude it. A caption under the title (after the subtitle, on one line)
 * says what points, bars and line are (one colour, so no legend). The estimate axis spans every value and the reference with a
 * margin, so no bar ends at the frame. Names are never shortened; the picture grows with their
 * number.
 */
export function coefficientChart(
  names: readonly string[], estimate: ArrayLike<number>, low: ArrayLike<number> | null | undefined, high: ArrayLike<number> | null | undefined,
  title: string, o: CoefficientChartOptions = {},
): ChartSpec {
  const n = names.length;
  if (n === 0) throw new RangeError('coefficientChart: no names to plot');
  if (estimate.length !== n) throw new RangeError(`coefficientChart: ${n} names but ${estimate.length} estimates`);
  if ((low == null) !== (high == null)) throw new RangeError('coefficientChart: give both low and high, or neither');
  if (low != null && (low.length !== n || high!.length !== n)) throw new RangeError(`coefficientChart: ${n} names but ${low.length} lows and ${high!.length} highs`);
  if (new Set(names).size !== n) throw new RangeError('coefficientChart: the names must be distinct (they are the rows)');
  const reference = o.reference ?? 0;
  const values = names.map((name, i) => ({
    name, estimate: estimate[i]!, ...(low == null ? {} : { low: low[i]!, high: high![i]! }),
  }));
  const all: number[] = [reference];
  for (const v of values) {
    const own = [v.estimate, ...(low == null ? [] : [v.low!, v.high!])];
    if (!own.every(Number.isFinite)) throw new RangeError(`coefficientChart: the values of ${JSON.stringify(v.name)} must be finite numbers, got ${own.join(', ')}`);
    if (o.logX && !own.every((x) => x > 0)) throw new RangeError(`coefficientChart: a log scale needs positive values, but ${JSON.stringify(v.name)} has ${own.join(', ')}`);
    if (low != null && !(v.low! <= v.high!)) throw new RangeError(`coefficientChart: the interval of ${JSON.stringify(v.name)} has low ${v.low} above high ${v.high}`);
    all.push(...own);
  }
  if (o.logX && !(reference > 0)) throw new RangeError(`coefficientChart: a log scale needs a positive reference, got ${reference}`);
  // The axis: every value and the reference, with 6% of the span (log span on a log scale) either side.
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (o.logX) {
    const f = Math.max(Math.pow(hi / lo, 0.06), 1.05);
    [lo, hi] = [lo / f, hi * f];
  } else {
    const pad = hi > lo ? 0.06 * (hi - lo) : Math.max(Math.abs(hi), 1) * 0.1;
    [lo, hi] = [lo - pad, hi + pad];
  }
  const xTitle = o.xTitle ?? 'estimate';
  const scale = o.logX ? { type: 'log' as const, domain: [lo, hi], nice: false } : { domain: [lo, hi], nice: false, zero: false };
  const y = { field: 'name', type: 'nominal' as const, title: null, sort: [...names], axis: { labelFontSize: 11 } };
  const caption = `points: ${o.estimateLabel ?? 'estimates'}${low == null ? '' : `; bars: ${o.intervalLabel ?? 'intervals'}`}; dashed line: ${reference}`;
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle: o.subtitle ? `${o.subtitle} (${caption})` : caption },
    config: CONFIG,
    width: WIDTH,
    height: Math.max(80, 22 * n),
    layer: [
      {
        data: { values: [{ x: reference }] },
        mark: { type: 'rule', color: REFERENCE, strokeDash: [...DASHED], strokeWidth: 1.5 },
        encoding: { x: { field: 'x', type: 'quantitative', title: xTitle, scale } },
      },
      ...(low == null ? [] : [{
        data: { values },
        mark: { type: 'rule' as const, strokeWidth: 2.5, color: MODEL },
        encoding: { y, x: { field: 'low', type: 'quantitative' as const, title: xTitle, scale }, x2: { field: 'high' } },
      }]),
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 70, opacity: 1, color: MODEL, stroke: 'white', strokeWidth: 1 },
        encoding: { y, x: { field: 'estimate', type: 'quantitative', title: xTitle, scale } },
      },
    ],
  } satisfies TopLevelSpec;
}

/** Columns of a coefficient path drawn in colour (the rest are grey, under one legend entry). */
const PATH_COLOURED = 10;

/**
 * A regularization path: every coefficient against C (log axis), one line per column (per class
 * and column for softmax: `names` are then "class: column"), above a panel with the number of
 * non-zero coefficients. The PATH_COLOURED columns with the largest |coefficient| anywhere on the
 * path are coloured and named in the legend; the others are thin grey lines under "other columns".
 *
 * C: the steps' C (increasing); coef[t][j]: coefficient j at step t; nonzero[t]: the count.
 */
export function pathChart(
  C: readonly number[], coef: ReadonlyArray<ArrayLike<number>>, names: readonly string[], nonzero: readonly number[], title: string,
): ChartSpec {
  const T = C.length;
  if (coef.length !== T || nonzero.length !== T) throw new RangeError(`pathChart: ${T} values of C but ${coef.length} coefficient rows and ${nonzero.length} counts`);
  const p = names.length;
  const size = names.map((_, j) => Math.max(...coef.map((row) => Math.abs(row[j]!))));
  const coloured = names.map((_, j) => j).filter((j) => size[j]! > 0).sort((a, b) => size[b]! - size[a]!).slice(0, PATH_COLOURED);
  const other = 'other columns';
  const keyOf = (j: number) => (coloured.includes(j) ? names[j]! : other);
  const values = [];
  for (let j = 0; j < p; j++) for (let t = 0; t < T; t++) values.push({ C: C[t]!, coef: coef[t]![j]!, column: names[j]!, key: keyOf(j), i: t });
  const domain = [...coloured.map((j) => names[j]!), ...(coloured.length < p ? [other] : [])];
  const range = [...coloured.map((_, k) => CATEGORY_COLOURS[k % CATEGORY_COLOURS.length]!), ...(coloured.length < p ? ['#c8c8c8'] : [])];
  // Log axes label every power of ten and the steps between: where they would collide, vega leaves
  // some out (greedy) rather than drawing them over each other.
  const x = { field: 'C', type: 'quantitative' as const, title: 'C (log scale)', scale: { type: 'log' as const, nice: false }, axis: { labelOverlap: 'greedy' as const } };
  return {
    $schema: SCHEMA,
    title,
    config: CONFIG,
    vconcat: [
      {
        width: WIDTH,
        height: HEIGHT,
        encoding: {
          x: { ...x, axis: { labels: false, ticks: false, labelOverlap: 'greedy' as const }, title: null },
          y: { field: 'coef', type: 'quantitative', title: 'coefficient' },
          detail: { field: 'column', type: 'nominal' },
          order: { field: 'i', type: 'quantitative' },
          color: { field: 'key', type: 'nominal', title: 'column', scale: { domain, range } },
        },
        // The grey lines first, so that the coloured ones are drawn over them.
        layer: [
          { data: { values: values.filter((v) => v.key === other) }, mark: { type: 'line', strokeWidth: 1 } },
          { data: { values: values.filter((v) => v.key !== other) }, mark: { type: 'line', strokeWidth: 2 } },
        ],
      },
      {
        width: WIDTH,
        height: 110,
        data: { values: C.map((c, t) => ({ C: c, nonzero: nonzero[t]! })) },
        mark: { type: 'line', interpolate: 'step-after', color: REFERENCE, strokeWidth: 2 },
        encoding: { x, y: { field: 'nonzero', type: 'quantitative', title: 'non-zero' } },
      },
    ],
  } satisfies TopLevelSpec;
}

/**
 * A cross-validation curve: the mean held-out score against C (log axis) with ±1 standard error
 * bars, and vertical rules at C_min (best mean) and C_1se (the smallest C within one standard
 * error of it), labelled in a legend.
 */
export function cvChart(
  points: ReadonlyArray<{ C: number; mean: number; stdErr: number }>, CMin: number, C1se: number, scoreTitle: string, title: string,
): ChartSpec {
  const values = points.map((q) => ({ C: q.C, mean: q.mean, low: q.mean - q.stdErr, high: q.mean + q.stdErr }));
  // The axis runs 3% of the log span (a factor of 2 for one C) past the first and last C, so that
  // the points there and a C_min or C_1se rule at an end are drawn whole, off the y axis.
  const lo = Math.min(...points.map((q) => q.C));
  const hi = Math.max(...points.map((q) => q.C));
  const pad = hi > lo ? 0.03 * Math.log(hi / lo) : Math.log(2);
  const domain = [lo * Math.exp(-pad), hi * Math.exp(pad)];
  // Log axes label every power of ten and the steps between: where they would collide, vega leaves
  // some out (greedy) rather than drawing them over each other.
  const x = { field: 'C', type: 'quantitative' as const, title: 'C (log scale)', scale: { type: 'log' as const, domain, nice: false }, axis: { labelOverlap: 'greedy' as const } };
  const rules = [
    { C: CMin, which: `C_min = ${CMin.toPrecision(3)}` },
    { C: C1se, which: `C_1se = ${C1se.toPrecision(3)}` },
  ];
  return {
    $schema: SCHEMA,
    title,
    config: CONFIG,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      { data: { values }, mark: { type: 'rule', color: '#9ecae9' }, encoding: { x, y: { field: 'low', type: 'quantitative', title: scoreTitle, scale: { zero: false } }, y2: { field: 'high' } } },
      { data: { values }, mark: { type: 'point', filled: true, size: 25, color: MODEL, opacity: 1 }, encoding: { x, y: { field: 'mean', type: 'quantitative' } } },
      {
        data: { values: rules },
        mark: { type: 'rule', strokeDash: [...DASHED], strokeWidth: 1.5 },
        encoding: {
          x,
          color: { field: 'which', type: 'nominal', title: 'chosen', scale: { domain: rules.map((r) => r.which), range: ['#e45756', '#54a24b'] } },
        },
      },
    ],
  } satisfies TopLevelSpec;
}
