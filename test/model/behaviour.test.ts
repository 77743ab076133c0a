import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { LogisticRegression, SoftmaxRegression, fit, loadModel } from '../../src/model/index.js';
import { randomProblem } from '../helpers/random.js';

function problem(n: number, d: number, K: number, seed: number) {
  const { X, y } = randomProblem(n, d, K, seed);
  const rows = Array.from({ length: n }, (_, i) => Array.from(X.subarray(i * d, (i + 1) * d)));
  // Labels depend on the features (plus the random part), so the fit has something to find.
  const labels = Array.from({ length: n }, (_, i) => (rows[i]![0]! > 0.5 ? (y[i]! + 1) % K : y[i]!));
  return { X: rows, y: labels };
}

const maxAbsDiff = (a: number[][], b: number[][]) =>
  Math.max(...a.flatMap((row, i) => row.map((v, k) => Math.abs(v - b[i]![k]!))));

describe('consistency', () => {
  const { X, y } = problem(200, 4, 2, 3);

  it('binary logistic regression equals two-class softmax in probabilities (unpenalized)', () => {
    const bin = new LogisticRegression({ penalty: 'none', tol: 1e-11 }).fit(X, y);
    const soft = new SoftmaxRegression({ penalty: 'none', tol: 1e-11 }).fit(X, y);
    expect(maxAbsDiff(bin.predictProba(X), soft.predictProba(X))).toBeLessThan(1e-8);
  });

  it('binary with C equals two-class softmax with C/2 (softmax splits w into ±w/2, halving ‖w‖²)', () => {
    const bin = new LogisticRegression({ C: 0.3, tol: 1e-11 }).fit(X, y);
    const soft = new SoftmaxRegression({ C: 0.15, tol: 1e-11 }).fit(X, y);
    expect(maxAbsDiff(bin.predictProba(X), soft.predictProba(X))).toBeLessThan(1e-8);
    // The softmax coefficients are the canonical ±w/2.
    expect(soft.coef[1]![0]! - soft.coef[0]![0]!).toBeCloseTo(bin.coef[0]![0]!, 7);
  });

  it('renaming the classes or reordering the rows changes nothing', () => {
    const { X: X3, y: y3 } = problem(150, 3, 3, 5);
    const base = fit(X3, y3, { tol: 1e-11 });
    // Rename 0,1,2 → "c","a","b": the sorted class order becomes a(1), b(2), c(0).
    const names = ['c', 'a', 'b'];
    const renamed = fit(X3, y3.map((v) => names[v]!), { tol: 1e-11 });
    expect(renamed.classes).toEqual(['a', 'b', 'c']);
    const Pb = base.predictProba(X3);
    const Pr = renamed.predictProba(X3);
    const perm = [2, 0, 1]; // base class 0 is "c" (column 2), 1 is "a" (column 0), 2 is "b" (column 1)
    for (let i = 0; i < X3.length; i++) for (let k = 0; k < 3; k++) expect(Pr[i]![perm[k]!]).toBeCloseTo(Pb[i]![k]!, 8);
    // Reverse the rows.
    const rev = fit([...X3].reverse(), [...y3].reverse(), { tol: 1e-11 });
    expect(maxAbsDiff(rev.predictProba(X3), Pb)).toBeLessThan(1e-8);
    expect(rev.diagnostics.objective).toBeCloseTo(base.diagnostics.objective, 12);
  });

  it('number[][] and ml-matrix Matrix inputs give the same model', () => {
    const a = fit(X, y);
    const b = fit(new Matrix(X), y);
    expect(b.coef).toEqual(a.coef);
  });

  it('integer sample weights equal repeating rows', () => {
    const w = X.map((_, i) => 1 + (i % 2));
    const weighted = fit(X, y, { sampleWeight: w, tol: 1e-11 });
    const Xr: number[][] = [];
    const yr: number[] = [];
    X.forEach((row, i) => {
      for (let r = 0; r < w[i]!; r++) {
        Xr.push(row);
        yr.push(y[i]!);
      }
    });
    const repeated = fit(Xr, yr, { tol: 1e-11 });
    expect(maxAbsDiff(weighted.coef, repeated.coef)).toBeLessThan(1e-7);
  });

  it('model auto picks binary for two classes and softmax for three', () => {
    expect(fit(X, y)).toBeInstanceOf(LogisticRegression);
    const { X: X3, y: y3 } = problem(90, 2, 3, 8);
    expect(fit(X3, y3)).toBeInstanceOf(SoftmaxRegression);
    expect(fit(X, y, { model: 'softmax' })).toBeInstanceOf(SoftmaxRegression);
  });

  it('toJSON / fromJSON round-trips exactly, through a JSON string too', () => {
    const { X: X3, y: y3 } = problem(90, 2, 3, 8);
    const pairs = [
      { m: fit(X, y, { standardize: true }), data: X },
      { m: fit(X3, y3.map(String), { penalty: 'none' }), data: X3 },
    ];
    for (const { m, data } of pairs) {
      const text = JSON.stringify(m);
      const back = loadModel(text);
      expect(back.constructor).toBe(m.constructor);
      expect(back.classes).toEqual(m.classes);
      expect(back.predictProba(data)).toEqual(m.predictProba(data));
      expect(back.options.C).toBe(m.options.C);
      expect(back.diagnostics).toEqual(m.diagnostics);
    }
  });

  it('a fit that runs out of iterations says so', () => {
    const m = fit(X, y, { solver: 'gd', learningRate: 1e-4, maxIter: 3 });
    expect(m.diagnostics.converged).toBe(false);
    expect(m.diagnostics.reason).toBe('max-iterations');
    expect(m.diagnostics.iterations).toBe(3);
    expect(m.diagnostics.history).toHaveLength(4);
  });
});

