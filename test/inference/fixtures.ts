import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { type Classifier, type ModelOptions, fit, readCsv } from '../../src/index.js';

/**
 * The inference fixtures of test/fixtures/inference/ (statsmodels 0.13.5 and R sandwich 3.0.2,
 * written by make_inference.py and make_inference_sandwich.R there; README.md defines every field),
 * and the fits of logreg that correspond to each case.
 */

export const FIXTURES = fileURLToPath(new URL('../fixtures/inference/', import.meta.url));

export interface Interval {
  low: number[];
  high: number[];
  exp?: number[];
  exp_low?: number[];
  exp_high?: number[];
}

export interface CoefTable {
  names: string[];
  params: number[];
  bse: number[];
  z: number[];
  p_value: number[];
  conf_int: Record<string, Interval>;
}

export interface MargeffCase {
  cov_type: string;
  at: 'overall' | 'mean' | 'median' | 'zero';
  method: 'dydx' | 'eyex' | 'dyex' | 'eydx';
  dummy: boolean;
  dummy_columns?: string[];
  names: string[];
  effect: number[];
  se: number[];
  z?: Array<number | null>;
  p_value?: Array<number | null>;
  conf_int?: Record<string, { low: number[]; high: number[] }>;
}

export interface Case {
  name: string;
  kind: 'binary' | 'softmax';
  design: {
    file: string;
    target: string;
    positive_class?: string | number;
    reference_class?: string;
    columns: Array<{ name: string; kind: string; column?: string }>;
    formula?: string;
    standardize: { columns: string[]; mean: number[]; std: number[] } | null;
    weights: { column: string; kind: 'frequency' | 'analytic' } | null;
    cluster: { column: string | null; rule: string };
  };
  names: string[];
  params: number[];
  nobs?: number;
  log_likelihood?: number;
  cov: Record<string, { names: string[]; matrix: number[][]; bse: number[]; n_groups?: number }>;
  coef_table: Record<string, CoefTable>;
  wald_tests?: Array<{ hypothesis: string; by_cov_type: Record<string, { statistic: number; df: number; p_value: number }> }>;
  margeff?: MargeffCase[];
  prediction_intervals?: Record<string, {
    eta: number[]; se_eta: number[]; p: number[]; interval: Record<string, { p_low: number[]; p_high: number[] }>;
  }>;
  back_transform?: { jacobian: { names: string[]; matrix: number[][] } };
}

const files = ['spector', 'breast_cancer', 'iris', 'birthwt'] as const;
const all: Case[] = files.flatMap((f) => (JSON.parse(readFileSync(`${FIXTURES}${f}.json`, 'utf8')) as { cases: Case[] }).cases);

export function fixtureCase(name: string): Case {
  const c = all.find((k) => k.name === name);
  if (c === undefined) throw new Error(`no fixture case ${name}`);
  return c;
}

export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

/** The tolerance: 1e-6 relative. */
export function expectClose(got: number, want: number, what: string, tol = 1e-6): void {
  if (!(relErr(got, want) <= tol)) expect.fail(`${what}: got ${got}, expected ${want} (relative error ${relErr(got, want).toExponential(2)} > ${tol})`);
}

/** p-values: 1e-6 absolute or relative, whichever is larger. */
export function expectP(got: number, want: number, what: string): void {
  if (!(Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want)))) expect.fail(`${what}: p = ${got}, expected ${want}`);
}

/** Every entry of `got` (by name) against the reference's `want` (by name). */
export function expectByName(gotNames: readonly string[], got: ArrayLike<number>, wantNames: readonly string[], want: ArrayLike<number>, what: string, p = false): void {
  expect([...gotNames].sort()).toEqual([...wantNames].sort());
  wantNames.forEach((name, c) => {
    const k = gotNames.indexOf(name);
    if (p) expectP(got[k]!, want[c]!, `${what} ${name}`);
    else expectClose(got[k]!, want[c]!, `${what} ${name}`);
  });
}

/** The CSV of a case as a table (readCsv), and the fit of logreg that the case describes. */
export function fitCase(c: Case, extra: ModelOptions = {}): Classifier {
  const table = readCsv(`${FIXTURES}${c.design.file}`);
  const d = c.design;
  const features = d.columns.filter((col) => col.kind !== 'intercept').map((col) => col.column!);
  const base = {
    penalty: 'none' as const, solver: 'newton' as const, tol: 1e-12,
    ...(d.standardize ? { standardize: true } : {}),
    ...(d.weights ? { weightColumn: d.weights.column } : {}),
    ...(c.kind === 'binary' && d.positive_class !== undefined ? { positiveClass: d.positive_class } : {}),
    model: c.kind,
    ...extra,
  };
  return d.formula !== undefined
    ? fit(table, { formula: d.formula, ...base })
    : fit(table, { target: d.target, features: [...new Set(features)], ...base });
}

/** Cluster ids of the fixtures: (row number, 1-based) mod 8. */
export function cyclicGroups(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i + 1) % 8);
}
