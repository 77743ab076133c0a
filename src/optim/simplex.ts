/**
 * A bounded-variable primal simplex method (revised, with a dense basis inverse) for linear programs
 * in the standard form
 *
 *     minimize  cᵀx   subject to   A x = b,   l ≤ x ≤ u,
 *
 * with A an m×N matrix given column by column (`LPColumns`), every lower bound l_j finite, every
 * upper bound u_j finite or +∞ (l_j = u_j fixes x_j). The method is written for m ≪ N: the basis is
 * m×m (m ≈ the number of parameters of a model, N ≈ the number of data rows), its inverse B⁻¹ is kept
 * dense and updated by one Gauss–Jordan pivot per iteration (O(m²)), and the only O(N) work of an
 * iteration is pricing, products yᵀA_j done by the caller's `dotRange`, so a caller can use the
 * structure of its columns (shared storage, sparsity).
 *
 * Method (Dantzig 1963; bounded variables as in Chvátal 1983, ch. 8):
 * - Every nonbasic variable sits at one of its bounds. Phase 1 starts from the caller's basis when it
 *   is given and primal feasible, otherwise from m artificial columns ±e_i carrying the residual
 *   b − A x_N, and minimizes their sum; a positive minimum means the program is infeasible. Phase 2
 *   then minimizes cᵀx with the artificials fixed at 0.
 * - Pricing: reduced costs d = c − Aᵀy with y = B⁻ᵀc_B. A variable at its lower bound may enter if
 *   d_j < −tolOpt, at its upper bound if d_j > tolOpt. The entering variable maximizes |d_j|/‖A_j‖₂
 *   (Dantzig's rule measured per unit length of the column, so that a column's scale does not decide)
 *   within the first of 8 segments of the columns (at least 1000 each), taken in turn, that holds an
 *   eligible column (partial pricing: when N ≫ m most iterations then price N/8 columns, not N);
 *   optimality is only declared after a pass over all of them.
 * - Ratio test: Harris's two passes (Harris 1973): the largest step that keeps every basic variable
 *   within its bounds widened by tolFeas, then, among the rows that block within that step, the
 *   one with the largest |pivot|. A variable whose own bound is reached first flips bounds instead
 *   of pivoting.
 * - Anti-cycling: after `DEGENERATE_LIMIT` consecutive degenerate iterations (step ≈ 0) the method
 *   switches to Bland's rule (the eligible variable of smallest index enters; among tied blocking
 *   rows, the basic variable of smallest index leaves), which cannot cycle in exact arithmetic
 *   (Bland 1977), and back to Dantzig's rule after the first step that moves.
 * - Numerical care: B⁻¹ is recomputed from the basis columns by Gauss–Jordan elimination with
 *   partial pivoting every `refactorEvery` iterations and before an optimum is reported, and the basic
 *   values are then recomputed from b − A_N x_N, so update errors do not accumulate. A basis found
 *   singular on refactorization has its dependent columns replaced by artificials.
 *
 * The tolerances are absolute: the caller is expected to scale A, b and c to magnitudes near 1.
 */

/** The columns A_j of an m×N constraint matrix, supplied by the caller. */
export interface LPColumns {
  /** m, the number of equality constraints. */
  readonly rows: number;
  /** N, the number of columns (variables). */
  readonly count: number;
  /** Writes column A_j (length m) into `out`. */
  column(j: number, out: Float64Array): void;
  /** Writes out[j] = yᵀA_j for the columns from ≤ j < to (y has length m, out length N). */
  dotRange(y: Float64Array, out: Float64Array, from: number, to: number): void;
  /** Optionally, the Euclidean lengths ‖A_j‖₂ (length N), when the caller has them cheaply. */
  norms?(): Float64Array;
}

/** minimize cᵀx subject to A x = b, lower ≤ x ≤ upper (see the module comment). */
export interface LPProblem {
  columns: LPColumns;
  /** Costs, length N. */
  c: Float64Array;
  /** Lower bounds, length N, finite. */
  lower: Float64Array;
  /** Upper bounds, length N, ≥ lower; +∞ allowed. */
  upper: Float64Array;
  /** Right-hand side, length m. */
  b: Float64Array;
}

