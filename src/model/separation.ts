/**
 * Exact detection of separation (non-existence of the maximum-likelihood estimate) in binary
 * logistic and multinomial softmax regression, by linear programming (Konis 2007, "Linear
 * programming algorithms for detecting separated data in binary logistic regression models", DPhil
 * thesis, Oxford; the method of R's detectseparation / brglm2::detect_separation).
 *
 * The constraint vectors. Binary: for every row i (weight > 0), aᵢ = (2yᵢ − 1)·xᵢ ∈ ℝᵖ. Softmax with
 * K classes, baseline class 0 (β₀ = 0, θ = (β₁ … β_{K−1}) ∈ ℝ^{(K−1)p}, class-major): for every row i
 * and class k ≠ yᵢ, a_{ik} = E_{yᵢ}ᵀxᵢ − E_kᵀxᵢ, where E_c places xᵢ in block c (E_0 = 0), so that
 * a_{ik}ᵀθ = xᵢᵀ(β_{yᵢ} − β_k). Let C = {θ : aᵀθ ≥ 0 for every constraint vector a}. The MLE fails to
 * exist iff some θ ∈ C has aᵀθ > 0 for some a (Albert & Anderson 1984); the constraints that some
 * θ ∈ C makes strict form a set Q, unique, and one θ makes all of Q strict at once (the sum of one
 * witness per constraint). Q empty: 'none'; Q everything: 'complete'; otherwise 'quasi-complete',
 * and the rows with a constraint outside Q lie on every separating hyperplane (`rowsOnBoundary`).
 * A θ with aᵀθ = 0 for every a (a null direction of X, e.g. a duplicated column) is in C but makes
 * nothing strict, so collinearity is never taken for separation.
 *
 * The linear program (Konis 2007, §4; detectseparation's "primal, find"):
 *
 *     maximize gᵀθ = Σ_{a ∈ R} aᵀθ   subject to  aᵀθ ≥ 0 (a ∈ R),  −1 ≤ θ_j ≤ 1,
 *
 * over a set R of constraints. It is solved through its dual, which has one equality row per
 * parameter and one column per constraint vector, the small basis (`solveBoxLP`). Q is found in
 * rounds: solve over R (at first all constraints), move the constraints that the solution makes
 * strict from R to Q, repeat until the solution makes none strict. Dropping a constraint of Q from R
 * is exact: if θ′ is feasible for the smaller R, θ′ + Mθ (θ the earlier solution, M large) satisfies
 * every dropped constraint strictly as well. Each round moves at least one constraint, and one or
 * two rounds are the rule.
 *
 * Infinite coefficients, as detectseparation reports them: the solution θ* of the first round's
 * program; θ*_j ≠ 0 means the coefficient tends to sign(θ*_j)·∞. That program can have several
 * optimal solutions (symmetric data, collinear columns), and detectseparation then reports whichever
 * vertex its solver reached, which depends on the order of rows and columns. Here the answer is made
 * unique: a coefficient is reported infinite only if θ_j keeps the sign of θ*_j, away from 0, on the
 * whole optimal face. The face is read off the optimal basis by complementary slackness
 * (`faceDirections`): when the basis is nondegenerate it is the single point θ*, and otherwise a
 * small linear program per nonzero coefficient that can move on it (`OptimalFace`) finds the least
 * value of sign(θ*_j)·θ_j there. When the optimum is unique this is exactly detectseparation's answer.
 *
 * Units and tolerances. Multiplying column j of X by s > 0 maps C to itself by θ_j ↦ θ_j/s, so the
 * status cannot depend on units, but detectseparation's box −1 ≤ θ_j ≤ 1 does, and with it which
 * vertex is optimal. So each column is first divided by its largest |x_ij| (over the rows that
 * count): the columns then lie in [−1, 1] with an extreme at ±1 whatever their units, and X and X·s
 * give the same divided matrix up to a few ulps of rounding, which the tolerances below absorb (a
 * power-of-two scale would be exact, but it leaves the maximum anywhere in (½, 1], so a change of
 * units could still move the box relative to the data by up to a factor 2 and change the vertex).
 * In these units all data are ≤ 1 in magnitude and θ ∈ [−1, 1]ᵖ, so absolute tolerances are
 * meaningful:
 * - a constraint is strict when aᵀθ > τ‖a‖₁ with τ = √ε ≈ 1.5e-8 (‖a‖₁ bounds |aᵀθ| over the box,
 *   so this is relative to the largest value the constraint can take; rounding errors in aᵀθ are
 *   ~ε‖a‖₁·cond(B), orders of magnitude below);
 * - a coefficient is infinite when |θ*_j| > τ (detectseparation's default beta_tolerance, √ε);
 * - a basic value of the optimal basis below 1e-10·max(1, ‖g‖∞) is taken for a degenerate 0 (basic
 *   values are in the units of g = Σa, rounding errors are ~1e-13 of that); taking a small positive
 *   value for 0 can only enlarge the face, that is, call a coefficient finite;
 * - a face direction's entry below 1e-9 of its largest is taken for 0 (the coefficient cannot move
 *   on the face); taking a 0 for nonzero only costs one small program, whose answer is still exact.
 *
 * The R script that makes the test references (test/fixtures/separation/make_separation.R) solves
 * the same programs with lpSolve and takes the optimal face as {θ feasible : gᵀθ ≥ gᵀθ* − τΣ‖a‖₁}.
 */
