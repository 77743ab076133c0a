import type { Classifier } from '../model/fit.js';
import type { Inference } from '../model/inference.js';
import type { Label } from '../util/labels.js';

/** Text formatting of the CLI's reports (tables, numbers). Pure functions: the commands print. */

/** A number for a report: up to `digits` significant digits, no trailing noise. */
export function fmt(v: number, digits = 6): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e7)) return v.toExponential(Math.max(0, digits - 1));
  return String(Number(v.toPrecision(digits)));
}

/**
 * A column of numbers formatted alike: the same number of decimals for all (enough for `digits`
 * significant digits of the smallest non-zero magnitude, at most 8), so that -3.000 stands beside
 * -3.237 rather than -3; scientific notation for all when the magnitudes span too much for that.
 */
export function formatColumn(values: readonly number[], digits = 4): string[] {
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  if (finite.length === 0) return values.map((v) => (Number.isFinite(v) ? (0).toFixed(digits - 1) : String(v)));
  const small = Math.min(...finite);
  const large = Math.max(...finite);
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(small)));
  if (decimals > 8 || large >= 1e9) return values.map((v) => (Number.isFinite(v) ? v.toExponential(digits - 1) : String(v)));
  return values.map((v) => (Number.isFinite(v) ? v.toFixed(decimals) : String(v)));
}

/**
 * The rows of a table given by its columns (each of the same length): the way to build a table
 * whose numeric columns were each formatted by `formatColumn`.
 */
export function rowsOf(columns: ReadonlyArray<readonly string[]>): string[][] {
  const n = columns[0]?.length ?? 0;
  return Array.from({ length: n }, (_, r) => columns.map((c) => c[r]!));
}

/**
 * A text table, columns separated by two spaces. `align` gives 'l' or 'r' per column; by default the
 * first column is left-aligned and the others (numbers) right-aligned.
 */
