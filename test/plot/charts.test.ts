import { describe, expect, it } from 'vitest';
import { averagePrecision, calibrationCurve, cumulativeGains, precisionRecallCurve } from '../../src/metrics/index.js';
import { calibrationChart, coefficientChart, confusionHeatmap, cvChart, gainsChart, precisionRecallChart, reliabilityChart } from '../../src/plot/charts.js';
import { renderSvg } from '../../src/plot/render.js';
import { textWidth } from '../../src/plot/textWidth.js';
import { binaryScores } from './gallery.js';
import { placedTexts } from './svgText.js';

// What each new chart shows, read back from the rendered SVG.

const { y, p } = binaryScores();
const textsOf = async (spec: Parameters<typeof renderSvg>[0]) => placedTexts(await renderSvg(spec)).map((t) => t.text);

describe('precision–recall chart', () => {
  it('names the average precision and the prevalence baseline in its legend, and the best-F1 point', async () => {
    const ap = averagePrecision(y, p);
    const texts = await textsOf(precisionRecallChart(precisionRecallCurve(y, p), ap, 0.348, 'PR', { bestF1: { threshold: 0.525, precision: 0.74, recall: 0.68, f1: 0.7081 } }));
    expect(texts).toContain(`model (AP ${ap.toFixed(3)})`);
    expect(texts).toContain('chance (prevalence 0.348)');
    expect(texts).toContain('best F1 0.708 at p ≥ 0.525');
    expect(texts).toEqual(expect.arrayContaining(['recall', 'precision', 'PR']));
  });

  it('draws precision as steps in the curve\'s own order (the area under the steps is the AP)', async () => {
    const svg = await renderSvg(precisionRecallChart({ precision: [0.5, 2 / 3, 1, 1], recall: [1, 1, 0.5, 0] }, 0.75, 0.5, 'PR'));
    // recall 1 → 0 is x 420 → 0, precision 0.5 → 1 is y 150 → 0: horizontal then vertical moves.
    const path = /aria-roledescription="line mark" d="([^"]+)" stroke="#4c78a8"/.exec(svg)![1]!;
    expect(path).toBe('M420,150L420,150L420,100L210,100L210,0L0,0L0,0');
  });
});

describe('cumulative gains chart', () => {
  it('has the gains panel with random and perfect baselines over the lift panel, sharing the x axis title once', async () => {
    const texts = await textsOf(gainsChart(cumulativeGains(y, p), 'Gains', { prevalence: 0.35 }));
    for (const t of ['cumulative gains', 'model', 'random', 'perfect ranking', 'lift', 'random (lift 1)', 'fraction of positives captured']) expect(texts).toContain(t);
    expect(texts.filter((t) => t === 'fraction of rows targeted (highest scores first)')).toHaveLength(1);
  });

  it('starts the gains curve at the origin', () => {
    const spec = gainsChart({ fraction: [0.5, 1], gains: [0.8, 1], lift: [1.6, 1] }, 'G') as unknown as {
      vconcat: Array<{ layer: Array<{ data: { values: Array<{ x: number; y: number }> } }> }>;
    };
    expect(spec.vconcat[0]!.layer[0]!.data.values.map((v) => [v.x, v.y])).toEqual([[0, 0], [0.5, 0.8], [1, 1]]);
    expect(spec.vconcat[1]!.layer[0]!.data.values.map((v) => [v.x, v.y])).toEqual([[0.5, 1.6], [1, 1]]);
  });
});

describe('calibration chart', () => {
  it('puts the histogram of rows per bin under the reliability diagram', async () => {
    const cal = calibrationCurve(y, p, 10);
    const spec = calibrationChart(cal, 'Calibration');
    const texts = await textsOf(spec);
    for (const t of ['Calibration', '10 non-empty equal-width bins', 'fraction of positives (bin)', 'rows per bin', 'mean predicted probability (bin)', 'perfectly calibrated']) {
      expect(texts).toContain(t);
    }
    const bars = (spec as unknown as { vconcat: Array<{ data?: { values: Array<{ lower: number; upper: number; height: number }> } }> }).vconcat[1]!.data!.values;
    expect(bars.map((b) => b.height)).toEqual(cal.count);
    expect(bars.map((b) => [b.lower, b.upper])).toEqual(cal.bin.map((j) => [cal.edges[j], cal.edges[j + 1]]));
  });

  it('quantile bins and weighted rows: the histogram shows the weight', async () => {
    const w = y.map((_, i) => 1 + (i % 2));
    const cal = calibrationCurve(y, p, { nBins: 5, strategy: 'quantile', sampleWeight: w });
    const texts = await textsOf(calibrationChart(cal, 'C'));
    expect(texts).toContain('5 non-empty quantile bins');
    expect(texts).toContain('weight per bin');
  });

  it('the single-panel reliability diagram keeps its legend entry whole', async () => {
    expect(await textsOf(reliabilityChart([0.1, 0.9], [0.2, 0.8], 'R'))).toContain('perfectly calibrated');
  });
});