import { denseColumns, simplex, type LPColumns, type LPResult } from '../optim/simplex.js';

export interface SeparationInput {
  /** Model matrix, n×p, row-major (include the intercept column yourself if `intercept`). */
  X: Float64Array;
  n: number;
  p: number;
  /** Class index per row (0/1 for binary, 0..K−1 for softmax). */
  y: Int32Array;
  /** Number of classes; K = 2 is binary logistic regression. */
  K: number;
  /** Row weights; rows of weight 0 do not count. null: every row counts. */
  weights: Float64Array | null;
  /** Column names, for the report. */
  names: readonly string[];
  /** Class names for the softmax report ("class: column"); default: the class indices. */
  classes?: readonly string[];
}

export interface SeparationResult {
  status: 'none' | 'complete' | 'quasi-complete';
  /**
   * Per parameter (binary: p; softmax: (K−1)·p, class-major, classes 1..K−1 against baseline 0),
   * whether its MLE is infinite, as detectseparation reports it: +1, −1 (tends to ±∞) or 0 (finite).
   */
  infinite: Int8Array;
  /** Names of the columns with an infinite coefficient (for softmax, "class: column"). */
  separatingColumns: string[];
  /**
   * Rows on the separating hyperplane(s) when quasi-complete (0 otherwise) — count only: rows with a
   * comparison xᵢᵀ(β_{yᵢ} − β_k) (binary: xᵢᵀβ) that is 0 along every separating direction.
   */
  rowsOnBoundary: number;
}

/** τ = √ε: strictness of a constraint, nonzero coefficient (see the module comment). */
const TAU = Math.sqrt(Number.EPSILON);
/** A basic value below TAU_DEGENERATE·max(1, ‖g‖∞) is taken for a degenerate 0 (see `faceDirections`). */
const TAU_DEGENERATE = 1e-10;
/** A face direction entry below this (directions scaled to largest entry 1) is taken for 0. */
const TAU_DIRECTION = 1e-9;

/**
 * Decides whether the classes in (X, y) are separated, completely or quasi-completely, and which
 * coefficients have infinite maximum-likelihood estimates (see the module comment for the
 * mathematics and tolerances). The result depends only on the data: not on column units, row or
 * column order, or any fitting. Throws TypeError/RangeError for malformed input.
 */
