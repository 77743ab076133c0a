import { describe, expect, it } from 'vitest';
import { dense, firstNonFinite } from '../../src/backend/dense.js';
import { chunkCount, chunkStart, MAX_CHUNKS, MIN_CHUNK_ROWS, poolStats, runChunks, startWorkers } from '../../src/backend/pool.js';
import { Arena, arenaFloat64, arenaOf, placeMatrix } from '../../src/backend/arena.js';
import { binomialLoss } from '../../src/loss/binomial.js';
import { makeLayout } from '../../src/loss/layout.js';
import { multinomialLoss } from '../../src/loss/multinomial.js';
import { LinearModelObjective } from '../../src/loss/objective.js';
import { linearLogits, linearProbabilities } from '../../src/loss/predict.js';
import { newton } from '../../src/optim/newton.js';
import { naiveObjective, naiveProbabilities } from '../helpers/naive.js';
import { randomProblem } from '../helpers/random.js';

const lossOf = (K: number) => (K === 1 ? binomialLoss : multinomialLoss(K));

// The kernels block, tile and vectorize the sums of the objective; the oracle adds them up one
// term at a time. Shapes cover every tail: d below, at and between the tile widths (2, 8, 16
// features), K = 1 (binomial), even and odd K, a row count that is not a multiple of anything.
describe('the kernels compute the objective of the plain formulas', () => {
  const shapes: Array<[number, number]> = [];
  for (const d of [1, 2, 3, 5, 8, 9, 16, 17, 33]) for (const K of [1, 2, 3, 5, 10]) shapes.push([d, K]);
  it.each(shapes)('d = %i, K = %i: value, gradient, Hessian-vector product, probabilities', (d, K) => {
    const n = 301;
    const { X, y, w, vec } = randomProblem(n, d, K === 1 ? 2 : K, 100 + 7 * d + K);
    for (const fitIntercept of [true, false]) {
      const layout = makeLayout(d, K, fitIntercept);
      const p = { X, n, d, K, y, s: w, C: 0.8, fitIntercept };
      const obj = new LinearModelObjective({ X: dense(X, n, d), loss: lossOf(K), layout, y, weights: w, C: 0.8 });
      const x = vec(layout.dim, 0.4);
      const v = vec(layout.dim);
      const ref = naiveObjective(p, x, v);
      const g = new Float64Array(layout.dim);
      const f = obj.valueAndGradient(x, g);
      expect(Math.abs(f - ref.value)).toBeLessThan(1e-13 * Math.abs(ref.value));
      const hv = new Float64Array(layout.dim);
      obj.hessVec(x)(v, hv);
      for (let j = 0; j < layout.dim; j++) {
        expect(Math.abs(g[j]! - ref.grad[j]!)).toBeLessThan(1e-13 * Math.max(1, Math.abs(ref.grad[j]!)));
        expect(Math.abs(hv[j]! - ref.hv[j]!)).toBeLessThan(1e-13 * Math.max(1, Math.abs(ref.hv[j]!)));
      }
      const coef = x.subarray(0, K * d);
      const intercept = fitIntercept ? x.subarray(K * d) : new Float64Array(K);
      const P = linearProbabilities(dense(X, n, d), lossOf(K), { coef, intercept });
      const Z = linearLogits(dense(X, n, d), { coef, intercept });
      const classes = K === 1 ? 2 : K;
      for (let i = 0; i < n; i += 37) {
        const q = naiveProbabilities(p, x, i);
        for (let c = 0; c < classes; c++) expect(Math.abs(P[i * classes + c]! - q[c]!)).toBeLessThan(1e-14);
        for (let k = 0; k < K; k++) {
          let z = fitIntercept ? x[K * d + k]! : 0;
          for (let j = 0; j < d; j++) z += x[k * d + j]! * X[i * d + j]!;
          expect(Math.abs(Z[i * K + k]! - z)).toBeLessThan(1e-13 * Math.max(1, Math.abs(z)));
        }
      }
    }
  });
});

