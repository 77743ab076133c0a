import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { detectSeparation, type SeparationInput, type SeparationResult } from '../../src/model/separation.js';
import { createRng } from '../../src/util/random.js';

/** A data set of separation.json (written by make_separation.R; see its README). */
interface Fixture {
  name: string;
  source: string;
  K: number;
  classes: string[];
  names: string[];
  X: number[][];
  y: number[];
  status: SeparationResult['status'];
  infinite: number[];
  rows_on_boundary: number;
  glm?: { std_error: number[] };
  multinom?: { std_error: number[] };
}

const fixturePath = fileURLToPath(new URL('../fixtures/separation/separation.json', import.meta.url));
const fixtures = (JSON.parse(readFileSync(fixturePath, 'utf8')) as { fixtures: Fixture[] }).fixtures;
const byName = (name: string): Fixture => {
  const f = fixtures.find((g) => g.name === name);
  if (f === undefined) throw new Error(`no fixture ${name}`);
  return f;
};

function inputOf(f: Fixture, weights: Float64Array | null = null): SeparationInput {
  return {
    X: Float64Array.from(f.X.flat()),
    n: f.y.length,
    p: f.names.length,
    y: Int32Array.from(f.y),
    K: f.K,
    weights,
    names: f.names,
    classes: f.classes,
  };
}

/** The parts of a result that must not change under the transformations tested here. */
function summary(r: SeparationResult) {
  return { status: r.status, infinite: Array.from(r.infinite), rowsOnBoundary: r.rowsOnBoundary };
}

/** Multiplies column j by factors[j]. */
function scaleColumns(inp: SeparationInput, factors: number[]): SeparationInput {
  const X = inp.X.slice();
  for (let i = 0; i < inp.n; i++) for (let j = 0; j < inp.p; j++) X[i * inp.p + j] *= factors[j];
  return { ...inp, X };
}

/** Rows in the order `perm` (new row r is old row perm[r]). */
function permuteRows(inp: SeparationInput, perm: number[]): SeparationInput {
  const X = new Float64Array(inp.X.length);
  const y = new Int32Array(inp.n);
  perm.forEach((old, r) => {
    X.set(inp.X.subarray(old * inp.p, (old + 1) * inp.p), r * inp.p);
    y[r] = inp.y[old];
  });
  return { ...inp, X, y };
}

/** Columns in the order `perm` (new column c is old column perm[c]). */
function permuteColumns(inp: SeparationInput, perm: number[]): SeparationInput {
  const X = new Float64Array(inp.X.length);
  for (let i = 0; i < inp.n; i++) perm.forEach((old, c) => (X[i * inp.p + c] = inp.X[i * inp.p + old]));
  return { ...inp, X, names: perm.map((old) => inp.names[old]) };
}

/** Appends columns built from each row. */
function addColumns(inp: SeparationInput, make: (row: Float64Array) => number[], names: string[]): SeparationInput {
  const p = inp.p + names.length;
  const X = new Float64Array(inp.n * p);
  for (let i = 0; i < inp.n; i++) {
    const row = inp.X.subarray(i * inp.p, (i + 1) * inp.p);
    X.set(row, i * p);
    X.set(make(row), i * p + inp.p);
  }
  return { ...inp, X, p, names: [...inp.names, ...names] };
}

function shuffled(n: number, seed: number): number[] {
  const rng = createRng(seed);
  const a = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

describe('fixtures: R references (lpSolve on Konis’ programs, make_separation.R)', () => {
  test.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, f) => {
    const r = detectSeparation(inputOf(f));
    expect(r.status).toBe(f.status);
    expect(Array.from(r.infinite)).toEqual(f.infinite);
    expect(r.rowsOnBoundary).toBe(f.rows_on_boundary);
    const expectedColumns = f.infinite.flatMap((s, t) => {
      if (s === 0) return [];
      return f.K === 2 ? [f.names[t]] : [`${f.classes[Math.floor(t / f.names.length) + 1]}: ${f.names[t % f.names.length]}`];
    });
    expect(r.separatingColumns).toEqual(expectedColumns);
  });

  test('coefficients called infinite have exploding standard errors in R’s own fits', () => {
    // glm / nnet::multinom stop at a finite point when the MLE does not exist; the standard errors
    // of the diverging coefficients are then huge (thousands), those of an existing MLE are not.
    for (const f of fixtures) {
      const se = f.glm?.std_error ?? f.multinom?.std_error;
      if (se === undefined) continue;
      const r = detectSeparation(inputOf(f));
      r.infinite.forEach((s, t) => {
        if (s !== 0) expect(se[t], `${f.name} parameter ${t}`).toBeGreaterThan(50);
      });
      if (r.status === 'none') for (const v of se) expect(v, f.name).toBeLessThan(50);
    }
  });
});

