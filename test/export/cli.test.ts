import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/index.js';
import { logreg, tempDir } from '../helpers/cli.js';
import { maxAbsDiff, runOnnx, tableFeeds } from './helpers.js';

/**
 * `logreg export` end to end on the built command (npm test builds dist/ first): a model saved by
 * `logreg train --out` becomes an .onnx file whose graph, run in ONNX Runtime, gives what `logreg
 * predict` prints for the same file; every bad invocation is one line on stderr, exit code 1, and
 * no file written.
 */

const BIRTHWT = fileURLToPath(new URL('../fixtures/tabular/birthwt.csv', import.meta.url));
const FORMULA = 'low ~ age + lwt + race*C(ptl) + smoke';

let dir = '';
let modelPath = '';

/** predict's CSV: the predicted class and the probabilities, as printed (shortest round-trip numbers). */
function parsePredictions(csv: string): { labels: string[]; P: number[] } {
  const lines = csv.trim().split('\n').slice(1);
  const labels: string[] = [];
  const P: number[] = [];
  for (const line of lines) {
    const [label, ...p] = line.split(',');
    labels.push(label!);
    P.push(...p.map(Number));
  }
  return { labels, P };
}

/** Files in `dir` other than the ones named (temporary files left behind by a failed write). */
function strayFiles(keep: readonly string[]): string[] {
  return readdirSync(dir).filter((f) => !keep.includes(f));
}

/** One line on stderr with exit code 1, nothing on stdout. */
function expectFailure(args: string[], message: RegExp): void {
  const r = logreg(args, dir);
  expect(r.status, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^logreg: [^\n]+\n$/);
  expect(r.stderr).toMatch(message);
}

beforeAll(() => {
  dir = tempDir();
  modelPath = join(dir, 'm.json');
  const r = logreg(['train', '--data', BIRTHWT, '--formula', FORMULA, '--out', 'm.json', '--quiet'], dir);
  expect(r.status, r.stderr).toBe(0);
});

describe('logreg export', () => {
  it('writes an ONNX graph whose labels and probabilities are logreg predict\'s (float64, 1e-12)', async () => {
    const r = logreg(['export', '--model', 'm.json', '--format', 'onnx', '--out', 'm.onnx'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote m\.onnx: ONNX \(IR 8, opset 17, ai\.onnx\.ml 3\), float64, \d+ bytes\n/);
    expect(r.stdout).toContain('inputs: age double[N,1], lwt double[N,1], race string[N,1], ptl double[N,1], smoke double[N,1]');
    expect(r.stdout).toContain('outputs: label string[N], probabilities double[N,2]');
    const predicted = logreg(['predict', '--model', 'm.json', '--data', BIRTHWT], dir);
    expect(predicted.status, predicted.stderr).toBe(0);
    const want = parsePredictions(predicted.stdout);
    const model = JSON.parse(readFileSync(modelPath, 'utf8'));
    const got = await runOnnx(readFileSync(join(dir, 'm.onnx')), tableFeeds(model, readCsv(BIRTHWT)));
    expect(got.labels).toEqual(want.labels);
    expect(maxAbsDiff(got.probabilities, want.P)).toBeLessThanOrEqual(1e-12);
    expect(strayFiles(['m.json', 'm.onnx'])).toEqual([]);
  });

  it('--float32: float inputs and outputs, probabilities within 1e-6; an existing file is replaced with its mode kept', async () => {
    writeFileSync(join(dir, 'f.onnx'), 'old contents', { mode: 0o640 });
    const r = logreg(['export', '--model', 'm.json', '--out', 'f.onnx', '--float32', '--quiet'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(statSync(join(dir, 'f.onnx')).mode & 0o777).toBe(0o640);
    const session = await ort.InferenceSession.create(readFileSync(join(dir, 'f.onnx')));
    expect(session.inputNames).toEqual(['age', 'lwt', 'race', 'ptl', 'smoke']);
    await session.release();
    const predicted = parsePredictions(logreg(['predict', '--model', 'm.json', '--data', BIRTHWT], dir).stdout);
    const model = JSON.parse(readFileSync(modelPath, 'utf8'));
    const got = await runOnnx(readFileSync(join(dir, 'f.onnx')), tableFeeds(model, readCsv(BIRTHWT), true));
    expect(got.probabilityType).toBe('float32');
    expect(maxAbsDiff(got.probabilities, predicted.P)).toBeLessThanOrEqual(1e-6);
    expect(strayFiles(['m.json', 'm.onnx', 'f.onnx'])).toEqual([]);
  });

  it('refuses bad invocations with one line, exit code 1, and writes nothing', () => {
    writeFileSync(join(dir, 'garbage.json'), '{"format": "logreg-mod');
    writeFileSync(join(dir, 'other.json'), '{"format": "something"}');
    mkdirSync(join(dir, 'folder'));
    symlinkSync('m.json', join(dir, 'link.json'));
    const before = readFileSync(modelPath);
    const keep = ['m.json', 'm.onnx', 'f.onnx', 'garbage.json', 'other.json', 'folder', 'link.json'];
    expectFailure(['export', '--model', 'missing.json', '--out', 'x.onnx'], /--model missing\.json: no such file/);
    expectFailure(['export', '--model', 'garbage.json', '--out', 'x.onnx'], /--model garbage\.json is not a logreg model \(it is not valid JSON/);
    expectFailure(['export', '--model', 'other.json', '--out', 'x.onnx'], /--model other\.json: not a logreg model/);
    expectFailure(['export', '--model', 'folder', '--out', 'x.onnx'], /--model folder is a folder/);
    expectFailure(['export', '--model', 'm.json', '--format', 'pmml', '--out', 'x.onnx'], /--format must be one of onnx, got pmml/);
    expectFailure(['export', '--model', 'm.json', '--out', 'no/such/folder/x.onnx'], /--out no\/such\/folder\/x\.onnx: the folder no\/such\/folder does not exist/);
    expectFailure(['export', '--model', 'm.json', '--out', 'folder'], /--out folder is a folder, not a file/);
    expectFailure(['export', '--model', 'm.json', '--out', 'm.json'], /--out m\.json is the --model file/);
    expectFailure(['export', '--model', 'm.json', '--out', './link.json'], /--out \.\/link\.json is the --model file/);
    expectFailure(['export', '--model', 'm.json', '--out', 'x.onnx', '--float32=maybe'], /--float32 is a flag/);
    expectFailure(['export', '--model', 'm.json'], /Missing required argument: out/);
    expectFailure(['export', '--out', 'x.onnx'], /Missing required argument: model/);
    expect(readFileSync(modelPath).equals(before)).toBe(true);
    expect(existsSync(join(dir, 'x.onnx'))).toBe(false);
    expect(readdirSync(join(dir, 'folder'))).toEqual([]);
    expect(strayFiles(keep)).toEqual([]);
  });
});