export function detectSeparation(inp: SeparationInput): SeparationResult {
  const { n, p, K } = validate(inp);
  const { X, y, weights, names } = inp;
  const nPar = (K - 1) * p;
  const infinite = new Int8Array(nPar);

  // Rows that count, and each column divided by its largest magnitude.
  const rows = new Int32Array(n);
  let nk = 0;
  for (let i = 0; i < n; i++) if (weights === null || weights[i] > 0) rows[nk++] = i;
  const colMax = new Float64Array(p);
  for (let r = 0; r < nk; r++) {
    const o = rows[r] * p;
    for (let j = 0; j < p; j++) colMax[j] = Math.max(colMax[j], Math.abs(X[o + j]));
  }
  const Xs = new Float64Array(nk * p);
  for (let r = 0; r < nk; r++) {
    const o = rows[r] * p;
    for (let j = 0; j < p; j++) Xs[r * p + j] = colMax[j] > 0 ? X[o + j] / colMax[j] : 0;
  }
  const ys = new Int32Array(nk);
  for (let r = 0; r < nk; r++) ys[r] = y[rows[r]];

  const all = Constraints.all(Xs, ys, nk, p, K);
  const M = all.count;
  if (M === 0 || nPar === 0) {
    return { status: 'none', infinite, separatingColumns: [], rowsOnBoundary: 0 };
  }

  // Rounds: `cur` holds R; the constraints a solution makes strict move to Q.
  let cur = all;
  let first: BoxSolution | null = null;
  let firstG: Float64Array | null = null;
  for (;;) {
    const g = cur.sum();
    const sol = solveBoxLP(cur, g);
    const values = new Float64Array(cur.count);
    cur.dotRange(sol.theta, values, 0, cur.count);
    const keep = new Uint8Array(cur.count);
    let moved = 0;
    for (let t = 0; t < cur.count; t++) {
      if (values[t] > TAU * cur.l1(t)) moved++;
      else keep[t] = 1;
    }
    if (moved === 0) break;
    if (first === null) {
      first = sol;
      firstG = g;
    }
    cur = cur.subset(keep);
    if (cur.count === 0) break;
  }

  if (first === null || firstG === null) {
    return { status: 'none', infinite, separatingColumns: [], rowsOnBoundary: 0 };
  }
  const status = cur.count === 0 ? 'complete' : 'quasi-complete';
  let rowsOnBoundary = 0;
  if (status === 'quasi-complete') {
    const onBoundary = new Uint8Array(nk);
    for (let t = 0; t < cur.count; t++) onBoundary[cur.row[t]] = 1;
    for (let r = 0; r < nk; r++) rowsOnBoundary += onBoundary[r];
  }

  // Infinite coefficients: the sign pattern of θ*, kept only where it holds on the optimal face.
  const theta = first.theta;
  for (let j = 0; j < nPar; j++) if (Math.abs(theta[j]) > TAU) infinite[j] = theta[j] > 0 ? 1 : -1;
  const Z = faceDirections(first, firstG);
  if (Z.length > 0) {
    let face: OptimalFace | null = null;
    for (let j = 0; j < nPar; j++) {
      if (infinite[j] === 0 || !Z.some((z) => Math.abs(z[j]) > TAU_DIRECTION)) continue;
      face ??= new OptimalFace(all, theta, Z);
      if (face.minimize(j, infinite[j]) <= TAU) infinite[j] = 0;
    }
  }

  const separatingColumns: string[] = [];
  for (let t = 0; t < nPar; t++) {
    if (infinite[t] === 0) continue;
    if (K === 2) {
      separatingColumns.push(names[t]);
    } else {
      const k = Math.floor(t / p) + 1;
      const cls = inp.classes !== undefined ? inp.classes[k] : String(k);
      separatingColumns.push(`${cls}: ${names[t % p]}`);
    }
  }
  return { status, infinite, separatingColumns, rowsOnBoundary };
}

