import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logreg, tempDir } from '../helpers/cli.js';

/** The built CLI's path and cv commands, and train with an L1 penalty (spawned as a user runs them). */

interface PathJson {
  lambda_max: number; C_zero: number;
  path: Array<{ C: number; lambda: number; objective: number; nonzero: number; coefficients: Record<string, Record<string, number>> }>;
}
interface CvJson {
  path: Array<{ C: number; lambda: number; mean: number; std_err: number; nonzero: number }>;
  C_min: number; C_1se: number; selected: { rule: string; C: number }; folds: number; seconds: number; scoring: string;
}

describe('logreg path', () => {
  it('--json: every step with C, lambda, objective, nonzero and coefficients; each step is the fit at its C', () => {
    const r = logreg(['path', 'breast-cancer', '--standardize', '--Cs', '8', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as PathJson;
    expect(j.path).toHaveLength(8);
    expect(j.path[0]!.nonzero).toBe(0);
    expect(j.path[0]!.C).toBeCloseTo(j.C_zero, 12);
    expect(j.path.at(-1)!.C / j.path[0]!.C).toBeCloseTo(1e4, 6);
    for (const s of j.path) expect(s.lambda * s.C * 569).toBeCloseTo(1, 12);
    const last = j.path.at(-1)!;
    expect(Object.values(last.coefficients.malignant!).filter((v) => v !== 0).length - 1).toBe(last.nonzero); // intercept listed too
    const t = logreg(['train', 'breast-cancer', '--standardize', '--penalty', 'l1', '--C', String(last.C), '--json']);
    const fit = JSON.parse(t.stdout) as { objective: number; nonzero: number };
    expect(Math.abs(fit.objective - last.objective) / last.objective).toBeLessThan(1e-9);
    expect(fit.nonzero).toBe(last.nonzero);
  });
  it('the report, and --plots writes the coefficient path', () => {
    const dir = tempDir();
    const r = logreg(['path', '--data', 'breast-cancer', '--standardize', '--C-grid', '0.01,0.1,1', '--plots', join(dir, 'pics')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/3 values of C from 0\.01/);
    expect(r.stdout).toMatch(/all coefficients are zero for C ≤ 0\.00458/);
    expect(readFileSync(join(dir, 'pics', 'path.svg'), 'utf8')).toMatch(/^<svg/);
  });
});

describe('logreg cv', () => {
  it('--json fields, the refitted model written with --out, the curve with --plots', () => {
    const dir = tempDir();
    const out = join(dir, 'm.json');
    const r = logreg(['cv', 'breast-cancer', '--standardize', '--penalty', 'l1', '--Cs', '10', '--folds', '5', '--json', '--out', out, '--plots', dir]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as CvJson;
    expect(j.folds).toBe(5);
    expect(j.scoring).toBe('log_loss');
    expect(j.path).toHaveLength(10);
    for (const p of j.path) expect(Object.keys(p).sort()).toEqual(['C', 'lambda', 'mean', 'nonzero', 'std_err']);
    const best = Math.min(...j.path.map((p) => p.mean));
    expect(j.path.find((p) => p.C === j.C_min)!.mean).toBe(best);
    expect(j.C_1se).toBeLessThanOrEqual(j.C_min);
    expect(j.selected).toMatchObject({ rule: 'min', C: j.C_min });
    const model = JSON.parse(readFileSync(out, 'utf8')) as { options: { C: number; penalty: string } };
    expect(model.options.penalty).toBe('l1');
    expect(model.options.C).toBeCloseTo(j.C_min, 12);
    expect(existsSync(join(dir, 'cv.svg'))).toBe(true);
    const p = logreg(['predict', '--model', out, '--data', 'breast-cancer', '--labels-only']);
    expect(p.status).toBe(0);
  });
  it('--select 1se refits at C_1se; the report marks both', () => {
    const r = logreg(['cv', 'iris', '--standardize', '--Cs', '6', '--folds', '3', '--select', '1se', '--scoring', 'accuracy']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/selected {4}C = \S+ \(--select 1se\)/);
    expect(r.stdout).toMatch(/1se/);
  });
});

describe('one-line errors of path, cv and train --penalty', () => {
  const cases: Array<[string[], RegExp]> = [
    [['train', 'iris', '--penalty', 'elasticnet', '--l1-ratio', '2'], /--l1-ratio must be/],
    [['train', 'iris', '--penalty', 'elasticnet'], /--penalty elasticnet needs --l1-ratio/],
    [['train', 'iris', '--penalty', 'l1', '--solver', 'lbfgs'], /--penalty l1 is fitted by --solver auto/],
    [['cv', 'iris', '--folds', '1'], /--folds must be at least 2, got 1/],
    [['cv', 'iris', '--folds', '60'], /folds = 60 is more than the 50 rows of class/],
    [['path', 'iris', '--C-grid', ''], /--C-grid must be comma-separated positive numbers/],
    [['path', 'iris', '--C-grid', '1,,2'], /--C-grid must be comma-separated positive numbers/],
    [['path', 'iris', '--C-grid', '1,-2'], /--C-grid must be a positive number, got -2/],
    [['path', 'iris', '--Cs', '0'], /--Cs must be a positive integer/],
    [['cv', 'iris', '--penalty', 'l1', '--l1-ratios', '0.5,1'], /--l1-ratios applies to --penalty elasticnet/],
    [['cv', 'iris', '--penalty', 'elasticnet', '--l1-ratios', '0.5,3'], /--l1-ratios must be/],
    [['path', 'iris', '--penalty', 'none'], /--penalty must be one of/],
    [['cv', 'iris', '--scoring', 'f1'], /--scoring must be one of/],
  ];
  it.each(cases)('logreg %j', (args, message) => {
    const dir = tempDir();
    // path writes no model; train and cv get an --out that must stay unwritten.
    const r = logreg(args[0] === 'path' ? args : [...args, '--out', join(dir, 'm.json')], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(dir, 'm.json'))).toBe(false);
  });
});
