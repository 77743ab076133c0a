import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatColumn, rowsOf } from '../../src/cli/report.js';
import { logreg, tempDir } from '../helpers/cli.js';

// What a new user meets first (issue 13, "Set-up and commands"): the usage, the positional data
// set, --help's types, errors in the CLI's words, the API's options on the command line, predict's
// output columns, and numbers formatted alike within each column of every report table.

const dir = tempDir();
const f = (name: string, content: string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

/** Two overlapping classes x and y (the last column) in two features a and b, with an id column and a weight per row. */
const rows = [
  [1, 0.1, 1.2, 0.5, 'x'], [2, 0.9, 0.3, 1.25, 'x'], [3, 1.4, 1.1, 2, 'x'], [4, 0.2, 2.1, 1, 'x'],
  [5, 2.2, 0.8, 0.75, 'y'], [6, 1.1, 1.9, 1.5, 'y'], [7, 2.8, 2.4, 1, 'y'], [8, 0.6, 0.7, 2.5, 'y'],
  [9, 1.9, 2.9, 1, 'y'], [10, 2.5, 0.2, 0.25, 'x'],
] as const;
const csv = (cols: number[]) => ['id,a,b,w,label'.split(',').filter((_, j) => cols.includes(j)).join(','), ...rows.map((r) => r.filter((_, j) => cols.includes(j)).join(','))].join('\n') + '\n';
const data = f('two.csv', csv([0, 1, 2, 3, 4]));

function expectOneLine(r: { status: number | null; stdout: string; stderr: string }, message: RegExp) {
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
}

const json = (args: string[]) => {
  const r = logreg(args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
};

/** The entry of `--help` for one switch: its line and the lines wrapped under it, up to the next switch. */
function helpEntry(help: string, option: string): string {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\s+${option}\\s`).test(l));
  expect(start, `${option} in --help`).toBeGreaterThanOrEqual(0);
  const next = lines.findIndex((l, i) => i > start && (/^\s+-/.test(l) || l.trim() === ''));
  return lines.slice(start, next).join(' ');
}

describe('the usage and the data set argument', () => {
  it('logreg with no command prints the usage with every command on stderr, and exits 1', () => {
    const r = logreg([]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^logreg <command> \[options\]/);
    for (const cmd of ['train', 'predict', 'evaluate', 'datasets']) expect(r.stderr).toContain(`logreg ${cmd}`);
  });
  it('logreg train iris is logreg train --data iris; both at once is refused', () => {
    const positional = json(['train', 'iris', '--json']);
    const option = json(['train', '--data', 'iris', '--json']);
    expect(positional.data).toBe('iris');
    expect(positional.objective).toBe(option.objective);
    expect(positional.coefficients).toEqual(option.coefficients);
    // yargs would let the positional override --data silently.
    expectOneLine(logreg(['train', 'iris', '--data', 'wine']), /^logreg: the data set was given twice \(iris and --data wine\); give one of them$/);
  });
});

describe('--help', () => {
  const train = logreg(['train', '--help']);
  const evaluate = logreg(['evaluate', '--help']);
  it('shows the numeric options as numbers', () => {
    expect(train.status).toBe(0);
    for (const o of ['-C', '--test-size', '--seed', '--max-iter', '--tol', '--learning-rate', '--batch-size', '--epochs']) {
      const entry = helpEntry(train.stdout, o);
      expect(entry, o).toContain('[number]');
      expect(entry, o).not.toContain('[string]');
    }
    for (const o of ['--threshold', '--calibration-bins']) expect(helpEntry(evaluate.stdout, o), o).toContain('[number]');
    expect(helpEntry(train.stdout, '-C')).toContain('[default: 1]');
  });
  it('documents -C as --C too, and both spellings give the same fit', () => {
    expect(helpEntry(train.stdout, '-C')).toContain('--C');
    const short = json(['train', '--data', data, '--exclude', 'id,w', '-C', '0.5', '--json']);
    const long = json(['train', '--data', data, '--exclude', 'id,w', '--C', '0.5', '--json']);
    expect(short.C).toBe(0.5);
    expect(long.coefficients).toEqual(short.coefficients);
  });
  it('still hands the text typed to the option checks (not NaN, not 0x10 read as 16)', () => {
    expectOneLine(logreg(['train', '--data', 'iris', '--tol', 'abc']), /^logreg: --tol must be a positive number, got abc$/);
    expectOneLine(logreg(['train', '--data', 'iris', '--C', '0x10']), /^logreg: --C must be a positive number, got 0x10$/);
    expectOneLine(logreg(['train', '--data', 'iris', '--seed', '1.5']), /^logreg: --seed must be an integer, got 1\.5$/);
  });
});

describe('errors in the CLI\'s words', () => {
  it('--model binary on 3 classes says --model softmax, not the API\'s class name', () => {
    const r = logreg(['train', '--data', 'iris', '--model', 'binary']);
    expectOneLine(r, /use --model softmax/);
    expect(r.stderr).not.toMatch(/SoftmaxRegression/);
  });
  it('--exclude leaves out a column (an ID) that is never read; a name not in the file is refused, naming it', () => {
    const r = json(['train', '--data', data, '--exclude', 'id,w', '--json']);
    expect(r.target).toBe('label');
    expect(r.features).toEqual(['a', 'b']);
    expectOneLine(logreg(['train', '--data', data, '--exclude', 'ID']), /^logreg: --exclude: .*two\.csv has no column "ID" \(columns: id, a, b, w, label\)$/);
  });
  it('evaluate names the file and line of a bad label: unseen, or missing', () => {
    const model = join(dir, 'labels-model.json');
    json(['train', '--data', data, '--exclude', 'id,w', '--out', model, '--json']);
    expectOneLine(logreg(['evaluate', '--model', model, '--data', f('unseen.csv', 'a,b,label\n1,2,x\n3,4,z\n')]), /unseen\.csv: line 3, column "label": "z" is not one of the model's classes/);
    expectOneLine(logreg(['evaluate', '--model', model, '--data', f('nolabel.csv', 'a,b,label\n1,2,x\n3,4,\n')]), /nolabel\.csv: line 3, column "label": missing value/);
    // predict reads no labels: the same file predicts.
    expect(logreg(['predict', '--model', model, '--data', join(dir, 'unseen.csv')]).status).toBe(0);
  });
});

describe('the API\'s options on the command line', () => {
  it('--class-weight by class fits as the same weights given per row (sᵢ = class weight)', () => {
    const byClass = json(['train', '--data', data, '--exclude', 'id,w', '--class-weight', 'x=1,y=3', '--json']);
    const perRow = f('classw.csv', ['a,b,label,cw', ...rows.map((r) => `${r[1]},${r[2]},${r[4]},${r[4] === 'y' ? 3 : 1}`)].join('\n'));
    const byRow = json(['train', '--data', perRow, '--target', 'label', '--weight-column', 'cw', '--json']);
    const plain = json(['train', '--data', data, '--exclude', 'id,w', '--json']);
    for (const k of ['intercept', 'a', 'b']) {
      expect(Math.abs(byClass.coefficients.y[k] - byRow.coefficients.y[k])).toBeLessThan(1e-8);
      expect(Math.abs(byClass.coefficients.y[k] - plain.coefficients.y[k])).toBeGreaterThan(1e-3);
    }
    expect(logreg(['train', '--data', data, '--exclude', 'id,w', '--class-weight', 'x=1,y=3']).stdout).toMatch(/, class weights/);
    expectOneLine(logreg(['train', '--data', data, '--class-weight', 'x=1,y']), /^logreg: --class-weight must be balanced or class=weight pairs/);
  });
  it('--no-intercept fits through the origin: no intercept, P = 1/2 at x = 0, a higher optimum', () => {
    const model = join(dir, 'origin.json');
    const none = json(['train', '--data', data, '--exclude', 'id,w', '--no-intercept', '--out', model, '--json']);
    const withIntercept = json(['train', '--data', data, '--exclude', 'id,w', '--json']);
    expect(Object.keys(none.coefficients.y).sort()).toEqual(['a', 'b']);
    // The intercept is free (not penalized), so dropping it can only raise the minimum.
    expect(none.objective).toBeGreaterThan(withIntercept.objective);
    const p = logreg(['predict', '--model', model, '--data', f('origin.csv', 'a,b\n0,0\n')]);
    expect(p.stdout.trim().split('\n')[1]!.split(',').slice(1).map(Number)).toEqual([0.5, 0.5]);
  });
  it('--threads: 1 and 2 give the same bits; auto works; 0 is refused', () => {
    const one = json(['train', '--data', 'breast-cancer', '--standardize', '--threads', '1', '--json']);
    const two = json(['train', '--data', 'breast-cancer', '--standardize', '--threads', '2', '--json']);
    const auto = json(['train', '--data', 'breast-cancer', '--standardize', '--threads', 'auto', '--json']);
    expect(two.objective).toBe(one.objective);
    expect(two.coefficients).toEqual(one.coefficients);
    expect(auto.coefficients).toEqual(one.coefficients);
    expectOneLine(logreg(['train', '--data', 'iris', '--threads', '0']), /^logreg: --threads must be a positive integer, got 0$/);
  });
});

describe('predict\'s output columns', () => {
  const model = join(dir, 'predict-model.json');
  const input = f('predict.csv', csv([0, 1, 2]));
  const run = (extra: string[]) => {
    const r = logreg(['predict', '--model', model, '--data', input, ...extra]);
    expect(r.stderr).toBe('');
    return r.stdout.trimEnd().split('\n').map((l) => l.split(','));
  };
  it('--id-column and --keep carry columns into the output, first; --proba-only and --labels-only leave the rest out', () => {
    json(['train', '--data', data, '--exclude', 'id,w', '--out', model, '--json']);
    const full = run([]);
    expect(full[0]).toEqual(['prediction', 'p_x', 'p_y']);
    const withId = run(['--id-column', 'id']);
    expect(withId[0]).toEqual(['id', 'prediction', 'p_x', 'p_y']);
    expect(withId.slice(1).map((r) => r[0])).toEqual(rows.map((r) => String(r[0])));
    expect(withId.slice(1).map((r) => r.slice(1))).toEqual(full.slice(1));
    const kept = run(['--keep', 'b,id']);
    expect(kept[0]).toEqual(['b', 'id', 'prediction', 'p_x', 'p_y']);
    expect(kept.slice(1).map((r) => r.slice(0, 2))).toEqual(rows.map((r) => [String(r[2]), String(r[0])]));
    const proba = run(['--id-column', 'id', '--proba-only']);
    expect(proba[0]).toEqual(['id', 'p_x', 'p_y']);
    expect(proba.slice(1).map((r) => r.slice(1))).toEqual(full.slice(1).map((r) => r.slice(1)));
    const labels = run(['--labels-only']);
    expect(labels[0]).toEqual(['prediction']);
    expect(labels.slice(1).map((r) => r[0])).toEqual(full.slice(1).map((r) => r[0]));
    // The predicted class is the one of larger probability.
    for (const r of full.slice(1)) expect(r[0]).toBe(Number(r[1]) >= Number(r[2]) ? 'x' : 'y');
  });
  it('refuses both --proba-only and --labels-only, and a kept column the file lacks', () => {
    expectOneLine(logreg(['predict', '--model', model, '--data', input, '--proba-only', '--labels-only']), /^logreg: --proba-only and --labels-only exclude each other/);
    expectOneLine(logreg(['predict', '--model', model, '--data', input, '--keep', 'nope']), /predict\.csv has no column "nope"$/);
  });
});

/** The cells of a report table: the lines after its header line, up to a blank line, cut at runs of 2+ spaces. */
function tableCells(text: string, header: RegExp): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => header.test(l));
  expect(start, String(header)).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && l.trim() === '');
  return lines.slice(start + 1, end < 0 ? undefined : end).map((l) => l.trim().split(/\s{2,}/));
}

/** How a number cell is written: its decimals, and whether in scientific notation. */
const shape = (cell: string) => {
  const m = /^-?\d+(?:\.(\d+))?(e[+-]\d+)?$/.exec(cell);
  expect(m, cell).not.toBeNull();
  return `${m![1]?.length ?? 0}${m![2] === undefined ? '' : 'e'}`;
};

/** Every cell of each of `columns` (counted from the right end of a row) is written alike. */
function expectAlike(cells: string[][], columns: number[]) {
  expect(cells.length).toBeGreaterThan(1);
  for (const c of columns) {
    const shapes = new Set(cells.map((r) => shape(r[r.length - c]!)));
    expect([...shapes], `column ${c} from the right: ${cells.map((r) => r[r.length - c]).join(' ')}`).toHaveLength(1);
  }
}

describe('numbers in a column of a report are formatted alike', () => {
  it('formatColumn: -3.000 beside -3.237; scientific for all when magnitudes span too far', () => {
    // Decimals for 4 significant digits of the smallest magnitude, the same for every cell.
    expect(formatColumn([-3, -3.237, 3.5])).toEqual(['-3.000', '-3.237', '3.500']);
    expect(formatColumn([-3, 0.5])).toEqual(['-3.0000', '0.5000']);
    expect(formatColumn([1, 0.01234])).toEqual(['1.00000', '0.01234']);
    expect(formatColumn([0, 2, NaN])).toEqual(['0.000', '2.000', 'NaN']);
    expect(formatColumn([1e-12, 5])).toEqual(['1.000e-12', '5.000e+0']);
    expect(rowsOf([['a', 'b'], ['1', '2']])).toEqual([['a', '1'], ['b', '2']]);
  });
  it('train: the held-out per-class table (1.0000 beside 0.9667) and the coefficients', () => {
    const r = logreg(['train', '--data', 'iris', '--test-size', '0.3', '--quiet']);
    expect(r.status).toBe(0);
    const perClass = tableCells(r.stdout, /^\s+class\s+precision\s+recall\s+F1\s+support$/);
    expect(perClass.map((row) => row[0])).toEqual(['setosa', 'versicolor', 'virginica', 'macro average']);
    expectAlike(perClass, [1, 2, 3, 4]);
    const coefficients = tableCells(r.stdout.slice(r.stdout.indexOf('\n  coefficients')), /^\s+setosa\s+versicolor\s+virginica$/);
    expect(coefficients.map((row) => row[0])).toEqual(['intercept', 'sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expectAlike(coefficients, [1, 2, 3]);
  });
  it('train --summary: coefficient, standard error, z and interval columns', () => {
    const r = logreg(['train', '--data', 'spector', '--penalty', 'none', '--summary']);
    expect(r.status).toBe(0);
    const cells = tableCells(r.stdout, /^\s+coef\s+std err\s+z\s+P>\|z\|/);
    expect(cells.map((row) => row[0])).toEqual(['intercept', 'GPA', 'TUCE', 'PSI']);
    expectAlike(cells, [1, 2, 4, 5, 6]);
  });
  it('evaluate with weights: precision, recall, F1, weighted support and the weighted confusion matrix', () => {
    const model = join(dir, 'weighted-model.json');
    json(['train', '--data', data, '--exclude', 'id,w', '--out', model, '--json']);
    const r = logreg(['evaluate', '--model', model, '--data', data, '--weight-column', 'w']);
    expect(r.status).toBe(0);
    const perClass = tableCells(r.stdout, /^\s+class\s+precision\s+recall\s+F1\s+support$/);
    expect(perClass.map((row) => row[0])).toEqual(['x', 'y', 'macro average', 'weighted average']);
    expectAlike(perClass, [1, 2, 3, 4]);
    const confusion = tableCells(r.stdout, /^\s+x\s+y$/);
    expect(confusion.map((row) => row[0])).toEqual(['x', 'y']);
    // Every cell of the matrix alike; the weights make at least one cell fractional.
    expect(new Set(confusion.flatMap((row) => row.slice(1).map(shape))).size).toBe(1);
    expect(confusion.some((row) => row.slice(1).some((c) => !/\.0+$/.test(c)))).toBe(true);
  });
});