export interface SimplexOptions {
  /** Iteration limit over both phases (default 50·(m + 1) + 2·N + 1000). */
  maxIterations?: number;
  /** Recompute B⁻¹ from scratch after this many basis changes (default 64). */
  refactorEvery?: number;
  /**
   * A starting basis: m distinct column indices. Used when it is nonsingular and, with every
   * nonbasic variable at its lower bound, primal feasible within tolFeas; otherwise phase 1 starts
   * from artificials.
   */
  initialBasis?: Int32Array;
  /** Primal feasibility tolerance (default 1e-9). */
  tolFeas?: number;
  /** Optimality tolerance on reduced costs (default 1e-9). */
  tolOpt?: number;
}

export type LPStatus = 'optimal' | 'infeasible' | 'unbounded' | 'iteration-limit';

export interface LPResult {
  status: LPStatus;
  /** The final point (a basic solution), length N. */
  x: Float64Array;
  /** cᵀx. */
  objective: number;
  /**
   * Simplex multipliers y = B⁻ᵀc_B, length m: at an optimum, an optimal solution of the dual
   * program  maximize bᵀy − … (bound terms)  with reduced costs c − Aᵀy of the right signs.
   */
  duals: Float64Array;
  /** The final basis: column indices, or −1 − i for the artificial column of row i. */
  basis: Int32Array;
  /**
   * B⁻¹ of the final basis, m×m row-major, freshly recomputed when the status is 'optimal'. Row k
   * is orthogonal to every basis column but the k-th (with which its product is 1).
   */
  basisInverse: Float64Array;
  /**
   * The smallest distance of a basic structural variable from its bounds at the end. When it is
   * clearly positive the optimal basic solution is nondegenerate, and the multipliers `duals` are
   * then the unique dual optimum.
   */
  minBasicSlack: number;
  /** Simplex iterations over both phases (bound flips included). */
  iterations: number;
}

/** Consecutive degenerate iterations before switching to Bland's rule. */
const DEGENERATE_LIMIT = 30;
/** Partial pricing: the columns are priced in PRICING_SEGMENTS segments of at least PRICING_SEGMENT_MIN. */
const PRICING_SEGMENTS = 8;
const PRICING_SEGMENT_MIN = 1000;
/** Smallest |pivot| accepted in the ratio test. */
const TOL_PIVOT = 1e-11;
/** Smallest |pivot| accepted in a refactorization, relative to the largest basis entry. */
const TOL_SINGULAR = 1e-13;

/**
 * Solves `problem` (see the module comment). Throws a RangeError when the sizes do not agree or a
 * bound is not as required; an infeasible, unbounded or unfinished program is reported in `status`.
 */
