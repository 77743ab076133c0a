import { describe, expect, it } from 'vitest';
import * as built from '../../dist/index.js';
import * as source from '../../src/index.js';
import { availableParallelism } from 'node:os';
import { FOLD_WORKERS_WORK, foldThreads } from '../../src/select/foldPool.js';
import { createRng } from '../../src/util/random.js';

/**
 * Folds on worker threads (src/select/foldPool.ts). The workers run the built library
 * (dist/select/foldWorker.js, which `npm test` builds first), so these tests call the built
 * crossValidate; the TypeScript sources, which vitest runs, have no worker file to start and fit
 * every fold on the calling thread. The folds are long enough (tenths of a second) that the
 * workers, which take a few hundred milliseconds to start, get some of them; the tests check
 * that they did, and that nothing in the results depends on where a fold was fitted.
 */

function binaryData(n: number, d: number, seed: number): { X: number[][]; y: number[] } {
  const rng = createRng(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.next() * 2 - 1));
  const y = X.map((row) => (row[0]! - 0.5 * row[3]! + 0.3 * row[7]! + 0.2 * row[11]! + 0.6 * (rng.next() - 0.5) > 0 ? 1 : 0));
  return { X, y };
}

type Cv = ReturnType<typeof built.crossValidate>;

function sameResults(a: Cv, b: Cv): void {
  expect(b.curves.map((c) => c.points)).toEqual(a.curves.map((c) => c.points));
  expect([b.CMin, b.C1se, b.selected]).toEqual([a.CMin, a.C1se, a.selected]);
  expect(b.model!.coef).toEqual(a.model!.coef);
  expect(b.model!.intercept).toEqual(a.model!.intercept);
}

describe('cross-validation folds on worker threads', () => {
  it('how many threads: a given count (at most the folds); with auto, one for small data, else up to the cores', () => {
    const setup = (rows: number, cols: number) => ({
      data: { data: new Float64Array(rows * cols), rows, cols }, labels: null, fitOptions: {}, modelOptions: {}, kind: 'binary' as const,
      foldIds: new Int32Array(rows), scoring: 'log_loss' as const,
    });
    expect(foldThreads(setup(10, 10), 2, 10, 4)).toBe(4);
    expect(foldThreads(setup(10, 10), 2, 3, 8)).toBe(3);
    expect(foldThreads(setup(10, 10), 2, 10, 'auto')).toBe(1);
    expect(foldThreads(setup(FOLD_WORKERS_WORK / 100 - 1, 100), 2, 10, 'auto')).toBe(1);
    expect(foldThreads(setup(FOLD_WORKERS_WORK / 100 / 4, 100), 5, 10, 'auto')).toBe(Math.min(availableParallelism(), 8, 10)); // 5 classes: 5 logits a row
    expect(foldThreads(setup(FOLD_WORKERS_WORK / 100, 100), 2, 2, 'auto')).toBe(Math.min(availableParallelism(), 2));
  });

  it('a matrix, L1: the same bits on 1 thread and on 3, with folds fitted by the workers', () => {
    const { X, y } = binaryData(40_000, 16, 5);
    const options = { penalty: 'l1' as const, Cs: 12, folds: 6 };
    const one = built.crossValidate(X, y, { ...options, threads: 1 });
    const three = built.crossValidate(X, y, { ...options, threads: 3 });
    expect(one.foldThreads).toBe(1);
    expect(one.workerFolds).toBe(0);
    expect(three.foldThreads).toBe(3);
    expect(three.workerFolds).toBeGreaterThan(0);
    sameResults(one, three);
  });

  it('a table with a factor and imputed gaps (a design per fold), elastic net over two mixing values, softmax', () => {
    const rng = createRng(9);
    const n = 24_000;
    const groups = ['north', 'south', 'east', 'west'];
    const records = Array.from({ length: n }, () => {
      const a = rng.next() * 2 - 1;
      const b = rng.next() * 2 - 1;
      const g = groups[Math.floor(rng.next() * 4)]!;
      const z = [a + (g === 'north' ? 0.8 : 0), b - 0.5 * a, (g === 'east' ? 0.7 : 0) - b].map((v) => v + 0.8 * (rng.next() - 0.5));
      const cls = ['x', 'y', 'z'][z.indexOf(Math.max(...z))]!;
      return { a: rng.next() < 0.02 ? null : a, b, g, c: rng.next() * 2 - 1, note: `row ${rng.next()}`, cls };
    });
    // A text column the design leaves out: the workers are sent every column (a design checks the
    // names it excludes against them). A worker that fails a fold leaves it to the caller, so
    // workerFolds > 0 is what says the workers' folds succeeded.
    const options = {
      target: 'cls', exclude: ['note'], missing: 'mean' as const, penalty: 'elasticnet' as const, l1Ratios: [0.5, 1], Cs: 8, folds: 5, scoring: 'accuracy' as const,
    };
    const one = built.crossValidate(records, { ...options, threads: 1 });
    const three = built.crossValidate(records, { ...options, threads: 3 });
    expect(three.foldThreads).toBe(3);
    expect(three.workerFolds).toBeGreaterThan(0);
    expect(three.model!.classes).toEqual(['x', 'y', 'z']);
    sameResults(one, three);
  });

  it('the sources (as vitest runs them) fit every fold here, to the same numbers as the built library', () => {
    const { X, y } = binaryData(6_000, 16, 7);
    const options = { penalty: 'l2' as const, Cs: 5, folds: 4, threads: 2 };
    const fromSource = source.crossValidate(X, y, options);
    expect([fromSource.foldThreads, fromSource.workerFolds]).toEqual([1, 0]);
    sameResults(fromSource as unknown as Cv, built.crossValidate(X, y, options));
  });

  it('a fold that cannot be fitted fails with the error a single thread gives', () => {
    // Fold 0 holds every row of class 1: the other folds' rows have one class.
    const { X, y } = binaryData(20_000, 16, 11);
    const foldIds = y.map((label, i) => (label === 1 ? 0 : 1 + (i % 3)));
    const run = (threads: number) => () => built.crossValidate(X, y, { penalty: 'l1', Cs: 4, foldIds, threads });
    let message = '';
    try {
      run(1)();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/class/);
    expect(run(3)).toThrow(message);
  });
});
