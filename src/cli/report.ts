import type { Label } from '../util/labels.js';

/** Text formatting of the CLI's reports (tables, numbers). Pure functions: the commands print. */

/** A number for a report: up to `digits` significant digits, no trailing noise. */
export function fmt(v: number, digits = 6): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e7)) return v.toExponential(Math.max(0, digits - 1));
  return String(Number(v.toPrecision(digits)));
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