export function table(header: string[], rows: string[][], indent = '  ', align?: string): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const left = (c: number) => (align === undefined ? c === 0 : align[c] === 'l');
  return all
    .map((r) => indent + r.map((cell, c) => (left(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd())
    .join('\n');
}

export function classNames(classes: readonly Label[], max = 12): string {
  const shown = classes.slice(0, max).map(String).join(', ');
  return classes.length > max ? `${shown}, … (${classes.length} in all)` : shown;
}

/** What the coefficient table needs of a model. */
interface Coefficients {
  kind: 'binary' | 'softmax';
  classes: Label[];
  featureNames: string[] | null;
  nFeatures: number;
  coef: number[][];
  intercept: number[];
  fitIntercept: boolean;
  options: { standardize: boolean };
}

/**
 * The fitted coefficients as a table: one row per model column (intercept first), one column for a
 * binary model (the log-odds of its positive class) or one per class for softmax. Long tables are
 * cut after `max` rows (the JSON report has them all).
 */
export function coefficientLines(model: Coefficients, max = 60): string[] {
  const names = model.featureNames ?? Array.from({ length: model.nFeatures }, (_, j) => `x${j}`);
  const rowNames = [...(model.fitIntercept ? ['intercept'] : []), ...names];
  const columns = model.coef.map((row, k) => formatColumn([...(model.fitIntercept ? [model.intercept[k]!] : []), ...row]));
  const header = model.kind === 'binary' ? ['', `coef (log-odds of ${String(model.classes[1])})`] : ['', ...model.classes.map(String)];
  const rows = rowNames.map((n, r) => [n, ...columns.map((c) => c[r]!)]);
  const shown = rows.length > max ? rows.slice(0, max) : rows;
  const lines = [
    `  coefficients${model.options.standardize ? ' (numeric columns standardized)' : ''}`,
    table(header, shown),
  ];
  if (rows.length > max) lines.push(`  … ${rows.length - max} more (--json lists every coefficient)`);
  return lines;
}

/** What the inference report shows: src/model/inference.ts's result, or why there is none. */
type InferenceOrError = Inference | { error: string; reason: string };

/** The p-value as a table cell: 4 decimals, or scientific notation below 1e-4; NaN stays NaN. */
function pCell(p: number): string {
  return Number.isNaN(p) ? 'NaN' : p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

/** The bounds of an interval at `level` as statsmodels heads them: [0.025 and 0.975]. */
function boundHeaders(level: number): [string, string] {
  const a = (1 - level) / 2;
  const text = (v: number) => String(Number(v.toPrecision(6)));
  return [`[${text(a)}`, `${text(1 - a)}]`];
}

const COV_DESCRIPTION: Record<string, string> = {
  nonrobust: 'nonrobust (inverse of the observed information)',
  hc0: 'robust, HC0 (White\'s sandwich)',
  hc1: 'robust, HC1 (n/(n − k) · HC0)',
  hc2: 'robust, HC2 (leverage-corrected)',
  hc3: 'robust, HC3 (leverage-corrected, squared)',
  cluster: 'cluster-robust',
};

const MARGEFF_DESCRIPTION: Record<string, string> = {
  dydx: 'dy/dx', eyex: 'ey/ex (elasticity)', dyex: 'dy/ex', eydx: 'ey/dx',
};

const AT_DESCRIPTION: Record<string, string> = {
  overall: 'averaged over the rows', mean: 'at the column means', median: 'at the column medians', zero: 'at zero',
};

/**
 * The summary as report lines: how the standard errors were computed and on which scale, the
 * coefficient table (statsmodels' columns, the interval at the chosen level), then odds ratios,
 * marginal effects and Wald tests when asked, then the likelihood figures and warnings.
 */
export function inferenceLines(inf: InferenceOrError): string[] {
  if ('error' in inf) return [`  inference not available: ${inf.error}`];
  const [lo, hi] = boundHeaders(inf.confLevel);
  const lines: string[] = [];
  const cluster = inf.covType === 'cluster' ? `, ${inf.nGroups} clusters` : '';
  const weights = inf.weightsAre === null ? '' : `; ${inf.weightsAre} weights`;
  const scale = inf.backTransformed
    ? 'original units (back-transformed from the standardized fit; --scale standardized for the fitted scale)'
    : inf.scale === 'standardized' ? 'standardized columns (z-scores)' : 'the columns\' own units';
  lines.push(`  standard errors ${COV_DESCRIPTION[inf.covType]}${cluster}${weights}; coefficients in ${scale}`);
  if (inf.referenceClass !== null) lines.push(`  each class against the reference class ${String(inf.referenceClass)}`);
  // Each numeric column formatted alike (-3.000 beside -3.237), p-values by pCell.
  const col = (v: ArrayLike<number>) => formatColumn(Array.from(v));
  const rows = rowsOf([inf.names, col(inf.coef), col(inf.stdErr), col(inf.z), Array.from(inf.pValue, pCell), col(inf.ciLow), col(inf.ciHigh)]);
  lines.push(table(['', 'coef', 'std err', 'z', 'P>|z|', lo, hi], rows));
  if (inf.oddsRatios !== null) {
    const r = inf.oddsRatios;
    lines.push('', `  ${r.kind}s (exp of the coefficients, with exp of the interval)`);
    lines.push(table(['', r.kind, lo, hi], rowsOf([r.names, col(r.estimate), col(r.low), col(r.high)])));
  }
  if (inf.margeff !== null) {
    const m = inf.margeff;
    const dummy = m.dummy ? `; discrete change for 0/1 columns${m.dummyColumns.length > 0 ? ` (${m.dummyColumns.join(', ')})` : ' (none here)'}` : '';
    lines.push('', `  marginal effects: ${MARGEFF_DESCRIPTION[m.method]} ${AT_DESCRIPTION[m.at]}${dummy}; standard errors by the delta method`);
    lines.push(table(['', m.method, 'std err', 'z', 'P>|z|', lo, hi], rowsOf([
      m.names, col(m.effect), col(m.stdErr), col(m.z), Array.from(m.pValue, pCell), col(m.ciLow), col(m.ciHigh),
    ])));
  }
  if (inf.tests.length > 0) {
    lines.push('', '  Wald tests');
    for (const t of inf.tests) lines.push(`  ${t.hypothesis}:  χ²(${t.df}) = ${fmt(t.statistic, 6)}, p = ${pCell(t.pValue)}`);
  }
  lines.push(
    '',
    `  log-likelihood ${fmt(inf.logLikelihood, 8)}   null ${fmt(inf.nullLogLikelihood, 8)}   pseudo R² (McFadden) ${fmt(inf.pseudoR2, 4)}`,
    `  AIC ${fmt(inf.aic, 8)}   BIC ${fmt(inf.bic, 8)}   LR test vs intercept only: χ²(${inf.lrDf}) = ${fmt(inf.lrStatistic, 6)}, p = ${inf.lrPValue.toExponential(3)}`,
    ...inf.warnings.map((w) => `  warning: ${w}`),
  );
  return lines;
}

/** The summary for --json, in snake_case (NaN, as in z of a zero effect, becomes null). */
export function inferenceJson(inf: InferenceOrError) {
  if ('error' in inf) return inf;
  const m = inf.names.length;
  return {
    names: inf.names, coef: inf.coef, std_err: inf.stdErr, z: inf.z, p_value: inf.pValue, ci_low: inf.ciLow, ci_high: inf.ciHigh,
    conf_level: inf.confLevel, cov_type: inf.covType, scale: inf.scale, back_transformed: inf.backTransformed,
    weights_are: inf.weightsAre, n_groups: inf.nGroups, positive_class: inf.positiveClass, reference_class: inf.referenceClass,
    cov: { names: inf.names, matrix: Array.from({ length: m }, (_, r) => inf.cov.slice(r * m, (r + 1) * m)) },
    ...(inf.oddsRatios === null ? {} : {
      odds_ratios: { kind: inf.oddsRatios.kind, names: inf.oddsRatios.names, estimate: inf.oddsRatios.estimate, ci_low: inf.oddsRatios.low, ci_high: inf.oddsRatios.high },
    }),
    ...(inf.margeff === null ? {} : {
      margeff: {
        at: inf.margeff.at, method: inf.margeff.method, dummy: inf.margeff.dummy, dummy_columns: inf.margeff.dummyColumns, names: inf.margeff.names,
        effect: inf.margeff.effect, std_err: inf.margeff.stdErr, z: inf.margeff.z, p_value: inf.margeff.pValue, ci_low: inf.margeff.ciLow, ci_high: inf.margeff.ciHigh,
      },
    }),
    tests: inf.tests.map((t) => ({ hypothesis: t.hypothesis, statistic: t.statistic, df: t.df, p_value: t.pValue })),
    n_obs: inf.nObs,
    log_likelihood: inf.logLikelihood, null_log_likelihood: inf.nullLogLikelihood, pseudo_r2: inf.pseudoR2, aic: inf.aic, bic: inf.bic,
    lr_statistic: inf.lrStatistic, lr_df: inf.lrDf, lr_p_value: inf.lrPValue, penalized: inf.penalized, warnings: inf.warnings,
  };
}

/** The coefficients by class and name: binary under its positive class, softmax under every class. */
export function coefficientsJson(model: Classifier): Record<string, Record<string, number>> {
  const names = model.featureNames ?? Array.from({ length: model.nFeatures }, (_, j) => `x${j}`);
  const classes = model.kind === 'binary' ? [model.classes[1]!] : model.classes;
  const out: Record<string, Record<string, number>> = {};
  model.coef.forEach((row, k) => {
    const byName: Record<string, number> = {};
    if (model.fitIntercept) byName.intercept = model.intercept[k]!;
    names.forEach((n, j) => {
      byName[n] = row[j]!;
    });
    out[String(classes[k])] = byName;
  });
  return out;
}
