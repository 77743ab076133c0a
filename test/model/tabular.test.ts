import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.js';
import { fit, loadModel } from '../../src/index.js';
import { logreg } from '../helpers/cli.js';
import { relErr } from '../helpers/reference.js';

// Real tables with categorical columns, formulas, weights and missing values, against R 4.2.2's
// glm(family = binomial) at epsilon 1e-14 (test/fixtures/tabular/glm_reference.json, made by
// glm_reference.R beside it; names converted to patsy style there).

interface GlmCase {
  name: string;
  file: string;
  formula: string;
  options: { delimiter: string; decimal: '.' | ','; weights: string | null };
  n_used: number;
  dropped_lines: number[];
  names: string[];
  coef: number[];
  std_err: number[];
  p_value: number[];
  log_likelihood: number;
  aic: number;
  bic: number;
  bic_n_sum_weights?: number;
  null_log_likelihood: number;
  fitted_first5: number[];
  separation?: { diverging: string[] };
}

const dir = fileURLToPath(new URL('../fixtures/tabular/', import.meta.url));
const cases = (JSON.parse(readFileSync(`${dir}glm_reference.json`, 'utf8')) as { cases: GlmCase[] }).cases;
const read = (c: GlmCase) => readCsv(`${dir}${c.file}`, { delimiter: c.options.delimiter, decimal: c.options.decimal });
const fitCase = (c: GlmCase) => fit(read(c), {
  formula: c.formula, penalty: 'none', tol: 1e-12, missing: 'drop', ...(c.options.weights ? { weightColumn: c.options.weights } : {}),
});

describe.each(cases.filter((c) => c.separation === undefined))('R glm: $name ($formula)', (c) => {
  const model = fitCase(c);
  const inf = model.summary();
  const at = (name: string) => {
    const k = inf.names.indexOf(name);
    if (k < 0) throw new Error(`no coefficient ${name} (have ${inf.names.join(', ')})`);
    return k;
  };

  it('the same coefficient names, in R\'s order', () => {
    expect(inf.names).toEqual(c.names);
  });
  it('coefficients within 1e-6 and standard errors within 1e-5 (relative); p-values', () => {
    c.names.forEach((name, j) => {
      expect(relErr(inf.coef[at(name)]!, c.coef[j]!)).toBeLessThan(1e-6);
      expect(relErr(inf.stdErr[at(name)]!, c.std_err[j]!)).toBeLessThan(1e-5);
      expect(Math.abs(inf.pValue[at(name)]! - c.p_value[j]!)).toBeLessThan(1e-6 * Math.max(1, c.p_value[j]!));
    });
  });
  it('log-likelihood, AIC, BIC (frequency weights: N = Σw), rows used', () => {
    expect(relErr(inf.logLikelihood, c.log_likelihood)).toBeLessThan(1e-9);
    expect(relErr(inf.aic, c.aic)).toBeLessThan(1e-9);
    expect(relErr(inf.bic, c.bic_n_sum_weights ?? c.bic)).toBeLessThan(1e-9);
    expect(relErr(inf.nullLogLikelihood, c.null_log_likelihood)).toBeLessThan(1e-9);
    expect(model.fitReport!.rows).toBe(c.n_used);
  });
  it('fitted probabilities of the first rows used', () => {
    const t = read(c);
    const P = model.predictTable(t, {}).probabilities;
    c.fitted_first5.forEach((p, i) => expect(Math.abs(P[2 * i + 1]! - p)).toBeLessThan(1e-8));
  });
  it('saved and loaded, the model predicts the same', () => {
    const t = read(c);
    const back = loadModel(JSON.stringify(model));
    expect(Array.from(back.predictTable(t).probabilities)).toEqual(Array.from(model.predictTable(t).probabilities));
  });
});

describe('rows with missing values dropped as R na.omit drops them', () => {
  const c = cases.find((x) => x.name === 'birthwt_missing')!;
  it('the dropped rows are R\'s', () => {
    const t = read(c);
    const m = fitCase(c);
    expect(m.fitReport!.dropped).toBe(c.dropped_lines.length);
    // The rows kept, as file lines: every line but the dropped ones.
    const kept = m.predictTable(t).rows;
    const lines = Array.from(kept, (i) => t.locate(i).line);
    for (const line of c.dropped_lines) expect(lines).not.toContain(line);
    expect(lines).toHaveLength(c.n_used);
  });
});

describe.each(cases.filter((c) => c.separation !== undefined))('separated in R (glm warns or diverges): $name', (c) => {
  it('the fit reports quasi-complete separation naming the diverging coefficient; summary refuses', () => {
    const m = fitCase(c);
    expect(m.diagnostics.separation!.status).toBe('quasi-complete');
    expect(m.diagnostics.separation!.columns).toEqual(expect.arrayContaining(c.separation!.diverging));
    expect(() => m.summary()).toThrow(/^quasi-complete separation/);
  });
});

describe('the CLI on a real table', () => {
  it('train --formula --penalty none --summary --json matches R (birthwt with an interaction)', () => {
    const c = cases.find((x) => x.name === 'birthwt_interaction')!;
    const r = logreg(['train', '--data', `${dir}${c.file}`, '--formula', c.formula, '--penalty', 'none', '--summary', '--json', '--tol', '1e-12']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.inference.names).toEqual(c.names);
    c.names.forEach((_, j) => expect(relErr(out.inference.std_err[j], c.std_err[j]!)).toBeLessThan(1e-5));
    expect(out.coefficients.normal['race[T.other]:smoke']).toBeCloseTo(c.coef[c.names.indexOf('race[T.other]:smoke')]!, 6);
  });
  it('train on a ;-separated file with decimal commas', () => {
    const c = cases.find((x) => x.name === 'infert_semicolon_age_years')!;
    const r = logreg(['train', '--data', `${dir}${c.file}`, '--formula', c.formula, '--decimal', ',', '--penalty', 'none', '--json', '--tol', '1e-12']);
    expect(r.status).toBe(0);
    const coef = JSON.parse(r.stdout).coefficients['1'];
    c.names.forEach((name, j) => expect(relErr(coef[name], c.coef[j]!)).toBeLessThan(1e-6));
  });
});