describe('errors: refused before any work, naming the argument and the value', () => {
  const X = [[0, 1], [1, 0], [2, 2]];
  const y = [0, 1, 0];
  const cases: Array<[string, () => unknown, string | RegExp, ErrorConstructor]> = [
    ['C ≤ 0', () => new LogisticRegression({ C: -1 }), 'C must be a positive number, got -1', RangeError],
    ['C not a number', () => new LogisticRegression({ C: '1' as unknown as number }), 'C must be a positive number, got the string "1"', TypeError],
    ['unknown solver', () => new LogisticRegression({ solver: 'adam' as 'gd' }), 'solver must be one of auto, newton, lbfgs, gd, sgd, got the string "adam"', RangeError],
    ['misspelt option', () => new LogisticRegression({ maxiter: 5 } as object), /^unknown option "maxiter"/, TypeError],
    ['negative maxIter', () => new LogisticRegression({ maxIter: -2 }), 'maxIter must be a positive integer, got -2', RangeError],
    ['zero threads', () => new LogisticRegression({ threads: 0 }), 'threads must be a positive integer, got 0', RangeError],
    ['NaN in X', () => fit([[0, 1], [NaN, 0]], [0, 1]), 'X[1][0] is NaN; every feature value must be a finite number', RangeError],
    ['Infinity in X', () => fit([[0, Infinity], [1, 0]], [0, 1]), 'X[0][1] is Infinity; every feature value must be a finite number', RangeError],
    ['ragged X', () => fit([[0, 1], [1]], [0, 1]), 'X[1] has 1 values but X[0] has 2; every row needs the same number of features', RangeError],
    ['one class', () => fit(X, [1, 1, 1]), 'y has a single class (1); a classifier needs at least two classes', RangeError],
    ['length mismatch', () => fit(X, [0, 1]), 'y has 2 labels but X has 3 rows', RangeError],
    ['negative weight', () => fit(X, y, { sampleWeight: [1, -1, 1] }), 'sampleWeight[1] is -1; sample weights must be finite and ≥ 0', RangeError],
    ['binary with 3 classes', () => new LogisticRegression().fit(X, [0, 1, 2]), 'LogisticRegression is binary but y has 3 classes (0, 1, 2); use SoftmaxRegression for more than two', RangeError],
    ['unknown class weight key', () => fit(X, y, { classWeight: { 2: 1 } }), 'classWeight names class "2", which is not one of the classes (0, 1)', RangeError],
    ['predict before fit', () => new LogisticRegression().predict(X), 'this LogisticRegression is not fitted yet; call fit(X, y) first', Error],
    ['predict with the wrong feature count', () => fit(X, y).predict([[1, 2, 3]]), 'X has 3 columns but the model was fitted with 2', RangeError],
    ['fromJSON of something else', () => loadModel({ hello: 1 }), 'not a logreg model: its "format" is undefined, expected "logreg-model"', TypeError],
    ['fromJSON of corrupt text', () => loadModel('{"format": "logreg-model", '), /^not a logreg model: the text is not valid JSON/, TypeError],
  ];
  it.each(cases)('%s', (_name, run, message, kind) => {
    let thrown: unknown;
    try {
      run();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(kind);
    if (typeof message === 'string') expect((thrown as Error).message).toBe(message);
    else expect((thrown as Error).message).toMatch(message);
  });
});