/**
 * Constraint vectors a_t (see the module comment) over the scaled rows: a_t = E_{plus}ᵀx_{row} −
 * E_{minus}ᵀx_{row}, where E_c puts a row into parameter block c (block c − 1 of θ holds β_c; the
 * baseline class 0 has no block, written −1). Binary (K = 2) is the case of one block:
 * a_i = (2yᵢ − 1)·xᵢ.
 */
class Constraints {
  readonly dim: number;
  readonly count: number;

  constructor(
    private readonly Xs: Float64Array,
    private readonly p: number,
    nBlocks: number,
    /** Data row (among the rows that count) of each constraint. */
    readonly row: Int32Array,
    private readonly plus: Int32Array,
    private readonly minus: Int32Array,
    private readonly rowL1: Float64Array,
    private readonly rowL2: Float64Array,
  ) {
    this.dim = nBlocks * p;
    this.count = row.length;
  }

  /** Every pair (row i, class k ≠ yᵢ), row-major, k increasing. */
  static all(Xs: Float64Array, ys: Int32Array, n: number, p: number, K: number): Constraints {
    const M = n * (K - 1);
    const row = new Int32Array(M);
    const plus = new Int32Array(M);
    const minus = new Int32Array(M);
    let t = 0;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        if (k === ys[i]) continue;
        row[t] = i;
        plus[t] = ys[i] - 1;
        minus[t] = k - 1;
        t++;
      }
    }
    const rowL1 = new Float64Array(n);
    const rowL2 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s1 = 0;
      let s2 = 0;
      for (let j = 0; j < p; j++) {
        const v = Xs[i * p + j];
        s1 += Math.abs(v);
        s2 += v * v;
      }
      rowL1[i] = s1;
      rowL2[i] = Math.sqrt(s2);
    }
    return new Constraints(Xs, p, K - 1, row, plus, minus, rowL1, rowL2);
  }

  /** The constraints t with keep[t] = 1, in order. */
  subset(keep: Uint8Array): Constraints {
    let M = 0;
    for (let t = 0; t < this.count; t++) M += keep[t];
    const row = new Int32Array(M);
    const plus = new Int32Array(M);
    const minus = new Int32Array(M);
    let u = 0;
    for (let t = 0; t < this.count; t++) {
      if (!keep[t]) continue;
      row[u] = this.row[t];
      plus[u] = this.plus[t];
      minus[u] = this.minus[t];
      u++;
    }
    return new Constraints(this.Xs, this.p, this.dim / this.p, row, plus, minus, this.rowL1, this.rowL2);
  }

  /** Writes a_t into out (length dim). */
  write(t: number, out: Float64Array): void {
    const { Xs, p } = this;
    const o = this.row[t] * p;
    const bp = this.plus[t];
    const bm = this.minus[t];
    out.fill(0);
    for (let j = 0; j < p; j++) {
      if (bp >= 0) out[bp * p + j] += Xs[o + j];
      if (bm >= 0) out[bm * p + j] -= Xs[o + j];
    }
  }

  /** out[t] = a_tᵀθ for from ≤ t < to. */
  dotRange(theta: Float64Array, out: Float64Array, from: number, to: number): void {
    const { Xs, p, row, plus, minus } = this;
    for (let t = from; t < to; t++) {
      const o = row[t] * p;
      const bp = plus[t];
      const bm = minus[t];
      let s = 0;
      if (bp >= 0) s += dot(Xs, o, theta, bp * p, p);
      if (bm >= 0) s -= dot(Xs, o, theta, bm * p, p);
      out[t] = s;
    }
  }

  /** The number of parameter blocks a_t touches (1 or 2). */
  private blocks(t: number): number {
    return (this.plus[t] >= 0 ? 1 : 0) + (this.minus[t] >= 0 ? 1 : 0);
  }

  /** ‖a_t‖₁. */
  l1(t: number): number {
    return this.blocks(t) * this.rowL1[this.row[t]];
  }

  /** ‖a_t‖₂. */
  l2(t: number): number {
    return Math.sqrt(this.blocks(t)) * this.rowL2[this.row[t]];
  }

  /** g = Σ_t a_t. */
  sum(): Float64Array {
    const { Xs, p } = this;
    const g = new Float64Array(this.dim);
    for (let t = 0; t < this.count; t++) {
      const o = this.row[t] * p;
      const bp = this.plus[t];
      const bm = this.minus[t];
      for (let j = 0; j < p; j++) {
        if (bp >= 0) g[bp * p + j] += Xs[o + j];
        if (bm >= 0) g[bm * p + j] -= Xs[o + j];
      }
    }
    return g;
  }
}