export function simplex(problem: LPProblem, options: SimplexOptions = {}): LPResult {
  const { columns, c, lower, upper, b } = problem;
  const m = columns.rows;
  const N = columns.count;
  checkProblem(problem, m, N);
  const tolFeas = options.tolFeas ?? 1e-9;
  const tolOpt = options.tolOpt ?? 1e-9;
  const refactorEvery = options.refactorEvery ?? 64;
  const maxIterations = options.maxIterations ?? 50 * (m + 1) + 2 * N + 1000;

  // Variables 0..N−1 are structural, N..N+m−1 the artificials (column artSign[i]·e_i).
  const V = N + m;
  const lo = new Float64Array(V);
  const hi = new Float64Array(V);
  lo.set(lower);
  hi.set(upper);
  for (let i = 0; i < m; i++) hi[N + i] = Infinity;
  const artSign = new Float64Array(m).fill(1);
  const x = new Float64Array(V);
  const state = new Int8Array(V); // 0 basic, 1 at lower bound, 2 at upper bound
  for (let j = 0; j < V; j++) {
    x[j] = lo[j];
    state[j] = 1;
  }
  const basis = new Int32Array(m);
  const Binv = new Float64Array(m * m);
  const col = new Float64Array(m);
  const alpha = new Float64Array(m);
  const y = new Float64Array(m);
  const yA = new Float64Array(N);
  const cost = new Float64Array(V);

  // Column lengths for the pricing rule (0 taken as 1).
  const colNorm = new Float64Array(V).fill(1);
  if (columns.norms !== undefined) {
    const given = columns.norms();
    for (let j = 0; j < N; j++) if (given[j] > 0) colNorm[j] = given[j];
  } else {
    for (let j = 0; j < N; j++) {
      columns.column(j, col);
      let s = 0;
      for (let i = 0; i < m; i++) s += col[i] * col[i];
      if (s > 0) colNorm[j] = Math.sqrt(s);
    }
  }

  const getColumn = (v: number, out: Float64Array): void => {
    if (v < N) {
      columns.column(v, out);
    } else {
      out.fill(0);
      out[v - N] = artSign[v - N];
    }
  };

  /** r = b − Σ_{nonbasic j} A_j x_j. */
  const residual = (r: Float64Array): void => {
    r.set(b);
    for (let j = 0; j < V; j++) {
      if (state[j] === 0 || x[j] === 0) continue;
      getColumn(j, col);
      const xj = x[j];
      for (let i = 0; i < m; i++) r[i] -= col[i] * xj;
    }
  };

  /**
   * B⁻¹ by Gauss–Jordan elimination with partial pivoting on [B | I]. Returns the basis positions
   * whose columns turned out dependent on the others (left unpivoted).
   */
  const M = new Float64Array(m * m); // B, row-major, reduced in place
  const P = new Float64Array(m * m);
  const rowUsed = new Uint8Array(m);
  const pivotRow = new Int32Array(m);
  const invert = (): number[] => {
    for (let k = 0; k < m; k++) {
      getColumn(basis[k], col);
      for (let i = 0; i < m; i++) M[i * m + k] = col[i];
    }
    let scale = 0;
    for (let t = 0; t < m * m; t++) scale = Math.max(scale, Math.abs(M[t]));
    const tiny = TOL_SINGULAR * (scale > 0 ? scale : 1);
    Binv.fill(0);
    for (let i = 0; i < m; i++) Binv[i * m + i] = 1;
    // pivotRow[k] = the row pivoted for basis position k; rowUsed marks the rows pivoted so far.
    const dependent: number[] = [];
    rowUsed.fill(0);
    pivotRow.fill(-1);
    for (let k = 0; k < m; k++) {
      let best = -1;
      let bestAbs = tiny;
      for (let i = 0; i < m; i++) {
        if (rowUsed[i]) continue;
        const a = Math.abs(M[i * m + k]);
        if (a > bestAbs) {
          bestAbs = a;
          best = i;
        }
      }
      if (best < 0) {
        dependent.push(k);
        continue;
      }
      rowUsed[best] = 1;
      pivotRow[k] = best;
      // Columns before k are already reduced to unit vectors of other rows: only t ≥ k change in M.
      const piv = M[best * m + k];
      for (let t = k; t < m; t++) M[best * m + t] /= piv;
      for (let t = 0; t < m; t++) Binv[best * m + t] /= piv;
      for (let i = 0; i < m; i++) {
        if (i === best) continue;
        const f = M[i * m + k];
        if (f === 0) continue;
        for (let t = k; t < m; t++) M[i * m + t] -= f * M[best * m + t];
        for (let t = 0; t < m; t++) Binv[i * m + t] -= f * Binv[best * m + t];
      }
    }
    if (dependent.length > 0) return dependent;
    // Row `pivotRow[k]` of the reduced system holds row k of B⁻¹: permute.
    for (let k = 0; k < m; k++) {
      P.set(Binv.subarray(pivotRow[k] * m, pivotRow[k] * m + m), k * m);
    }
    Binv.set(P);
    return dependent;
  };

  /**
   * Refactorizes B⁻¹ and recomputes x_B. A basis found singular is repaired: each dependent column
   * leaves (to its nearer bound) and the artificial of a row the elimination left unpivoted enters;
   * the independent columns with those unit columns span ℝᵐ.
   */
  const refactor = (): void => {
    for (let attempt = 0; attempt <= m; attempt++) {
      const dependent = invert();
      if (dependent.length === 0) break;
      let row = 0;
      for (const k of dependent) {
        while (row < m && (rowUsed[row] || state[N + row] === 0)) row++;
        if (row >= m) break;
        const out = basis[k];
        state[out] = x[out] - lo[out] <= hi[out] - x[out] ? 1 : 2;
        x[out] = state[out] === 1 ? lo[out] : hi[out];
        basis[k] = N + row;
        state[N + row] = 0;
        row++;
      }
    }
    const r = new Float64Array(m);
    residual(r);
    for (let k = 0; k < m; k++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += Binv[k * m + i] * r[i];
      x[basis[k]] = s;
    }
  };

  // ---- starting basis ----
  let started = false;
  if (options.initialBasis !== undefined) {
    const ib = options.initialBasis;
    if (ib.length !== m) {
      throw new RangeError(`simplex: options.initialBasis has length ${ib.length}; it must have one entry per row (${m}).`);
    }
    const seen = new Uint8Array(N);
    let valid = true;
    for (let k = 0; k < m; k++) {
      const j = ib[k];
      if (!Number.isInteger(j) || j < 0 || j >= N || seen[j]) {
        valid = false;
        break;
      }
      seen[j] = 1;
    }
    if (valid) {
      for (let k = 0; k < m; k++) {
        basis[k] = ib[k];
        state[ib[k]] = 0;
      }
      const dependent = invert();
      if (dependent.length === 0) {
        const r = new Float64Array(m);
        residual(r);
        let feasible = true;
        for (let k = 0; k < m; k++) {
          let s = 0;
          for (let i = 0; i < m; i++) s += Binv[k * m + i] * r[i];
          const v = basis[k];
          x[v] = s;
          if (s < lo[v] - tolFeas || s > hi[v] + tolFeas) feasible = false;
        }
        started = feasible;
      }
      if (!started) {
        for (let k = 0; k < m; k++) {
          state[ib[k]] = 1;
          x[ib[k]] = lo[ib[k]];
        }
      }
    }
  }
  if (!started) {
    const r = new Float64Array(m);
    residual(r);
    Binv.fill(0);
    for (let i = 0; i < m; i++) {
      artSign[i] = r[i] >= 0 ? 1 : -1;
      basis[i] = N + i;
      state[N + i] = 0;
      x[N + i] = Math.abs(r[i]);
      Binv[i * m + i] = artSign[i];
    }
  }

  let iterations = 0;
  let sinceRefactor = 0;
  const segment = Math.max(PRICING_SEGMENT_MIN, Math.ceil(N / PRICING_SEGMENTS));
  let pricePtr = 0;

  /** With reduced cost dj = cost_j − yᵀA_j, the direction x_j may move in to improve (0: none). */
  const eligible = (j: number, dj: number): number => {
    const st = state[j];
    if (st === 0 || lo[j] === hi[j]) return 0;
    if (st === 1 && dj < -tolOpt) return 1;
    if (st === 2 && dj > tolOpt) return -1;
    return 0;
  };

  /** Runs the simplex iterations for the cost vector `cost`; returns how they ended. */
  const run = (): LPStatus => {
    let degenerateRun = 0;
    for (;;) {
      if (iterations >= maxIterations) return 'iteration-limit';
      if (sinceRefactor >= refactorEvery) {
        refactor();
        sinceRefactor = 0;
      }
      // y = B⁻ᵀ c_B.
      y.fill(0);
      for (let k = 0; k < m; k++) {
        const ck = cost[basis[k]];
        if (ck === 0) continue;
        const row = k * m;
        for (let i = 0; i < m; i++) y[i] += ck * Binv[row + i];
      }
      const bland = degenerateRun >= DEGENERATE_LIMIT;
      let q = -1;
      let dir = 0;
      let bestScore = 0;
      if (bland) {
        columns.dotRange(y, yA, 0, N);
        for (let j = 0; j < V && q < 0; j++) {
          const d = eligible(j, cost[j] - (j < N ? yA[j] : artSign[j - N] * y[j - N]));
          if (d !== 0) {
            q = j;
            dir = d;
          }
        }
      } else {
        // Partial pricing: segments of the columns in turn, from where the last search stopped,
        // until one holds an eligible column; all of them before optimality is declared.
        for (let i = 0; i < m; i++) {
          const j = N + i;
          const dj = cost[j] - artSign[i] * y[i];
          const d = eligible(j, dj);
          if (d !== 0 && Math.abs(dj) > bestScore) {
            bestScore = Math.abs(dj);
            q = j;
            dir = d;
          }
        }
        let scanned = 0;
        while (scanned < N && q < 0) {
          const from = pricePtr;
          const to = Math.min(N, from + segment);
          columns.dotRange(y, yA, from, to);
          for (let j = from; j < to; j++) {
            const dj = cost[j] - yA[j];
            const d = eligible(j, dj);
            if (d === 0) continue;
            const score = Math.abs(dj) / colNorm[j];
            if (score > bestScore) {
              bestScore = score;
              q = j;
              dir = d;
            }
          }
          scanned += to - from;
          pricePtr = to >= N ? 0 : to;
        }
      }
      if (q < 0) return 'optimal';

      // alpha = B⁻¹ A_q; x_B moves by −dir·t·alpha as x_q moves by dir·t.
      getColumn(q, col);
      for (let k = 0; k < m; k++) {
        let s = 0;
        const row = k * m;
        for (let i = 0; i < m; i++) s += Binv[row + i] * col[i];
        alpha[k] = s;
      }
      const range = hi[q] - lo[q];
      // Pass 1 (Harris): the largest step within the bounds widened by tolFeas.
      let tMax = Infinity;
      for (let k = 0; k < m; k++) {
        const rate = dir * alpha[k]; // x_B[k] decreases at this rate
        const v = basis[k];
        if (rate > TOL_PIVOT) {
          tMax = Math.min(tMax, (x[v] - lo[v] + tolFeas) / rate);
        } else if (rate < -TOL_PIVOT && hi[v] !== Infinity) {
          tMax = Math.min(tMax, (hi[v] - x[v] + tolFeas) / -rate);
        }
      }
      if (tMax === Infinity && range === Infinity) return 'unbounded';
      // Pass 2: among the rows blocking within tMax, the largest |pivot| (Bland: the smallest
      // ratio, then the smallest variable index).
      let r = -1;
      let tStep = Infinity;
      let bestPivot = 0;
      for (let k = 0; k < m; k++) {
        const rate = dir * alpha[k];
        const v = basis[k];
        let t: number;
        if (rate > TOL_PIVOT) t = (x[v] - lo[v]) / rate;
        else if (rate < -TOL_PIVOT && hi[v] !== Infinity) t = (hi[v] - x[v]) / -rate;
        else continue;
        if (t > tMax) continue;
        if (bland) {
          if (r < 0 || t < tStep - 1e-15 || (Math.abs(t - tStep) <= 1e-15 && v < basis[r])) {
            r = k;
            tStep = t;
          }
        } else if (Math.abs(rate) > bestPivot) {
          bestPivot = Math.abs(rate);
          r = k;
          tStep = t;
        }
      }
      iterations++;
      const flip = range <= tMax && (r < 0 || range <= tStep);
      const t = flip ? range : Math.max(0, tStep);
      if (t !== 0) {
        for (let k = 0; k < m; k++) x[basis[k]] -= dir * t * alpha[k];
      }
      if (t * Math.max(1, Math.abs(cost[q])) <= tolFeas) degenerateRun++;
      else degenerateRun = 0;
      if (flip) {
        state[q] = dir > 0 ? 2 : 1;
        x[q] = dir > 0 ? hi[q] : lo[q];
        continue;
      }
      // Pivot: x_q enters at position r, the leaving variable goes to the bound it reached.
      const out = basis[r];
      const rate = dir * alpha[r];
      state[out] = rate > 0 ? 1 : 2;
      x[out] = rate > 0 ? lo[out] : hi[out];
      x[q] = x[q] + dir * t;
      basis[r] = q;
      state[q] = 0;
      const piv = alpha[r];
      const pr = r * m;
      for (let i = 0; i < m; i++) Binv[pr + i] /= piv;
      for (let k = 0; k < m; k++) {
        if (k === r) continue;
        const f = alpha[k];
        if (f === 0) continue;
        const row = k * m;
        for (let i = 0; i < m; i++) Binv[row + i] -= f * Binv[pr + i];
      }
      sinceRefactor++;
    }
  };

  const finish = (status: LPStatus): LPResult => {
    const duals = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      const ck = cost[basis[k]];
      if (ck === 0) continue;
      for (let i = 0; i < m; i++) duals[i] += ck * Binv[k * m + i];
    }
    const xs = x.slice(0, N);
    let objective = 0;
    for (let j = 0; j < N; j++) objective += c[j] * xs[j];
    let minBasicSlack = Infinity;
    const outBasis = new Int32Array(m);
    for (let k = 0; k < m; k++) {
      const v = basis[k];
      outBasis[k] = v < N ? v : -1 - (v - N);
      if (v < N) minBasicSlack = Math.min(minBasicSlack, x[v] - lo[v], hi[v] - x[v]);
    }
    return { status, x: xs, objective, duals, basis: outBasis, basisInverse: Binv.slice(), minBasicSlack, iterations };
  };

  // ---- phase 1 ----
  if (!started) {
    for (let i = 0; i < m; i++) cost[N + i] = 1;
    const s1 = run();
    if (s1 === 'iteration-limit') return finish(s1);
    refactor();
    sinceRefactor = 0;
    let infeasibility = 0;
    for (let i = 0; i < m; i++) infeasibility += x[N + i];
    let bScale = 1;
    for (let i = 0; i < m; i++) bScale = Math.max(bScale, Math.abs(b[i]));
    if (infeasibility > tolFeas * bScale * Math.max(1, m)) {
      cost.fill(0);
      return finish('infeasible');
    }
    // Artificials are fixed at 0 from now on; a basic one (at ≈ 0) leaves at the first chance.
    for (let i = 0; i < m; i++) {
      cost[N + i] = 0;
      hi[N + i] = 0;
      if (state[N + i] !== 0) x[N + i] = 0;
    }
  } else {
    for (let i = 0; i < m; i++) hi[N + i] = 0;
  }

  // ---- phase 2 ----
  cost.set(c);
  for (let i = 0; i < m; i++) cost[N + i] = 0;
  let status = run();
  if (status === 'optimal') {
    // Confirm on a fresh factorization: update errors could have hidden an improving column.
    refactor();
    sinceRefactor = 0;
    status = run();
    if (status === 'optimal') refactor();
  }
  return finish(status);
}

