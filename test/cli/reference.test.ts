import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetsDir } from '../../src/data/registry.js';
import { logreg, tempDir } from '../helpers/cli.js';
import { cycle3, fitCases, relErr } from '../helpers/reference.js';

// The built CLI on every fit case of the reference optima (test/fixtures/optima.json).

describe.each(fitCases)('logreg train/predict: $name', (c) => {
  const dir = tempDir();
  let data = join(datasetsDir(), c.data);
  const args: string[] = ['--target', c.target];
  if (c.sample_weight === 'cycle3') {
    // The CLI reads weights from a column: append w = 1 + (i mod 3) to a copy of the file.
    const lines = readFileSync(data, 'utf8').trimEnd().split('\n');
    const w = cycle3(lines.length - 1);
    data = join(dir, 'weighted.csv');
    writeFileSync(data, lines.map((l, i) => `${l},${i === 0 ? 'w' : w[i - 1]}`).join('\n'));
    args.push('--weight-column', 'w');
  }
  if (c.standardize) args.push('--standardize');
  if (c.C === 'inf') args.push('--penalty', 'none');
  else args.push('--C', String(c.C));
  if (c.class_weight === 'balanced') args.push('--class-weight', 'balanced');
  const model = join(dir, 'model.json');

  it('train --json reports the optimum within 1e-6 and the contract fields', () => {
    const r = logreg(['train', '--data', data, ...args, '--json', '--out', model]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(relErr(out.objective, c.objective)).toBeLessThan(1e-6);
    expect(relErr(out.log_loss, c.log_loss)).toBeLessThan(1e-6);
    expect(out.accuracy).toBeCloseTo(c.accuracy, 12);
    expect(out.classes.map(String)).toEqual(c.classes);
    expect(out).toMatchObject({ n_samples: c.n_samples, n_features: c.n_features, converged: true, solver: 'auto' });
    for (const key of ['iterations', 'grad_norm', 'fit_seconds']) expect(typeof out[key]).toBe('number');
  });

  it('predict gives the listed probabilities within 1e-4', () => {
    const r = logreg(['predict', '--model', model, '--data', data]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(['prediction', ...c.classes.map((k) => `p_${k}`)].join(','));
    expect(lines).toHaveLength(c.n_samples + 1);
    for (let i = 0; i < 5; i++) {
      const p = lines[i + 1]!.split(',').slice(1).map(Number);
      for (let k = 0; k < c.classes.length; k++) expect(Math.abs(p[k]! - c.proba_first_rows[i]![k]!)).toBeLessThan(1e-4);
    }
  });
});
