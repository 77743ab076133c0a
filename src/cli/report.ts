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