function checkProblem(problem: LPProblem, m: number, N: number): void {
  const { c, lower, upper, b } = problem;
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`simplex: columns.rows is ${m}; it must be a positive integer.`);
  if (!Number.isInteger(N) || N < 0) throw new RangeError(`simplex: columns.count is ${N}; it must be a nonnegative integer.`);
  if (c.length !== N) throw new RangeError(`simplex: c has length ${c.length}; it must have one entry per column (${N}).`);
  if (lower.length !== N) throw new RangeError(`simplex: lower has length ${lower.length}; it must have one entry per column (${N}).`);
  if (upper.length !== N) throw new RangeError(`simplex: upper has length ${upper.length}; it must have one entry per column (${N}).`);
  if (b.length !== m) throw new RangeError(`simplex: b has length ${b.length}; it must have one entry per row (${m}).`);
  for (let j = 0; j < N; j++) {
    if (!Number.isFinite(lower[j])) throw new RangeError(`simplex: lower[${j}] is ${lower[j]}; lower bounds must be finite.`);
    if (Number.isNaN(upper[j]) || upper[j] < lower[j]) {
      throw new RangeError(`simplex: upper[${j}] is ${upper[j]}; it must be at least lower[${j}] = ${lower[j]}.`);
    }
    if (!Number.isFinite(c[j])) throw new RangeError(`simplex: c[${j}] is ${c[j]}; costs must be finite.`);
  }
  for (let i = 0; i < m; i++) {
    if (!Number.isFinite(b[i])) throw new RangeError(`simplex: b[${i}] is ${b[i]}; it must be finite.`);
  }
}

/** `LPColumns` over a dense column-major m×N Float64Array (column j at A[j·m .. j·m + m)). */
export function denseColumns(A: Float64Array, m: number, N: number): LPColumns {
  if (A.length !== m * N) {
    throw new RangeError(`denseColumns: A has length ${A.length}; it must be m·N = ${m}·${N} = ${m * N}.`);
  }
  return {
    rows: m,
    count: N,
    column(j: number, out: Float64Array): void {
      out.set(A.subarray(j * m, j * m + m));
    },
    dotRange(y: Float64Array, out: Float64Array, from: number, to: number): void {
      for (let j = from; j < to; j++) {
        let s = 0;
        const o = j * m;
        for (let i = 0; i < m; i++) s += A[o + i] * y[i];
        out[j] = s;
      }
    },
  };
}