/** Σ_{j<len} x[xo + j]·v[vo + j], with four partial sums (the loop is latency-bound otherwise). */
function dot(x: Float64Array, xo: number, v: Float64Array, vo: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < len; j += 4) {
    s0 += x[xo + j] * v[vo + j];
    s1 += x[xo + j + 1] * v[vo + j + 1];
    s2 += x[xo + j + 2] * v[vo + j + 2];
    s3 += x[xo + j + 3] * v[vo + j + 3];
  }
  for (; j < len; j++) s0 += x[xo + j] * v[vo + j];
  return s0 + s1 + (s2 + s3);
}

/**
 * The optimal face of the first round's program. With (λ*, u*, v*) the optimal basic solution of
 * the dual found by the simplex, complementary slackness says: a feasible θ is optimal iff
 * aᵀθ = 0 wherever λ*_a > 0, θ_j = 1 where u*_j > 0 and θ_j = −1 where v*_j > 0. Those are the
 * basis columns with a positive value; the B − k independent equalities leave the affine set θ* + Zw,
 * w ∈ ℝᵏ, whose directions z_r are the rows of B⁻¹ at the k basic positions whose value is 0
 * (row r of B⁻¹ is orthogonal to every other basis column). So the face is
 *
 *     F = {θ* + Zw : aᵀ(θ* + Zw) ≥ 0 for every a, −1 ≤ θ* + Zw ≤ 1},
 *
 * a single point when the basis is nondegenerate (k = 0), and otherwise a polytope of dimension ≤ k.
 * A value counts as 0 below TAU_DEGENERATE·max(1, ‖g‖∞) (basic values are in the units of g).
 * Returns the z_r, each scaled to largest magnitude 1.
 */
function faceDirections(sol: BoxSolution, g: Float64Array): Float64Array[] {
  const { lp } = sol;
  const P = g.length;
  let gInf = 1;
  for (let j = 0; j < P; j++) gInf = Math.max(gInf, Math.abs(g[j]));
  const Z: Float64Array[] = [];
  for (let r = 0; r < P; r++) {
    const v = lp.basis[r];
    const value = v >= 0 ? lp.x[v] : 0;
    if (value > TAU_DEGENERATE * gInf) continue;
    const z = lp.basisInverse.slice(r * P, (r + 1) * P);
    let mx = 0;
    for (let j = 0; j < P; j++) mx = Math.max(mx, Math.abs(z[j]));
    if (mx === 0) continue;
    for (let j = 0; j < P; j++) z[j] /= mx;
    Z.push(z);
  }
  return Z;
}

/**
 * Minimizes s·θ_j over the face F = {θ* + Zw feasible} (see `faceDirections`), an LP in w ∈ ℝᵏ:
 *
 *     maximize cᵀw   subject to   G w ≥ h,
 *
 * with c = −s·(z_{r,j})_r and one row of G per constraint, (aᵀz_r)_r ≥ −aᵀθ*, and two per
 * coordinate, ±(z_{r,i})_r ≥ −1 ∓ θ*_i. Its dual, minimize −hᵀλ subject to Gᵀλ = −c, λ ≥ 0, has k
 * equality rows; the simplex solves it (with a phase 1), and w = −y.
 */