describe('invariance', () => {
  const factorSets = [
    [1e-6, 1e6, 1e-3, 1e3, 1],
    [1e6, 1e-6, 1e6, 1e-6, 1e6],
    [3.7e-5, 2.9e4, 1, 7.1e-2, 5.3e5],
  ];

  test.each(fixtures.map((f) => [f.name, f] as const))('%s: columns scaled by 1e-6 … 1e6', (_name, f) => {
    const inp = inputOf(f);
    const base = summary(detectSeparation(inp));
    for (const set of factorSets) {
      const factors = Array.from({ length: inp.p }, (_, j) => set[j % set.length]);
      expect(summary(detectSeparation(scaleColumns(inp, factors)))).toEqual(base);
    }
  });

  test.each(fixtures.map((f) => [f.name, f] as const))('%s: rows and columns permuted', (_name, f) => {
    const inp = inputOf(f);
    const base = detectSeparation(inp);
    for (const seed of [1, 2, 3]) {
      expect(summary(detectSeparation(permuteRows(inp, shuffled(inp.n, seed))))).toEqual(summary(base));
      const perm = shuffled(inp.p, seed + 10);
      const r = detectSeparation(permuteColumns(inp, perm));
      const expected = Array.from(base.infinite).map((_, t) => {
        const block = Math.floor(t / inp.p);
        return base.infinite[block * inp.p + perm[t % inp.p]];
      });
      expect(r.status).toBe(base.status);
      expect(Array.from(r.infinite)).toEqual(expected);
      expect(r.rowsOnBoundary).toBe(base.rowsOnBoundary);
    }
  });

  test('random separated data (binary and 3 classes, integer-valued columns with ties): order and units do not matter', () => {
    for (const [K, seed] of [[2, 1], [2, 2], [3, 3], [3, 4]] as const) {
      const rng = createRng(seed);
      const n = 300;
      const p = 6;
      const X = new Float64Array(n * p);
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        X[i * p] = 1;
        for (let j = 1; j < p; j++) X[i * p + j] = rng.int(7) - 3;
        // The class follows the sign of a linear score; where the score is 0 it is random, so the
        // separation is quasi-complete, with ties in every column.
        const score = X[i * p + 1] + 2 * X[i * p + 2] - X[i * p + 3];
        y[i] = score > 0 ? K - 1 : score < 0 ? 0 : rng.int(K);
      }
      const names = Array.from({ length: p }, (_, j) => `x${j}`);
      const inp: SeparationInput = { X, n, p, y, K, weights: null, names };
      const base = summary(detectSeparation(inp));
      expect(base.status).toBe('quasi-complete');
      expect(summary(detectSeparation(permuteRows(inp, shuffled(n, seed))))).toEqual(base);
      expect(summary(detectSeparation(scaleColumns(inp, [1e-6, 1e6, 1e-3, 1e3, 7.7, 1e-6])))).toEqual(base);
    }
  });

  test('extreme units, down to subnormal numbers, leave the answer unchanged', () => {
    for (const name of ['textbook_complete', 'textbook_quasi', 'endometrial', 'mtcars_am_hp_wt']) {
      const inp = inputOf(byName(name));
      const base = summary(detectSeparation(inp));
      const factors = Array.from({ length: inp.p }, (_, j) => [1e-300, 1e300, 2 ** -1060, 1][j % 4]);
      if (name.startsWith('textbook')) {
        // Small integers: exact even as subnormals (2^-1060 leaves 14 significant bits).
        expect(summary(detectSeparation(scaleColumns(inp, factors)))).toEqual(base);
      } else {
        expect(summary(detectSeparation(scaleColumns(inp, factors.map((f) => (f === 2 ** -1060 ? 1e-200 : f)))))).toEqual(base);
      }
    }
  });

  test('mtcars (from mtcars.csv) in raw units, standardized, or rescaled: an MLE exists', () => {
    // The case the fitted-probability heuristic refused: hp is in the hundreds, wt near 3.
    const csv = readFileSync(fileURLToPath(new URL('../fixtures/separation/mtcars.csv', import.meta.url)), 'utf8');
    const [header, ...lines] = csv.trim().split('\n');
    const cols = header.split(',').map((h) => h.replace(/"/g, ''));
    const rows = lines.map((l) => l.split(','));
    const col = (name: string) => rows.map((r) => Number(r[cols.indexOf(name)]));
    const [hp, wt, am] = [col('hp'), col('wt'), col('am')];
    const inp: SeparationInput = {
      X: Float64Array.from(hp.flatMap((h, i) => [1, h, wt[i]])),
      n: hp.length,
      p: 3,
      y: Int32Array.from(am),
      K: 2,
      weights: null,
      names: ['(Intercept)', 'hp', 'wt'],
    };
    expect(Array.from(inp.X)).toEqual(byName('mtcars_am_hp_wt').X.flat());
    expect(detectSeparation(inp).status).toBe('none');
    const mean = [hp, wt].map((v) => v.reduce((s, x) => s + x, 0) / v.length);
    const X = inp.X.map((v, t) => (t % 3 === 0 ? v : (v - mean[(t % 3) - 1]) * 17.3));
    expect(detectSeparation({ ...inp, X }).status).toBe('none');
  });

  test('one-predictor data: status agrees with the ranges of the two classes (fast-check)', () => {
    // With an intercept and one x, the classes are separated iff their x ranges do not overlap:
    // completely if max x (one class) < min x (the other), quasi-completely if they touch at a
    // value c and some point lies elsewhere.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -6, max: 6 }), fc.integer({ min: 0, max: 1 })), { minLength: 2, maxLength: 25 }),
        fc.constantFrom(1e-5, 1, 1e5),
        (pts, unit) => {
          const xs = [0, 1].map((c) => pts.filter(([, y]) => y === c).map(([x]) => x));
          fc.pre(xs[0].length > 0 && xs[1].length > 0);
          const X = Float64Array.from(pts.flatMap(([x]) => [1, x * unit]));
          const y = Int32Array.from(pts.map(([, c]) => c));
          const r = detectSeparation({ X, n: pts.length, p: 2, y, K: 2, weights: null, names: ['1', 'x'] });
          const [max0, min0, max1, min1] = [Math.max(...xs[0]), Math.min(...xs[0]), Math.max(...xs[1]), Math.min(...xs[1])];
          const gap = Math.max(min1 - max0, min0 - max1); // > 0: apart, 0: touching, < 0: overlap
          // Touching separates only if some point lies off the touching value.
          const allAtOneValue = new Set(pts.map(([x]) => x)).size === 1;
          const expected = gap > 0 ? 'complete' : gap === 0 && !allAtOneValue ? 'quasi-complete' : 'none';
          expect(r.status).toBe(expected);
          if (expected !== 'none') {
            // The slope diverges towards the side of class 1.
            expect(r.infinite[1]).toBe(min1 - max0 >= 0 ? 1 : -1);
          }
          if (expected === 'quasi-complete') {
            // The rows at the touching value c stay on the boundary; the direction is (−c, 1)·sign:
            // the intercept is infinite exactly when c ≠ 0, with the sign of −c·slope.
            const c = min1 - max0 === 0 ? min1 : max1;
            expect(r.rowsOnBoundary).toBe(pts.filter(([x]) => x === c).length);
            expect(r.infinite[0]).toBe(c === 0 ? 0 : -Math.sign(c) * r.infinite[1]);
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('collinear columns', () => {
  test('a duplicated or proportional column is not separation', () => {
    const inp = inputOf(byName('mtcars_am_hp_wt'));
    expect(detectSeparation(addColumns(inp, (r) => [r[1]], ['hp2'])).status).toBe('none');
    expect(detectSeparation(addColumns(inp, (r) => [-3 * r[2], r[1] + r[2]], ['wt3', 'hpwt'])).status).toBe('none');
    expect(detectSeparation(addColumns(inp, () => [0], ['zero'])).status).toBe('none');
  });

  test('with separation, a duplicated finite column stays finite and a duplicated infinite one is infinite twice', () => {
    const inp = inputOf(byName('endometrial')); // (Intercept), NV, PI, EH; NV infinite
    const r = detectSeparation(addColumns(inp, (row) => [row[2], row[1]], ['PI2', 'NV2']));
    expect(r.status).toBe('quasi-complete');
    expect(Array.from(r.infinite)).toEqual([0, 1, 0, 0, 0, 1]);
    expect(r.separatingColumns).toEqual(['NV', 'NV2']);
    expect(r.rowsOnBoundary).toBe(66);
  });
});

describe('weights', () => {
  const f = byName('endometrial');
  const base = inputOf(f);
  // Two rows with NV = 1 and HG = 0 would break the separation on NV.
  const extra = { ...base, X: Float64Array.from([...f.X, [1, 1, 20, 2.0], [1, 1, 5, 1.0]].flat()), n: f.y.length + 2, y: Int32Array.from([...f.y, 0, 0]) };
  const ones = (k: number) => new Float64Array(k).fill(1);

  test('rows of weight 0 are ignored', () => {
    const w = Float64Array.from([...ones(f.y.length), 0, 0]);
    expect(summary(detectSeparation({ ...extra, weights: w }))).toEqual(summary(detectSeparation(base)));
  });

  test('the same rows with positive weight remove the separation', () => {
    const w = Float64Array.from([...ones(f.y.length), 0.5, 2]);
    expect(detectSeparation({ ...extra, weights: w }).status).toBe('none');
  });

  test('positive weights do not change the answer', () => {
    const rng = createRng(5);
    const w = Float64Array.from({ length: f.y.length }, () => 0.1 + 3 * rng.next());
    expect(summary(detectSeparation({ ...base, weights: w }))).toEqual(summary(detectSeparation(base)));
  });

  test('no row of positive weight: nothing to separate', () => {
    const r = detectSeparation({ ...base, weights: new Float64Array(f.y.length) });
    expect(summary(r)).toEqual({ status: 'none', infinite: [0, 0, 0, 0], rowsOnBoundary: 0 });
  });
});

describe('degenerate designs', () => {
  test('one class only: the intercept tends to ±∞', () => {
    const X = Float64Array.from([1, 1, 1]);
    const names = ['(Intercept)'];
    const ones = detectSeparation({ X, n: 3, p: 1, y: Int32Array.from([1, 1, 1]), K: 2, weights: null, names });
    expect(summary(ones)).toEqual({ status: 'complete', infinite: [1], rowsOnBoundary: 0 });
    const zeros = detectSeparation({ X, n: 3, p: 1, y: Int32Array.from([0, 0, 0]), K: 2, weights: null, names });
    expect(summary(zeros)).toEqual({ status: 'complete', infinite: [-1], rowsOnBoundary: 0 });
  });

  test('softmax with an empty class: its intercept tends to −∞, the other classes stay finite', () => {
    const f = byName('three_class_overlap'); // classes 0, 1, 2 overlap; fold class 2 into 1
    const inp = inputOf(f);
    const y = Int32Array.from(f.y.map((c) => (c === 2 ? 1 : c)));
    const r = detectSeparation({ ...inp, y });
    expect(r.status).toBe('quasi-complete');
    expect(Array.from(r.infinite.subarray(0, 3))).toEqual([0, 0, 0]); // class 1 against 0
    expect(r.infinite[3]).toBe(-1); // class 2's intercept
    expect(r.rowsOnBoundary).toBe(f.y.length);
    expect(r.separatingColumns[0]).toBe('2: (Intercept)');
  });
});

describe('no fitting involved', () => {
  test('the detector imports nothing but the LP solver', () => {
    const src = readFileSync(fileURLToPath(new URL('../../src/model/separation.ts', import.meta.url)), 'utf8');
    const imports = [...src.matchAll(/^import .* from '(.*)';$/gm)].map((m) => m[1]);
    expect(imports).toEqual(['../optim/simplex.js']);
  });
});

describe('input errors', () => {
  const inp = inputOf(byName('textbook_complete'));
  test.each([
    ['X not a Float64Array', { X: [1, 2] as unknown as Float64Array }, TypeError, /X must be a Float64Array/],
    ['y not an Int32Array', { y: new Float64Array(8) as unknown as Int32Array }, TypeError, /y must be an Int32Array/],
    ['X of the wrong length', { X: new Float64Array(5) }, RangeError, /X has length 5/],
    ['y of the wrong length', { y: new Int32Array(3) }, RangeError, /y has length 3/],
    ['a class out of range', { y: Int32Array.from([0, 0, 0, 0, 1, 1, 1, 2]) }, RangeError, /y\[7\] is 2/],
    ['K below 2', { K: 1 }, RangeError, /K is 1/],
    ['a negative weight', { weights: Float64Array.from([1, 1, 1, -1, 1, 1, 1, 1]) }, RangeError, /weights\[3\] is -1/],
    ['weights of the wrong length', { weights: new Float64Array(2) }, RangeError, /weights has length 2/],
    ['a NaN in X', { X: Float64Array.from(inp.X).fill(NaN, 4, 5) }, RangeError, /X\[1, 1\] is NaN/],
    ['names of the wrong length', { names: ['a'] }, RangeError, /names has 1 entries/],
  ] as const)('%s', (_what, patch, kind, message) => {
    const bad = { ...inp, ...patch } as SeparationInput;
    expect(() => detectSeparation(bad)).toThrow(kind);
    expect(() => detectSeparation(bad)).toThrow(message);
  });
});
