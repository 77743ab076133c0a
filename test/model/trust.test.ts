import { describe, expect, it } from 'vitest';
import { allocModelMatrix } from '../../src/backend/modelMatrix.js';
import { DataError, fit, InferenceError, LogisticRegression } from '../../src/index.js';
import { createRng } from '../../src/util/random.js';

// The API's side of the issue "Trustworthy results": every argument checked at the edge, no
// silent misreading, no NaN out of finite input.

const X = [[0, 1], [1, 0], [2, 3], [3, 2], [1, 1], [2, 2]];
const y = [0, 1, 0, 1, 1, 0];

describe('arguments checked before any work', () => {
  const cases: Array<[string, () => unknown, string | RegExp, ErrorConstructor]> = [
    ['a DenseMatrix whose data is shorter than rows × cols (it would read past it)',
      () => fit({ data: new Float64Array([1]), rows: 1000, cols: 50 }, new Array(1000).fill(0)),
      'X is 1000×50, which needs 50000 values, but X.data has 1', RangeError],
    ['a DenseMatrix of the wrong typed array', () => fit({ data: new Float32Array(12) as unknown as Float64Array, rows: 6, cols: 2 }, y),
      'a DenseMatrix needs its values in a Float64Array, got Float32Array', TypeError],
    ['fit options null', () => fit(X, y, null as never), 'options must be an object, got null', TypeError],
    ['X null', () => fit(null as never, y), /^X must be a matrix or a table, got null$/, TypeError],
    ['duplicate feature names', () => fit(X, y, { featureNames: ['a', 'a'] }), 'featureNames names "a" twice (at 0 and 1)', RangeError],
    ['a learning rate the solver would ignore', () => fit(X, y, { solver: 'lbfgs', learningRate: 0.1 }),
      "learningRate applies to solver 'gd' or 'sgd', not 'lbfgs' (which chooses its own steps)", TypeError],
    ['labels 1 and "1" together', () => fit(X, [1, '1', 0, 1, 0, 0]), 'the labels include both the number 1 and the string "1"; give every label as the same kind', TypeError],
    ['a class that weighs nothing', () => fit(X, y, { sampleWeight: [1, 0, 1, 0, 0, 1] }), /^the class 1 has zero total weight, so it cannot be fitted/, RangeError],
    ['C so small the penalty overflows', () => fit(X, y, { C: 1e-320 }), /^C = 1e-320 is too small/, RangeError],
    ['a table without a target', () => fit([{ a: 1, y: 'x' }, { a: 2, y: 'y' }], {}), /^the table passed to fit: a target column is needed/, DataError as unknown as ErrorConstructor],
  ];
  it.each(cases)('%s', (_name, run, message, kind) => {
    let err: unknown;
    try {
      run();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(kind);
    if (typeof message === 'string') expect((err as Error).message).toBe(message);
    else expect((err as Error).message).toMatch(message);
  });
});

describe('no NaN out of finite input', () => {
  it('probabilities of rows near the float64 limit are finite and sum to 1 (binary and softmax)', () => {
    const rows = [[1e308, -1e308], [1.7e308, 1.7e308], [-1.7e308, 1e308], [5e-324, 1]];
    for (const labels of [y, [0, 1, 2, 1, 2, 0]]) {
      const m = fit(X, labels);
      for (const p of m.predictProba(rows)) {
        expect(p.every(Number.isFinite)).toBe(true);
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
      }
      expect(Number.isNaN(m.logLoss(rows, labels.slice(0, 4)))).toBe(false);
    }
  });
});

describe('summary refuses clearly beyond the size it forms a covariance for', () => {
  it('more than 2000 coefficients: an InferenceError saying so', () => {
    const rng = createRng(3);
    const n = 60;
    const p = 2000;
    const rows = Array.from({ length: n }, () => Array.from({ length: p }, () => rng.next()));
    const m = new LogisticRegression({ maxIter: 3 }).fit(rows, Array.from({ length: n }, (_, i) => i % 2));
    let err: unknown;
    try {
      m.summary();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InferenceError);
    expect((err as InferenceError).reason).toBe('too-large');
    expect((err as Error).message).toMatch(/^the model has 2001 coefficients; inference forms their full covariance matrix, which is done for up to 2000/);
  });
});

describe('data larger than kernel memory are refused with a RangeError that says so', () => {
  it('a model matrix of more than 4 GiB', () => {
    expect(() => allocModelMatrix(60_000_000, 10, [])).toThrow(/^the data need 4\.47 GiB of kernel memory, more than the 4 GiB a WebAssembly memory can hold: stream the rows instead \(logreg train --memory-limit; streamFit in logreg\/engines\)$/);
  });
});