class OptimalFace {
  private readonly k: number;
  private readonly N: number;
  /** Gᵀ column-major: column t is row t of G (length k). */
  private readonly G: Float64Array;
  private readonly cost: Float64Array;

  constructor(
    cons: Constraints,
    private readonly theta: Float64Array,
    private readonly Z: Float64Array[],
  ) {
    const k = Z.length;
    const P = theta.length;
    const M = cons.count;
    const N = M + 2 * P;
    this.k = k;
    this.N = N;
    this.G = new Float64Array(N * k);
    this.cost = new Float64Array(N);
    const tmp = new Float64Array(M);
    for (let r = 0; r < k; r++) {
      cons.dotRange(Z[r], tmp, 0, M);
      for (let t = 0; t < M; t++) this.G[t * k + r] = tmp[t];
      for (let i = 0; i < P; i++) {
        this.G[(M + i) * k + r] = Z[r][i];
        this.G[(M + P + i) * k + r] = -Z[r][i];
      }
    }
    cons.dotRange(theta, tmp, 0, M);
    for (let t = 0; t < M; t++) this.cost[t] = Math.max(0, tmp[t]);
    for (let i = 0; i < P; i++) {
      this.cost[M + i] = 1 + theta[i];
      this.cost[M + P + i] = 1 - theta[i];
    }
  }

  /** min over F of s·θ_j. */
  minimize(j: number, s: number): number {
    const { k, N, Z } = this;
    const b = new Float64Array(k);
    for (let r = 0; r < k; r++) b[r] = s * Z[r][j];
    const lp = simplex({
      columns: denseColumns(this.G, k, N),
      c: this.cost,
      lower: new Float64Array(N),
      upper: new Float64Array(N).fill(Infinity),
      b,
    });
    if (lp.status !== 'optimal') {
      throw new Error(`detectSeparation: the optimal-face program ended as '${lp.status}' after ${lp.iterations} iterations; please report the data.`);
    }
    let thetaJ = this.theta[j];
    for (let r = 0; r < k; r++) thetaJ -= Z[r][j] * lp.duals[r];
    return s * thetaJ;
  }
}

interface BoxSolution {
  /** The maximizer θ, length P. */
  theta: Float64Array;
  lp: LPResult;
}

/**
 * maximize gᵀθ subject to aᵀθ ≥ 0 (every a in `cons`), −1 ≤ θ ≤ 1, solved through its dual. For
 * λ ≥ 0 (one per constraint), max_{θ ∈ box} [gᵀθ + Σλ_a aᵀθ] = ‖g + Σλ_a a‖₁, so the dual is
 *
 *     minimize Σ_j (u_j + v_j)   subject to   Σ_a λ_a a − u + v = −g,   λ, u, v ≥ 0,
 *
 * P equality rows and M + 2P columns, in the simplex's standard form. The slack basis (v_j where
 * −g_j ≥ 0, else u_j) is feasible, so there is no phase 1. At the optimum the multipliers y satisfy
 * 1 ± y_j ≥ 0 (reduced costs of u, v) and −yᵀa ≥ 0 (of λ), and bᵀy = −gᵀy is the optimal value:
 * θ = −y is the primal maximizer.
 */
