import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { logreg, tempDir } from '../helpers/cli.js';

// Bad input: one line on stderr naming the file, line, column or option; exit code 1; no stack
// trace; and the --out file neither created nor changed.

const dir = tempDir();
const f = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const good = 'a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n';
const OLD = 'previous contents\n';

beforeAll(() => {
  mkdirSync(join(dir, 'folder.csv'));
  const r = logreg(['train', '--data', f('good.csv', good), '--out', join(dir, 'good-model.json'), '--quiet']);
  expect(r.status).toBe(0);
});

type Case = [name: string, args: () => string[], message: string | RegExp];
const trainCases: Case[] = [
  ['missing file', () => ['--data', join(dir, 'nope.csv')], `logreg: ${join(dir, 'nope.csv')}: no such file`],
  ['a folder', () => ['--data', join(dir, 'folder.csv')], `logreg: ${join(dir, 'folder.csv')}: is a folder, not a CSV file`],
  ['empty file', () => ['--data', f('empty.csv', '')], /empty\.csv: the file is empty$/],
  ['header with no rows', () => ['--data', f('header.csv', 'a,b,label\n')], /header\.csv: has a header but no data rows$/],
  ['missing target', () => ['--data', f('t.csv', good), '--target', 'species'], /t\.csv: has no target column "species" \(columns: a, b, label\)$/],
  ['duplicated column', () => ['--data', f('dup.csv', 'a,a,label\n1,2,x\n3,4,y\n')], /dup\.csv: line 1: the header names column "a" twice \(columns 1 and 2\)$/],
  ['empty value', () => ['--data', f('ev.csv', 'a,b,label\n1,,x\n3,4,y\n')], /ev\.csv: line 2, column "b": missing value; --missing drop leaves such rows out, --missing mean imputes them/],
  ['blank value (spaces) is missing, not 0', () => ['--data', f('blank.csv', 'a,b,y\n1,2,0\n  ,3,1\n2,1,0\n0,0,1\n')], /blank\.csv: line 3, column "a": missing value; /],
  ['NaN value', () => ['--data', f('nan.csv', 'a,b,label\n1,NaN,x\n3,4,y\n')], /nan\.csv: line 2, column "b": missing value; /],
  ['infinite value', () => ['--data', f('inf.csv', 'a,b,label\n1,Infinity,x\n3,4,y\n')], /inf\.csv: line 2, column "b": value Infinity is infinite; every value must be a finite number$/],
  ['ragged row', () => ['--data', f('rag.csv', 'a,b,label\n1,2,x\n3,y\n')], /rag\.csv: line 3: expected 3 fields \(as in the header\), got 2$/],
  ['unterminated quote', () => ['--data', f('q.csv', 'a,b,label\n1,2,"x\n3,4,y\n')], /q\.csv: line 2: a quoted field is never closed \(unterminated quote\)$/],
  ['binary file', () => ['--data', f('bin.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x01]))], /bin\.csv: does not look like a text CSV file \(it contains NUL bytes\)$/],
  ['single class', () => ['--data', f('one.csv', 'a,b,label\n1,2,x\n3,4,x\n')], /^logreg: .*one\.csv: the target column "label" has a single class \("x"\); a classifier needs at least two classes$/],
  ['C ≤ 0', () => ['--data', 'iris', '--C', '0'], 'logreg: --C must be a positive number, got 0'],
  ['C not a number', () => ['--data', 'iris', '--C', 'abc'], 'logreg: --C must be a positive number, got abc'],
  ['test size outside (0, 1)', () => ['--data', 'iris', '--test-size', '1.5'], 'logreg: --test-size must be a number between 0 and 1 (exclusive), got 1.5'],
  ['negative iteration count', () => ['--data', 'iris', '--max-iter', '-3'], 'logreg: --max-iter must be a positive integer, got -3'],
  ['unknown solver', () => ['--data', 'iris', '--solver', 'adam'], 'logreg: --solver must be one of auto, newton, lbfgs, gd, sgd, got adam'],
  ['unknown option', () => ['--data', 'iris', '--colour', 'red'], 'logreg: Unknown argument: colour'],
  ['missing --data', () => [], 'logreg: train needs a data set: logreg train --data <name or file.csv> (see logreg datasets)'],
];

function expectCleanFailure(r: { status: number | null; stdout: string; stderr: string }, message: string | RegExp) {
  expect(r.status).toBe(1);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  if (typeof message === 'string') expect(lines[0]).toBe(message);
  else expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('logreg train refuses bad input cleanly', () => {
  it.each(trainCases)('%s', (_name, args, message) => {
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}.json`);
    const existing = f(`existing-${Math.random().toString(36).slice(2)}.json`, OLD);
    const r = logreg(['train', ...args(), '--out', out]);
    expectCleanFailure(r, message);
    expect(existsSync(out)).toBe(false);
    // The same failure with --out pointing at an existing file leaves it untouched.
    logreg(['train', ...args(), '--out', existing]);
    expect(readFileSync(existing, 'utf8')).toBe(OLD);
  });
});

describe('logreg predict and evaluate refuse bad models and data cleanly', () => {
  const model = () => join(dir, 'good-model.json');
  const cases: Case[] = [
    ['model file missing', () => ['predict', '--model', join(dir, 'none.json'), '--data', join(dir, 'good.csv')], `logreg: --model ${join(dir, 'none.json')}: no such file`],
    ['model not JSON (corrupt)', () => ['predict', '--model', f('corrupt.json', '{"format": "logreg-mo'), '--data', join(dir, 'good.csv')], /^logreg: --model .*corrupt\.json is not a logreg model \(it is not valid JSON; the file may be corrupt or truncated\)$/],
    ['JSON that is not a logreg model', () => ['predict', '--model', f('other.json', '{"weights": [1, 2]}'), '--data', join(dir, 'good.csv')], /^logreg: --model .*other\.json: not a logreg model: its "format" is undefined, expected "logreg-model"$/],
    ['data lacking a feature', () => ['predict', '--model', model(), '--data', f('lack.csv', 'a,label\n1,x\n')], /lack\.csv: lacks the column "b" that the model needs \(columns: a, label\)$/],
    ['evaluate with a label the model never saw', () => ['evaluate', '--model', model(), '--data', f('newlabel.csv', 'a,b,label\n1,2,z\n')], /newlabel\.csv: line 2, column "label": "z" is not one of the model's classes \("x", "y"\)$/],
  ];
  it.each(cases)('%s', (_name, args, message) => {
    const out = join(dir, `pred-${Math.random().toString(36).slice(2)}.csv`);
    const r = logreg([...args(), ...(args()[0] === 'predict' ? ['--out', out] : [])]);
    expectCleanFailure(r, message);
    expect(existsSync(out)).toBe(false);
  });
});

describe('what works', () => {
  it('train from another folder with a bundled name, and the last column as default target', () => {
    const r = logreg(['train', '--data', join(dir, 'good.csv')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('label (the last column, since --target was not given)');
  });
  it('predict matches columns by name, ignoring extra and reordered columns', () => {
    const p = f('reordered.csv', 'extra,b,label,a\n9,2,x,1\n9,8,y,7\n');
    const r = logreg(['predict', '--model', join(dir, 'good-model.json'), '--data', p]);
    const direct = logreg(['predict', '--model', join(dir, 'good-model.json'), '--data', f('plain.csv', 'a,b\n1,2\n7,8\n')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(direct.stdout);
  });
  it('semicolon delimiter, CRLF, BOM, quotes, no final newline', () => {
    const p = f('semi.csv', '\ufeff"a";"b";"label"\r\n1;2;"x"\r\n3;4;y\r\n5;6;x\r\n7;8;"y"');
    const r = logreg(['train', '--data', p, '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ n_samples: 4, n_features: 2, classes: ['x', 'y'] });
  });
  it('--help lists every command', () => {
    const r = logreg(['--help']);
    for (const cmd of ['train', 'predict', 'evaluate', 'datasets']) expect(r.stdout).toContain(`logreg ${cmd}`);
  });
  it('datasets lists the five bundled sets', () => {
    const r = logreg(['datasets']);
    for (const name of ['iris', 'wine', 'breast-cancer', 'digits', 'spector']) expect(r.stdout).toContain(name);
  });
  it('evaluate reports the metrics of train on the same data', () => {
    const m = join(dir, 'iris.json');
    const t = JSON.parse(logreg(['train', '--data', 'iris', '--json', '--out', m]).stdout);
    const e = JSON.parse(logreg(['evaluate', '--model', m, '--data', 'iris', '--json']).stdout);
    expect(e.log_loss).toBeCloseTo(t.log_loss, 12);
    expect(e.accuracy).toBe(t.accuracy);
    expect(e.confusion_matrix).toHaveLength(3);
  });
});