// Passes split the rows into chunks that depend on n alone and add the chunks' partial sums in
// chunk order, so the thread count cannot change a single bit.
describe.each([1, 4])('the same bits on 1, 2 and 3 threads (K = %i)', (K) => {
  const n = 9001;
  const d = 13;
  const { X, y, w, vec } = randomProblem(n, d, K === 1 ? 2 : K, 21);
  const make = (threads: number) =>
    new LinearModelObjective({ X: dense(X, n, d), loss: lossOf(K), layout: makeLayout(d, K, true), y, weights: w, C: 0.5, threads });
  const objectives = [make(1), make(2), make(3)];
  const x = vec(objectives[0]!.dim, 0.3);
  const v = vec(objectives[0]!.dim);

  it('value, gradient, Hessian-vector product, Hessian diagonal, row losses', () => {
    const results = objectives.map((obj) => {
      const g = new Float64Array(obj.dim);
      const f = obj.valueAndGradient(x, g);
      const hv = new Float64Array(obj.dim);
      obj.hessVec(x)(v, hv);
      return { f, g: Array.from(g), hv: Array.from(hv), diag: Array.from(obj.hessDiag(x)), rows: Array.from(obj.rowLosses(x)) };
    });
    expect(chunkCount(n)).toBeGreaterThan(3);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it('a whole fit, twice', () => {
    const r1 = newton(objectives[0]!, new Float64Array(objectives[0]!.dim), { maxIter: 50, tol: 1e-11 });
    const r2 = newton(objectives[2]!, new Float64Array(objectives[0]!.dim), { maxIter: 50, tol: 1e-11 });
    const r3 = newton(objectives[2]!, new Float64Array(objectives[0]!.dim), { maxIter: 50, tol: 1e-11 });
    expect(r1.converged).toBe(true);
    expect(Array.from(r2.x)).toEqual(Array.from(r1.x));
    expect(Array.from(r3.x)).toEqual(Array.from(r1.x));
  });

  it('predictions', () => {
    const coef = x.subarray(0, K * d);
    const intercept = x.subarray(K * d);
    const P1 = linearProbabilities(dense(X, n, d), lossOf(K), { coef, intercept }, 1);
    const P3 = linearProbabilities(dense(X, n, d), lossOf(K), { coef, intercept }, 3);
    expect(Array.from(P3)).toEqual(Array.from(P1));
  });
});

describe('a pass that fails on some thread', () => {
  it('throws, and leaves the pool ready for the next pass', () => {
    const n = 20_000;
    const d = 4;
    const { X, y, vec } = randomProblem(n, d, 2, 9);
    const obj = new LinearModelObjective({ X: dense(X, n, d), loss: binomialLoss, layout: makeLayout(d, 1, true), y, weights: null, C: 1, threads: 2 });
    const x = vec(obj.dim, 0.1);
    const g1 = new Float64Array(obj.dim);
    const f1 = obj.valueAndGradient(x, g1);
    // A matrix pointer far outside the arena's memory: every chunk traps.
    const arena = new Arena(1 << 20);
    const parts = arena.alloc(64 * MAX_CHUNKS);
    expect(() => runChunks(arena, { fn: 'valueRows', rows: n, parts, partBytes: 64, args: [2 ** 31, d, 1, 0, 0, 0, 0, 0] }, 2))
      .toThrow(/out of bounds/);
    const g2 = new Float64Array(obj.dim);
    expect(obj.valueAndGradient(x, g2)).toBe(f1);
    expect(Array.from(g2)).toEqual(Array.from(g1));
  });
});

describe('chunks', () => {
  it('depend on the row count alone, cover every row once, shrink along the rows, hold at least MIN_CHUNK_ROWS rows', () => {
    for (const n of [1, 5, MIN_CHUNK_ROWS - 1, 3 * MIN_CHUNK_ROWS, 4096, 9001, 100_000, 10_000_000]) {
      const C = chunkCount(n);
      expect(C).toBeGreaterThanOrEqual(1);
      expect(C).toBeLessThanOrEqual(MAX_CHUNKS);
      expect(chunkStart(n, C, 0)).toBe(0);
      expect(chunkStart(n, C, C)).toBe(n);
      let previous = Infinity;
      for (let c = 0; c < C; c++) {
        const rows = chunkStart(n, C, c + 1) - chunkStart(n, C, c);
        if (C > 1) expect(rows).toBeGreaterThanOrEqual(MIN_CHUNK_ROWS);
        expect(rows).toBeGreaterThan(0);
        expect(rows).toBeLessThanOrEqual(previous + 1);
        previous = rows;
      }
    }
    expect(chunkCount(100_000)).toBe(MAX_CHUNKS);
    expect(chunkCount(MIN_CHUNK_ROWS * 3)).toBe(2);
  });
});

describe('arenas of kernel memory', () => {
  it('grow on demand, keep earlier views valid, and find their arrays again', () => {
    const a = new Arena(100);
    const first = a.float64(10);
    first.view.fill(7);
    const big = a.float64(3_000_000); // beyond the first page: the memory grows
    big.view[big.view.length - 1] = 1;
    expect(Array.from(first.view)).toEqual(new Array(10).fill(7));
    expect(arenaOf(big.view)).toBe(a);
    expect(arenaOf(first.view)).toBe(a);
    expect(arenaOf(new Float64Array(4))).toBeNull();
  });

  it('passes that go back and forth between more arenas than a worker keeps give the 1-thread bits', async () => {
    // Workers keep the last few memories sent (pool.ts, HELD = 4), and the posting thread tracks
    // which: seven data sets in turn, twice round, make them let go of some and be sent them again.
    const n = 50_000;
    const d = 20;
    const objectives = (threads: number) => Array.from({ length: 7 }, (_, k) => {
      const { X, y, w } = randomProblem(n, d, 2, 40 + k);
      return new LinearModelObjective({ X: dense(X, n, d), loss: binomialLoss, layout: makeLayout(d, 1, true), y, weights: w, C: 1, threads });
    });
    const x = Float64Array.from({ length: d + 1 }, (_, j) => 0.1 * (j - 2));
    const run = (objs: LinearModelObjective[]) => {
      const out: number[] = [];
      for (const order of [[0, 1, 2, 3, 4, 5, 6], [6, 0, 5, 1, 4, 2, 3]]) {
        for (const k of order) {
          const g = new Float64Array(d + 1);
          out.push(objs[k]!.valueAndGradient(x, g), ...g);
        }
      }
      return out;
    };
    expect(chunkCount(n)).toBeGreaterThan(3);
    const one = run(objectives(1));
    expect(await startWorkers(2)).toBe(2);
    const two = objectives(2);
    // The main thread takes every chunk a sleeping or descheduled worker does not claim in time
    // (on a loaded machine, whole passes): rounds until the worker has taken part, each checked.
    let tookPart = false;
    for (let round = 0; round < 30 && !tookPart; round++) {
      const before = poolStats().workerChunks;
      expect(run(two)).toEqual(one);
      tookPart = poolStats().workerChunks > before;
    }
    expect(tookPart).toBe(true);
  });

  it('refuse data beyond the 4 GiB a WebAssembly memory can address, saying so', () => {
    expect(() => new Arena(5 * 2 ** 30)).toThrow(/the data need 5\.00 GiB of kernel memory, more than the 4 GiB a WebAssembly memory can hold/);
    expect(() => new Arena(1000).alloc(2 ** 32)).toThrow(RangeError);
  });

  it('give memory back in stack order, zeroed when it is handed out again', () => {
    const a = new Arena(1000);
    const mark = a.mark();
    const p = a.float64(100);
    p.view.fill(3);
    a.release(mark);
    const q = a.float64(100);
    expect(q.ptr).toBe(p.ptr);
    expect(Array.from(q.view)).toEqual(new Array(100).fill(0));
    expect(() => a.release(a.mark() + 64)).toThrow(/is not below the allocation point/);
  });

  it('place a matrix without a copy when it already lives in one, and copy it otherwise', () => {
    const data = arenaFloat64(12);
    const own = placeMatrix(data);
    expect(own.arena).toBe(arenaOf(data));
    expect(own.ptr).toBe(data.byteOffset);
    const plain = Float64Array.from({ length: 12 }, (_, i) => i);
    const copied = placeMatrix(plain);
    expect(Array.from(copied.arena.f64(copied.ptr, 12))).toEqual(Array.from(plain));
  });

  it('an evaluation on a caller\'s data gives its memory back', () => {
    const n = 50;
    const d = 3;
    const data = arenaFloat64(n * d);
    const { X, y } = randomProblem(n, d, 2, 5);
    data.set(X);
    const arena = arenaOf(data)!;
    const before = arena.mark();
    const obj = new LinearModelObjective({ X: dense(data, n, d), loss: binomialLoss, layout: makeLayout(d, 1, true), y, weights: null, C: 1 });
    expect(arena.mark()).toBeGreaterThan(before);
    obj.rowLosses(new Float64Array(obj.dim));
    obj.release();
    expect(arena.mark()).toBe(before);
    linearProbabilities(dense(data, n, d), binomialLoss, { coef: new Float64Array(d), intercept: new Float64Array(1) });
    expect(arena.mark()).toBe(before);
  });

  it('an objective refuses to release or grow over memory someone else kept above it', () => {
    const n = 50;
    const d = 3;
    const data = arenaFloat64(n * d);
    const { X, y } = randomProblem(n, d, 2, 6);
    data.set(X);
    const arena = arenaOf(data)!;
    const obj = new LinearModelObjective({ X: dense(data, n, d), loss: binomialLoss, layout: makeLayout(d, 1, true), y, weights: null, C: 1 });
    const mark = arena.mark();
    arena.alloc(64);
    expect(() => obj.hessVec(new Float64Array(obj.dim))(new Float64Array(obj.dim), new Float64Array(obj.dim))).toThrow(/taken above a live objective/);
    expect(() => obj.release()).toThrow(/not given back/);
    arena.release(mark);
    obj.release();
  });
});

describe('the scan for values that are not finite', () => {
  it('finds the first NaN or infinity in kernel memory and in ordinary memory, in every position', () => {
    for (const n of [1, 2, 3, 4, 5, 8, 9, 31]) {
      for (let at = 0; at < n; at++) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const kernel = arenaFloat64(n).fill(1.5);
          const plain = new Float64Array(n).fill(1.5);
          kernel[at] = bad;
          plain[at] = bad;
          if (at + 1 < n) kernel[n - 1] = plain[n - 1] = NaN; // a later one does not hide the first
          expect(firstNonFinite(kernel)).toBe(at);
          expect(firstNonFinite(plain)).toBe(at);
        }
      }
      expect(firstNonFinite(arenaFloat64(n).fill(-1e308))).toBe(-1);
    }
  });
});

describe('objective input checks', () => {
  it('refuses a label that is not a class index of the loss', () => {
    const X = dense(new Float64Array(6), 3, 2);
    const mk = (y: number[], K: number) =>
      new LinearModelObjective({ X, loss: lossOf(K), layout: makeLayout(2, K, true), y: Int32Array.from(y), weights: null, C: 1 });
    expect(() => mk([0, 2, 1], 1)).toThrow('y[1] = 2 is not a class index below 2');
    expect(() => mk([0, 3, -1], 3)).toThrow('y[1] = 3 is not a class index below 3');
  });
});