function solveBoxLP(cons: Constraints, g: Float64Array): BoxSolution {
  const P = cons.dim;
  const M = cons.count;
  const N = M + 2 * P;
  const columns: LPColumns = {
    rows: P,
    count: N,
    column(j: number, out: Float64Array): void {
      if (j < M) {
        cons.write(j, out);
      } else {
        out.fill(0);
        if (j < M + P) out[j - M] = -1;
        else out[j - M - P] = 1;
      }
    },
    dotRange(y: Float64Array, out: Float64Array, from: number, to: number): void {
      if (from < M) cons.dotRange(y, out, from, Math.min(to, M));
      for (let j = Math.max(from, M); j < to; j++) out[j] = j < M + P ? -y[j - M] : y[j - M - P];
    },
    norms(): Float64Array {
      const out = new Float64Array(N).fill(1);
      for (let t = 0; t < M; t++) out[t] = cons.l2(t);
      return out;
    },
  };
  const c = new Float64Array(N);
  for (let k = M; k < N; k++) c[k] = 1;
  const b = new Float64Array(P);
  const initialBasis = new Int32Array(P);
  for (let k = 0; k < P; k++) {
    b[k] = -g[k];
    initialBasis[k] = b[k] >= 0 ? M + P + k : M + k;
  }
  const lower = new Float64Array(N);
  const upper = new Float64Array(N).fill(Infinity);
  const lp = simplex({ columns, c, lower, upper, b }, { initialBasis });
  if (lp.status !== 'optimal') {
    // The program is feasible (θ = 0) and bounded (the box): anything else is a numerical failure.
    throw new Error(`detectSeparation: the linear program ended as '${lp.status}' after ${lp.iterations} iterations; please report the data.`);
  }
  const theta = new Float64Array(P);
  for (let k = 0; k < P; k++) theta[k] = -lp.duals[k];
  return { theta, lp };
}

function validate(inp: SeparationInput): { n: number; p: number; K: number } {
  if (typeof inp !== 'object' || inp === null) {
    throw new TypeError(`detectSeparation: the input must be an object; got ${String(inp)}.`);
  }
  const { X, n, p, y, K, weights, names } = inp;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`detectSeparation: n is ${n}; it must be a nonnegative integer.`);
  if (!Number.isInteger(p) || p < 0) throw new RangeError(`detectSeparation: p is ${p}; it must be a nonnegative integer.`);
  if (!Number.isInteger(K) || K < 2) throw new RangeError(`detectSeparation: K is ${K}; it must be an integer ≥ 2.`);
  if (!(X instanceof Float64Array)) throw new TypeError('detectSeparation: X must be a Float64Array (n×p, row-major).');
  if (X.length !== n * p) throw new RangeError(`detectSeparation: X has length ${X.length}; it must be n·p = ${n}·${p} = ${n * p}.`);
  if (!(y instanceof Int32Array)) throw new TypeError('detectSeparation: y must be an Int32Array of class indices.');
  if (y.length !== n) throw new RangeError(`detectSeparation: y has length ${y.length}; it must have one entry per row (${n}).`);
  if (weights !== null && !(weights instanceof Float64Array)) {
    throw new TypeError('detectSeparation: weights must be a Float64Array or null.');
  }
  if (weights !== null && weights.length !== n) {
    throw new RangeError(`detectSeparation: weights has length ${weights.length}; it must have one entry per row (${n}).`);
  }
  if (!Array.isArray(names) || names.length !== p) {
    throw new RangeError(`detectSeparation: names has ${Array.isArray(names) ? names.length : 'no'} entries; it must have one per column (${p}).`);
  }
  if (inp.classes !== undefined && inp.classes.length !== K) {
    throw new RangeError(`detectSeparation: classes has ${inp.classes.length} entries; it must have one per class (${K}).`);
  }
  for (let i = 0; i < n; i++) {
    if (!(y[i] >= 0 && y[i] < K)) throw new RangeError(`detectSeparation: y[${i}] is ${y[i]}; class indices must lie in 0..${K - 1}.`);
    if (weights !== null && !(weights[i] >= 0 && weights[i] < Infinity)) {
      throw new RangeError(`detectSeparation: weights[${i}] is ${weights[i]}; weights must be finite and nonnegative.`);
    }
  }
  for (let t = 0; t < X.length; t++) {
    if (!Number.isFinite(X[t])) {
      throw new RangeError(`detectSeparation: X[${Math.floor(t / p)}, ${t % p}] is ${X[t]}; the model matrix must be finite.`);
    }
  }
  return { n, p, K };
}