describe('confusion heat map', () => {
  it('titles its colour legend "count of rows" (or as asked) and writes weighted counts with their decimals', async () => {
    expect(await textsOf(confusionHeatmap(['a', 'b'], [[3, 1], [0, 4]], 'M'))).toContain('count of rows');
    const texts = await textsOf(confusionHeatmap(['a', 'b'], [[2.5, 1], [0, 4.125]], 'M', { legendTitle: 'weight of rows' }));
    expect(texts).toEqual(expect.arrayContaining(['weight of rows', '2.5', '4.125']));
  });

  it('reads short column labels horizontally and long ones upright', () => {
    const angle = (labels: string[]) =>
      (confusionHeatmap(labels, labels.map(() => labels.map(() => 1)), 'M') as unknown as { encoding: { x: { axis: { labelAngle: number } } } }).encoding.x.axis.labelAngle;
    expect(angle(['0', '1', '2'])).toBe(0);
    expect(angle(['Iris-setosa (Linnaeus)', 'Iris-versicolor', 'Iris-virginica'])).toBe(270);
  });
});

describe('text widths', () => {
  it('are those of the wider of DejaVu Sans and Liberation Sans (test/plot/make_text_widths.py)', () => {
    // fontTools reads "i" as 0.2778 em in DejaVu Sans and 0.2222 in Liberation Sans, "W" as 0.9888
    // and 0.9438: the table keeps the larger, rounded up to thousandths.
    expect(textWidth('i', 10)).toBeCloseTo(2.78, 12);
    expect(textWidth('W', 10)).toBeCloseTo(9.89, 12);
    expect(textWidth('model', 11, true)).toBeGreaterThan(textWidth('model', 11));
    expect(textWidth('∫', 10)).toBe(10); // a character outside the table counts 1 em
  });
});

describe('coefficient (forest) plot', () => {
  it('one row per name in the given order, a bar per interval and a dashed line at the reference', async () => {
    const spec = coefficientChart(['b', 'a', 'c'], [0.5, -1, 2], [0.1, -2, 1.5], [0.9, 0.2, 2.5], 'Coefficients', { reference: 0 });
    const svg = await renderSvg(spec);
    const texts = placedTexts(svg);
    const rows = ['b', 'a', 'c'].map((name) => texts.find((t) => t.text === name)!.box.y0);
    expect(rows[0]).toBeLessThan(rows[1]!);
    expect(rows[1]).toBeLessThan(rows[2]!);
    expect(texts.map((t) => t.text)).toContain('points: estimates; bars: intervals; dashed line: 0');
    // The reference line and three interval bars are rule marks; three points.
    expect(svg.match(/aria-roledescription="rule mark"/g)).toHaveLength(4);
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(3);
    expect(svg).toMatch(/stroke-dasharray="5,4"/);
  });
  it('spans every value and the reference with a margin; a log scale for odds ratios', () => {
    const spec = coefficientChart(['x', 'y'], [2, 3], [1.5, 2.5], [4, 8], 'Odds ratios', { reference: 1, logX: true }) as unknown as { layer: Array<{ encoding: { x: { scale: { type?: string; domain: [number, number] } } } }> };
    const { domain, type } = spec.layer[0]!.encoding.x.scale;
    expect(type).toBe('log');
    expect(domain[0]).toBeLessThan(1);
    expect(domain[1]).toBeGreaterThan(8);
  });
  it('refuses mismatched lengths, a lone bound, repeated names, non-positive values on a log scale', () => {
    expect(() => coefficientChart(['a', 'b'], [1], null, null, 't')).toThrow(/^coefficientChart: 2 names but 1 estimates/);
    expect(() => coefficientChart(['a'], [1], [0], null, 't')).toThrow(/give both low and high/);
    expect(() => coefficientChart(['a', 'a'], [1, 2], null, null, 't')).toThrow(/must be distinct/);
    expect(() => coefficientChart(['a'], [1], [-1], [2], 't', { logX: true, reference: 1 })).toThrow(/a log scale needs positive values/);
    expect(() => coefficientChart(['a'], [1], [2], [0], 't')).toThrow(/has low 2 above high 0/);
  });
});

describe('cross-validation curve', () => {
  it('draws the first and last C and a C_min or C_1se rule at either end inside the plot, off its edges', async () => {
    // C_1se at the first C (the all-zero model, as lasso curves often choose) and C_min at the last.
    const points = Array.from({ length: 5 }, (_, t) => ({ C: 10 ** t, mean: 0.5 - 0.01 * t, stdErr: 0.02 }));
    const spec = cvChart(points, 1e4, 1, 'log loss', 'CV');
    const width = (spec as { width: number }).width;
    const svg = await renderSvg(spec);
    const xOf = (label: RegExp) => [...svg.matchAll(/<line aria-label="([^"]*)"[^>]*transform="translate\(([-\d.e]+),/g)].filter((m) => label.test(m[1]!)).map((m) => Number(m[2]));
    const rules = xOf(/chosen: C_(min|1se)/);
    expect(rules).toHaveLength(2);
    const bars = xOf(/^C \(log scale\)/).filter((_, k, all) => k < all.length - 2);
    expect(bars).toHaveLength(5);
    for (const x of [...rules, ...bars]) {
      expect(x).toBeGreaterThan(0.02 * width);
      expect(x).toBeLessThan(0.98 * width);
    }
  });
});
