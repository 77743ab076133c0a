import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logreg, tempDir } from '../helpers/cli.js';
import { fitCases, relErr } from '../helpers/reference.js';

// `logreg train --summary --json` on spector without penalty, against statsmodels 0.13.5 Logit
// (test/fixtures/optima.json).
const sm = fitCases.find((c) => c.name === 'spector_binary_raw_unpenalized')!.statsmodels!;

describe('logreg train --summary', () => {
  it('--json adds inference with the statsmodels figures within 1e-6', () => {
    const r = logreg(['train', '--data', 'spector', '--penalty', 'none', '--summary', '--json']);
    expect(r.status).toBe(0);
    const inf = JSON.parse(r.stdout).inference;
    expect(inf.names).toEqual(['intercept', 'GPA', 'TUCE', 'PSI']);
    // statsmodels lists the constant last.
    const first = (v: number[]) => [v[3]!, ...v.slice(0, 3)];
    const pairs: Array<[number[], number[]]> = [
      [inf.coef, first(sm.params)], [inf.std_err, first(sm.bse)], [inf.p_value, first(sm.pvalues)],
      [inf.ci_low, first(sm.conf_int_95.map((r) => r[0]!))], [inf.ci_high, first(sm.conf_int_95.map((r) => r[1]!))],
    ];
    for (const [got, want] of pairs) want.forEach((v, c) => expect(relErr(got[c]!, v)).toBeLessThan(1e-6));
    expect(relErr(inf.log_likelihood, sm.llf)).toBeLessThan(1e-6);
    expect(relErr(inf.aic, sm.aic)).toBeLessThan(1e-6);
    expect(relErr(inf.bic, sm.bic)).toBeLessThan(1e-6);
    for (const key of ['z']) expect(inf[key]).toHaveLength(4);
  });
  it('prints a readable table, and warns for a penalized fit', () => {
    const r = logreg(['train', '--data', 'spector', '--summary']);
    expect(r.stdout).toMatch(/P>\|z\|/);
    expect(r.stdout).toMatch(/warning: the fit is penalized \(L2, C = 1\)/);
  });
  it('diagnoses separation instead of printing huge numbers', () => {
    const dir = tempDir();
    const p = join(dir, 'sep.csv');
    writeFileSync(p, 'x,y\n0,a\n1,a\n2,a\n3,b\n4,b\n5,b\n');
    const r = logreg(['train', '--data', p, '--penalty', 'none', '--summary', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.inference).toMatchObject({ reason: 'complete-separation' });
    expect(out.separation).toMatchObject({ status: 'complete' });
    expect(out.warnings[0]).toMatch(/^complete separation: .* fitted probabilities are numerically 0 or 1/);
    const text = logreg(['train', '--data', p, '--penalty', 'none', '--summary']);
    expect(text.stdout).toMatch(/fit {9}stopped \(no maximum-likelihood estimate: complete separation\)/);
    expect(text.stdout).toMatch(/inference not available: complete separation/);
    expect(text.stdout).not.toMatch(/collinear|linear combination/);
  });
});
