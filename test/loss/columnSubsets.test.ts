import { describe, expect, it } from 'vitest';
import { type ModelMatrix, allocModelMatrix } from '../../src/backend/modelMatrix.js';
import { binomialLoss } from '../../src/loss/binomial.js';
import { ColumnSubsets } from '../../src/loss/columnSubsets.js';
import { makeLayout } from '../../src/loss/layout.js';
import { multinomialLoss } from '../../src/loss/multinomial.js';
import { LinearModelObjective } from '../../src/loss/objective.js';
import { createRng } from '../../src/util/random.js';

// Partial passes (LinearModelObjective.partialValueAndGradient) read a copy of a few dense columns.
// For an x that is 0 on the other columns they must give f and the gradient on the copied
// coordinates as a full pass does (to rounding: the sums are grouped differently), NaN elsewhere,
// and a full pass whenever they cannot be trusted or do not pay.

const D = 12;

/** 12 dense columns, a 4-level block and a 3-level block with values. */
function randomMatrix(n: number, seed: number): ModelMatrix {
  const rng = createRng(seed);
  const M = allocModelMatrix(n, D, [{ width: 4, hasValues: false }, { width: 3, hasValues: true }]);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < D; j++) M.dense[i * D + j] = rng.next() * 2 - 1;
    M.blocks[0]!.codes[i] = rng.next() < 0.1 ? -1 : rng.int(4);
    M.blocks[1]!.codes[i] = rng.int(3);
    M.blocks[1]!.values![i] = rng.next() * 3;
  }
  return M;
}

function setup(K: number, threads = 1, n = 3000) {
  const M = randomMatrix(n, 5 + K);
  const rng = createRng(17 + K);
  const y = Int32Array.from({ length: n }, () => rng.int(K === 1 ? 2 : K));
  const weights = Float64Array.from({ length: n }, () => 0.5 + rng.next());
  const layout = makeLayout(M.cols, K, true);
  const subsets = new ColumnSubsets();
  const make = () => new LinearModelObjective({
    X: M, loss: K === 1 ? binomialLoss : multinomialLoss(K), layout, y, weights, C: 0.8, l1Ratio: 0.5, threads, subsets,
  });
  const p = M.cols;
  /** Every class's coordinates of the dense columns `cols`, the blocks' columns, and the intercepts. */
  const coordsOf = (cols: number[]) => {
    const out: number[] = [];
    for (let k = 0; k < K; k++) {
      for (const j of cols) out.push(k * p + j);
      for (let j = D; j < p; j++) out.push(k * p + j);
    }
    for (let k = 0; k < K; k++) out.push(K * p + k);
    return Int32Array.from(out);
  };
  /** A point that is 0 off `coords`. */
  const pointOn = (coords: Int32Array) => {
    const x = new Float64Array(layout.dim);
    for (const c of coords) x[c] = rng.next() - 0.5;
    return x;
  };
  return { M, layout, subsets, make, coordsOf, pointOn };
}

describe.each([1, 3])('partial passes over a copy of some columns (K = %i)', (K) => {
  it('give f and the gradient on the copied coordinates as a full pass does, and NaN on the others', () => {
    const { layout, make, coordsOf, pointOn } = setup(K);
    const obj = make();
    const coords = coordsOf([1, 4, 5, 9]);
    const x = pointOn(coords);
    const full = new Float64Array(layout.dim);
    const f = obj.valueAndGradient(x, full);
    const part = new Float64Array(layout.dim);
    const r = obj.partialValueAndGradient(x, part, coords);
    expect(r.complete).toBe(false);
    expect(Math.abs(r.value - f)).toBeLessThan(1e-14 * Math.abs(f));
    const inSet = new Set(coords);
    for (let c = 0; c < layout.dim; c++) {
      if (inSet.has(c)) expect(Math.abs(part[c]! - full[c]!)).toBeLessThan(1e-14);
      else expect(part[c]).toBeNaN();
    }
    obj.release();
  });

  it('make full passes when x is not 0 off the columns, or the columns are most of them', () => {
    const { layout, make, coordsOf, pointOn, subsets } = setup(K);
    const obj = make();
    const coords = coordsOf([2, 3]);
    const x = pointOn(coords);
    x[7] = 0.25; // column 7 (class 0) is not among coords
    const full = new Float64Array(layout.dim);
    const f = obj.valueAndGradient(x, full);
    const part = new Float64Array(layout.dim);
    const r = obj.partialValueAndGradient(x, part, coords);
    expect(r).toEqual({ value: f, complete: true });
    expect(Array.from(part)).toEqual(Array.from(full));
    const most = coordsOf([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const r2 = obj.partialValueAndGradient(pointOn(most), part, most);
    expect(r2.complete).toBe(true);
    expect(subsets.built).toBe(0);
    obj.release();
  });

  it('reuse a copy that holds the columns asked for, across the objectives of a path, and make a new one otherwise', () => {
    const { layout, make, coordsOf, pointOn, subsets } = setup(K);
    const g = new Float64Array(layout.dim);
    const first = make();
    first.partialValueAndGradient(pointOn(coordsOf([0, 3, 6])), g, coordsOf([0, 3, 6]));
    first.partialValueAndGradient(pointOn(coordsOf([3, 6])), g, coordsOf([3, 6]));
    expect(subsets.built).toBe(1);
    first.release();
    // The next step of a path: a new objective over the same matrix and copies.
    const second = make();
    const coords = coordsOf([0, 3, 6]);
    const x = pointOn(coords);
    const r = second.partialValueAndGradient(x, g, coords);
    expect(subsets.built).toBe(1);
    const full = new Float64Array(layout.dim);
    expect(Math.abs(r.value - second.valueAndGradient(x, full))).toBeLessThan(1e-14 * Math.abs(r.value));
    second.partialValueAndGradient(pointOn(coordsOf([0, 3, 6, 8])), g, coordsOf([0, 3, 6, 8]));
    expect(subsets.built).toBe(2);
    second.release();
  });

  it('give the same bits on 1 and 2 threads', () => {
    const results = [1, 2].map((threads) => {
      const { layout, make, coordsOf } = setup(K, threads, 20_000);
      const coords = coordsOf([2, 5, 11]);
      const x = new Float64Array(layout.dim);
      coords.forEach((c, t) => { x[c] = Math.sin(t + 1) / 2; });
      const obj = make();
      const g = new Float64Array(layout.dim);
      const r = obj.partialValueAndGradient(x, g, coords);
      obj.release();
      return { value: r.value, g: Array.from(g) };
    });
    expect(results[1]).toEqual(results[0]);
  });
});
