import { type DenseMatrix, isDense } from '../backend/dense.js';
import { type ModelMatrix, denseModelMatrix, describeMatrix, matrixArena } from '../backend/modelMatrix.js';
import { RowPasses, resolveThreads } from '../backend/passes.js';
import type { Arena, KernelFunction } from '../backend/arena.js';
import type { StochasticObjective } from '../optim/types.js';
import type { ColumnSubsets } from './columnSubsets.js';
import { type Layout, coefView, interceptView, makeLayout, ridgePenalty } from './layout.js';
import type { PointwiseLoss } from './pointwise.js';

/** Everything that defines the objective J of a linear model on one data set. */
export interface LinearObjectiveConfig {
  /**
   * The (already standardized, if asked) n×p model matrix (src/backend/modelMatrix.ts), or a dense
   * n×p matrix. Read in place when it lives in kernel memory (toDense and the model-matrix builder
   * put it there), else copied there once. Never modified.
   */
  X: ModelMatrix | DenseMatrix;
  /** The pointwise loss on logits (binomial with K = 1, or multinomial with K classes). */
  loss: PointwiseLoss;
  /** Coefficient layout (layout.ts); layout.K must equal loss.K and layout.d the columns p of X. */
  layout: Layout;
  /** Class index of every row (0/1 for binomial, 0..K−1 for multinomial). */
  y: Int32Array;
  /** sᵢ = sample weight × class weight, or null for all ones. Must be finite and ≥ 0 (checked at the API edge). */
  weights: Float64Array | null;
  /** Inverse regularization strength; Infinity drops the penalty (penalty 'none'). */
  C: number;
  /**
   * a of the elastic net (default 0, the L2 penalty): the penalty is (a·‖W‖₁ + (1 − a)/2·‖W‖²_F)/(C·S).
   * This smooth objective holds only the ridge part; the L1 part is the composite solver's
   * (`l1Weights`, `l1Penalty`).
   */
  l1Ratio?: number;
  /**
   * Threads for the passes over X: 'auto' (default; every core for large problems) or a count.
   * Results are bit-for-bit the same for every count (src/backend/pool.ts).
   */
  threads?: number | 'auto';
  /**
   * Where `partialValueAndGradient` keeps its copies of a working set's columns (shared by the
   * objectives of a path over one matrix). Without it, that method makes full passes.
   */
  subsets?: ColumnSubsets;
}

/** What `partialValueAndGradient` returns: f(x), and whether the gradient it wrote is complete. */
export interface PartialEvaluation {
  value: number;
  complete: boolean;
}

/** Dense columns a partial pass may be restricted to, as a fraction of all of them (more: a full pass). */
const PARTIAL_MAX_FRACTION = 0.75;
/** The most bytes of a column copy for partial passes (beyond it: full passes, no copy). */
const PARTIAL_MAX_BYTES = 512 * 2 ** 20;

/**
 * The objective of docs/architecture.md, for any pointwise loss lifted through X:
 *
 *     J(W, b) = Σᵢ sᵢ·ℓ(W·xᵢ + b, yᵢ) / S  +  ‖W‖²_F / (2·C·S),     S = Σᵢ sᵢ
 *     ∇_W J   = (Rᵀ·X) / S + W / (C·S),   ∇_b J = 1ᵀR / S,         Rᵢ = sᵢ·∂ℓ/∂zᵢ
 *     ∇²J·v   = (Uᵀ·X, 1ᵀU) / S + (V / (C·S), 0),                  Uᵢ = sᵢ·∇²ℓᵢ·(V·xᵢ + v_b)
 *
 * The intercept is never penalized. Value and gradient come from one fused pass over X (the
 * kernels of src/loss/wasm/sweep.ts: per block of rows, logits, loss and residuals, then Rᵀ·X); a
 * Hessian-vector product is one more pass, on the per-row curvature a gradient pass stored (they
 * store it once a Hessian has been asked for: first-order methods never pay for it). This has the
 * same minimizer as scikit-learn's `LogisticRegression(C)` (whose objective is S times this one, up
 * to its normalization).
 *
 * All the data of the passes live in one arena of kernel memory: X, y, s, the coefficient vector
 * handed to the kernels, the chunks' partial sums and, once needed, two curvature buffers (the one
 * a Hessian operator is bound to, and the one the next gradient pass writes). Passes run on the
 * worker pool (src/backend/pool.ts) with results independent of the thread count.
 */
export class LinearModelObjective implements StochasticObjective {
  readonly dim: number;
  readonly nSamples: number;
  /** S = Σᵢ sᵢ. */
  readonly weightSum: number;
  /**
   * Non-zeros of a row of the model matrix, counting the intercept: the dense columns, one per
   * indexed block, and 1. What a pass costs per row (about 2·K of this in multiply-adds) and a
   * Hessian matrix (about (K of this)²/2).
   */
  readonly rowNonzeros: number;
  /** The thread count the passes use. */
  readonly threads: number;
  private readonly L: Layout;
  private readonly weights: Float64Array | null;
  /** (1 − a) / (C·S), or 0 without a penalty: the ridge on the coefficients' Hessian diagonal. */
  readonly ridge: number;
  /** a / (C·S): the weight of ‖W‖₁ (0 for the L2 penalty and without one). */
  readonly l1: number;
  private readonly arena: Arena;
  /** The arena's allocation point before this objective's buffers (for `release`). */
  private readonly mark: number;
  /** The allocation point after them: nothing else may hold memory above it while the objective lives. */
  private end: number;
  private readonly passes: RowPasses;
  // Byte offsets of the kernels' data: the model matrix's description, labels, weights.
  private readonly Mp: number;
  private readonly yp: number;
  private readonly sp: number;
  /** The two curvature buffers (allocated by the first pass that keeps curvature), or 0. */
  private curvP: [number, number] = [0, 0];
  private readonly coefP: number;
  private readonly coef: Float64Array;
  /**
   * Whether gradient passes store the per-row curvature: from the first Hessian product or
   * diagonal on (a first-order method such as L-BFGS never asks, and its passes skip n·K stores).
   */
  private keepCurvature = false;
  /** Which curvature buffer the next gradient pass writes (the other may be bound to a Hessian). */
  private work = 0;
  /** Where `work`'s curvature was computed, when it is current. */
  private readonly workX: Float64Array;
  private workValid = false;
  /** The point the other buffer's curvature belongs to, or null. */
  private boundX: Float64Array | null = null;
  private readonly scratchGrad: Float64Array;
  private subsetP = 0;
  private subsetCap = 0;
  private subsetFn: KernelFunction | null = null;
  /** What the objective was made of (the matrix in kernel memory), for its column-restricted copies. */
  private readonly cfg: LinearObjectiveConfig & { X: ModelMatrix };
  /** The objective over a copy of some of the columns, with the coordinates of x its coordinates are, or null. */
  private sub: { objective: LinearModelObjective; matrix: ModelMatrix; toFull: Int32Array } | null = null;

  constructor(cfg: LinearObjectiveConfig) {
    const { loss, layout, y, weights } = cfg;
    const X = isDense(cfg.X) ? denseModelMatrix(cfg.X, cfg.X.rows * 12) : cfg.X;
    this.cfg = { ...cfg, X };
    const n = X.rows;
    const K = layout.K;
    if (layout.K !== loss.K) throw new RangeError(`layout has K = ${layout.K} logits but the loss has ${loss.K}`);
    if (layout.d !== X.cols) throw new RangeError(`layout has d = ${layout.d} but X has ${X.cols} columns`);
    if (y.length !== n) throw new RangeError(`y has ${y.length} labels but X has ${n} rows`);
    if (weights !== null && weights.length !== n) throw new RangeError(`weights has ${weights.length} entries but X has ${n} rows`);
    checkClassIndices(y, loss.nClasses);
    let S = n;
    if (weights !== null) {
      S = 0;
      for (let i = 0; i < n; i++) S += weights[i]!;
    }
    if (!(S > 0)) throw new RangeError(`the sample weights sum to ${S}; at least one row needs a positive weight`);
    this.L = layout;
    this.weights = weights;
    this.dim = layout.dim;
    this.rowNonzeros = X.denseCols + X.blocks.length + (layout.fitIntercept ? 1 : 0);
    this.nSamples = n;
    this.weightSum = S;
    const l1Ratio = cfg.l1Ratio ?? 0;
    if (!(l1Ratio >= 0 && l1Ratio <= 1)) throw new RangeError(`l1Ratio must be in [0, 1], got ${l1Ratio}`);
    this.ridge = Number.isFinite(cfg.C) ? (1 - l1Ratio) / (cfg.C * S) : 0;
    this.l1 = Number.isFinite(cfg.C) ? l1Ratio / (cfg.C * S) : 0;
    this.threads = resolveThreads(cfg.threads ?? 'auto', n * (X.denseCols + X.blocks.length) * K);

    const KD = K * layout.d;
    this.arena = matrixArena(X);
    this.mark = this.arena.mark();
    const a = this.arena;
    this.Mp = describeMatrix(X);
    this.yp = a.alloc(n * 4, false);
    a.i32(this.yp, n).set(y);
    this.sp = a.alloc(n * 8, false);
    if (weights === null) a.f64(this.sp, n).fill(1);
    else a.f64(this.sp, n).set(weights);
    this.coefP = a.alloc((KD + K) * 8);
    this.coef = a.f64(this.coefP, KD + K);
    this.passes = lossPasses(a, n, K, layout.d, this.threads);
    this.workX = new Float64Array(this.dim);
    this.scratchGrad = new Float64Array(this.dim);
    this.end = a.mark();
  }

  /**
   * The L1 weight of every coordinate of x (length dim): a/(C·S) for the coefficients, 0 for the
   * intercepts, which are never penalized. What a composite solver (optim/proxNewton.ts) takes.
   */
  l1Weights(): Float64Array {
    const w = new Float64Array(this.dim);
    w.fill(this.l1, 0, this.L.K * this.L.d);
    return w;
  }

  /** The L1 part of the penalty at x: a·‖W‖₁/(C·S) (0 without one). */
  l1Penalty(x: Float64Array): number {
    if (this.l1 === 0) return 0;
    let s = 0;
    const KD = this.L.K * this.L.d;
    for (let j = 0; j < KD; j++) s += Math.abs(x[j]!);
    return this.l1 * s;
  }

  /** The whole objective J at x: the smooth part (data term and ridge) plus the L1 part. */
  fullValue(x: Float64Array): number {
    return this.value(x) + this.l1Penalty(x);
  }

  /**
   * Kernel memory this objective needs later (curvature, mini-batch rows), taken at the top of the
   * arena. Scoped users of the arena (predictions, evaluations) give their memory back before
   * returning, so nothing lies above this objective's own buffers when it asks.
   */
  private grow(bytes: number): number {
    if (this.arena.mark() !== this.end) throw new Error('kernel memory was taken above a live objective and not given back');
    const ptr = this.arena.alloc(bytes, false);
    this.end = this.arena.mark();
    return ptr;
  }

  /**
   * Gives the kernel memory this objective took back to X's arena. Only for an objective over a
   * caller's data that is used once and dropped (an evaluation), and only if nothing else was
   * allocated in that arena since; the objective is unusable afterwards.
   */
  release(): void {
    if (this.arena.mark() !== this.end) throw new Error('kernel memory was taken above an objective and not given back before its release');
    this.dropSub();
    this.arena.release(this.mark);
  }

  /** Copies x (layout.ts) into a coefficient buffer of the kernels: W, then b (which stays 0 without intercepts). */
  private load(target: Float64Array, x: Float64Array): void {
    target.set(coefView(x, this.L));
    const b = interceptView(x, this.L);
    if (b !== null) target.set(b, this.L.K * this.L.d);
  }

  /** Adds the chunks' partial sums (G, then gb) into out in the layout of x. */
  private collect(out: Float64Array): void {
    const KD = this.L.K * this.L.d;
    this.passes.sum(out, 0, KD);
    if (this.L.fitIntercept) this.passes.sum(out, KD, this.L.K, KD);
  }

  /** ‖W‖²_F / (2·C·S), and adds W/(C·S) to the gradient's W block when `grad` is given. */
  private penalty(x: Float64Array, grad: Float64Array | null): number {
    return ridgePenalty(x, this.L, this.ridge, grad);
  }

  /** The arguments every pass over the rows starts with: the model matrix, K. */
  private get head(): number[] {
    return [this.Mp, this.L.K];
  }

  valueAndGradient(x: Float64Array, grad: Float64Array): number {
    const KD = this.L.K * this.L.d;
    this.load(this.coef, x);
    const lossSum = this.passes.run('gradientRows', [
      ...this.head, this.coefP, this.coefP + KD * 8, this.yp, this.sp, this.keepCurvature ? this.curvP[this.work] : 0,
    ]);
    this.collect(grad);
    this.workX.set(x);
    this.workValid = this.keepCurvature;
    const invS = 1 / this.weightSum;
    for (let j = 0; j < this.dim; j++) grad[j] = grad[j]! * invS;
    return lossSum * invS + this.penalty(x, grad);
  }

  /**
   * f(x) and ∂f/∂xⱼ for the coordinates j in `coords` (increasing), for an x that is 0 on every
   * coordinate of a dense column that `coords` does not touch: then Xᵢ·W and the loss do not depend
   * on those columns, and one pass over a copy of the touched ones (config `subsets`; see
   * loss/columnSubsets.ts) gives f exactly and the gradient on every coordinate of the copied
   * columns, the intercepts and the indexed blocks. The other entries of `grad` are set to NaN and
   * the result says `complete: false`. When a copy does not pay (more than three quarters of the
   * dense columns, a copy over 512 MiB, no `subsets`) or x is not 0 where it must be, this is
   * `valueAndGradient` and says `complete: true`.
   *
   * The value agrees with valueAndGradient's to rounding (the sums run over fewer columns, in
   * another grouping); a solver that compares values from both must allow for that.
   */
  partialValueAndGradient(x: Float64Array, grad: Float64Array, coords: Int32Array): PartialEvaluation {
    const sub = this.subFor(x, coords);
    if (sub === null) return { value: this.valueAndGradient(x, grad), complete: true };
    const { toFull } = sub;
    const xs = new Float64Array(toFull.length);
    for (let s = 0; s < toFull.length; s++) xs[s] = x[toFull[s]!]!;
    const gs = new Float64Array(toFull.length);
    const value = sub.objective.valueAndGradient(xs, gs);
    grad.fill(NaN);
    for (let s = 0; s < toFull.length; s++) grad[toFull[s]!] = gs[s]!;
    return { value, complete: false };
  }

  /**
   * The objective over a copy of the dense columns that `coords` touch (made or reused), or null
   * when a full pass is the better choice or x is not 0 off those columns.
   */
  private subFor(x: Float64Array, coords: Int32Array): { objective: LinearModelObjective; toFull: Int32Array } | null {
    const { subsets, X: M } = this.cfg;
    const { K, d: p } = this.L;
    const dc = M.denseCols;
    if (subsets === undefined || dc === 0) return null;
    const touched = new Uint8Array(dc);
    for (const c of coords) {
      if (c < K * p && c % p < dc) touched[c % p] = 1;
    }
    let count = 0;
    for (let j = 0; j < dc; j++) count += touched[j]!;
    if (count > PARTIAL_MAX_FRACTION * dc || count * M.rows * 8 > PARTIAL_MAX_BYTES) return null;
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < dc; j++) if (touched[j] === 0 && x[k * p + j] !== 0) return null;
    }
    const want = new Int32Array(count);
    for (let j = 0, t = 0; j < dc; j++) if (touched[j] === 1) want[t++] = j;
    let copy = subsets.current(M, want);
    if (copy === null || this.sub?.matrix !== copy.matrix) {
      this.dropSub();
      copy ??= subsets.make(M, want);
      const layout = makeLayout(copy.matrix.cols, K, this.L.fitIntercept);
      const objective = new LinearModelObjective({
        X: copy.matrix, loss: this.cfg.loss, layout, y: this.cfg.y, weights: this.weights, C: this.cfg.C,
        l1Ratio: this.cfg.l1Ratio ?? 0, threads: this.threads,
      });
      subsets.occupy();
      // Coordinate s of the copy's layout is coordinate toFull[s] of this one's.
      const m = copy.keep.length;
      const ps = copy.matrix.cols;
      const toFull = new Int32Array(layout.dim);
      for (let k = 0; k < K; k++) {
        for (let t = 0; t < m; t++) toFull[k * ps + t] = k * p + copy.keep[t]!;
        for (let t = m; t < ps; t++) toFull[k * ps + t] = k * p + dc + (t - m);
      }
      for (let k = 0; k < layout.dim - K * ps; k++) toFull[K * ps + k] = K * p + k;
      this.sub = { objective, matrix: copy.matrix, toFull };
    }
    return this.sub;
  }

  /** Releases the objective over a column copy, if any. */
  private dropSub(): void {
    if (this.sub === null) return;
    this.sub.objective.release();
    this.cfg.subsets?.vacate();
    this.sub = null;
  }

  batchValueAndGradient(x: Float64Array, grad: Float64Array, rows: Uint32Array, count: number): number {
    const KD = this.L.K * this.L.d;
    if (count > this.subsetCap) {
      this.subsetP = this.grow(count * 4);
      this.subsetCap = count;
    }
    this.arena.u32(this.subsetP, count).set(rows.subarray(0, count));
    this.load(this.coef, x);
    this.subsetFn ??= this.arena.fn('gradientSubset');
    const first = this.passes.first;
    const lossSum = this.subsetFn(this.subsetP, count, first.ptr, ...this.head, this.coefP, this.coefP + KD * 8, this.yp, this.sp);
    grad.set(first.view.subarray(0, KD));
    if (this.L.fitIntercept) grad.set(first.view.subarray(KD, KD + this.L.K), KD);
    let SB = count;
    if (this.weights !== null) {
      SB = 0;
      for (let t = 0; t < count; t++) SB += this.weights[rows[t]!]!;
    }
    if (SB === 0) {
      // A batch whose rows all weigh 0 carries no information on the data term.
      grad.fill(0);
      return this.penalty(x, grad);
    }
    const invS = 1 / SB;
    for (let j = 0; j < this.dim; j++) grad[j] = grad[j]! * invS;
    return lossSum * invS + this.penalty(x, grad);
  }

  /**
   * Byte offset of per-row curvature at x, in the bound buffer: reused when it is already there,
   * taken over from the last gradient pass when that was at x, else computed by one more pass.
   */
  private curvatureAt(x: Float64Array): number {
    if (!this.keepCurvature) {
      const bytes = this.nSamples * this.L.K * 8;
      this.curvP = [this.grow(bytes), this.grow(bytes)];
      this.keepCurvature = true;
    }
    if (this.boundX === null || !sameVector(this.boundX, x)) {
      if (!this.workValid || !sameVector(this.workX, x)) this.valueAndGradient(x, this.scratchGrad);
      this.work = 1 - this.work;
      this.workValid = false;
      this.boundX = Float64Array.from(x);
    }
    return this.curvP[1 - this.work];
  }

  hessVec(x: Float64Array): (v: Float64Array, out: Float64Array) => void {
    const at = Float64Array.from(x);
    const KD = this.L.K * this.L.d;
    const invS = 1 / this.weightSum;
    const ridge = this.ridge;
    return (v, out) => {
      const curv = this.curvatureAt(at);
      // Every pass loads its own vector into the one coefficient buffer: here the direction.
      this.load(this.coef, v);
      this.passes.run('hessianRows', [...this.head, this.coefP, this.coefP + KD * 8, curv]);
      this.collect(out);
      for (let j = 0; j < this.dim; j++) out[j] = out[j]! * invS + (j < KD ? ridge * v[j]! : 0);
    };
  }

  hessDiag(x: Float64Array): Float64Array {
    const KD = this.L.K * this.L.d;
    const curv = this.curvatureAt(x);
    this.passes.run('curvatureDiagonalRows', [...this.head, curv]);
    const diag = new Float64Array(this.dim);
    this.collect(diag);
    const invS = 1 / this.weightSum;
    for (let j = 0; j < this.dim; j++) diag[j] = diag[j]! * invS + (j < KD ? this.ridge : 0);
    return diag;
  }

  /**
   * The full Hessian ∇²J(x) (dim × dim, row-major, symmetric) in one pass of the kernels: the
   * weighted Gram matrix Σᵢ x̃ᵢx̃ᵢᵀ ⊗ Aᵢ / S of src/backend/wasm/gram.ts over the per-row curvature,
   * plus the ridge (1 − a)/(C·S) on the diagonal of W. It costs about (K·(nonzeros per row))²/2
   * multiply-adds a row, so it suits models of up to a few thousand coefficients (inference, exact
   * Newton steps). With `columns` (increasing model columns), the submatrix of those columns' rows
   * and columns for every class and the intercepts, in the layout of `gram` with `columns`.
   */
  hessianMatrix(x: Float64Array, columns?: Int32Array): Float64Array {
    const K = this.L.K;
    const pSel = columns === undefined ? this.L.d : columns.length;
    const q = K * pSel + (this.L.fitIntercept ? K : 0);
    const curv = this.curvatureAt(x);
    const H = this.gram(curv, K === 1 ? 0 : 1, columns);
    const invS = 1 / this.weightSum;
    for (let i = 0; i < q * q; i++) H[i] = H[i]! * invS;
    for (let j = 0; j < K * pSel; j++) H[j * q + j] = H[j * q + j]! + this.ridge;
    return H;
  }

  /**
   * Σᵢ x̃ᵢx̃ᵢᵀ ⊗ Aᵢ (symmetric, not divided by S) for per-row weights W (n×K, a byte offset in this
   * objective's arena) in the given mode of gramRows (0 binary, 1 multinomial curvature, 2 outer
   * products of W's rows). Over every column (dim × dim), or over `columns` only (increasing model
   * column indices, the intercept always included): then of order K·columns.length + K·icpt, in
   * the coefficient layout with columns.length in place of p.
   */
  gram(W: number, mode: 0 | 1 | 2, columns?: Int32Array): Float64Array {
    const K = this.L.K;
    const p = this.L.d;
    const pSel = columns === undefined ? p : columns.length;
    const q = K * pSel + (this.L.fitIntercept ? K : 0);
    const mark = this.arena.mark();
    if (mark !== this.end) throw new Error('kernel memory was taken above a live objective and not given back');
    try {
      let sel = 0;
      if (columns !== undefined) {
        sel = this.arena.alloc(4 * Math.max(1, p), false);
        const map = this.arena.i32(sel, p);
        map.fill(-1);
        for (let t = 0; t < columns.length; t++) {
          const j = columns[t]!;
          if (!(j >= 0 && j < p) || (t > 0 && j <= columns[t - 1]!)) throw new RangeError(`gram: columns must increase within [0, ${p}), got ${j} at ${t}`);
          map[j] = t;
        }
      }
      const scratch = Math.ceil(this.arena.fn('gramScratchBytes')(p) / 8);
      const passes = new RowPasses(this.arena, this.nSamples, q * q, scratch, this.threads);
      passes.run('gramRows', [this.Mp, K, this.L.fitIntercept ? 1 : 0, W, mode, sel, pSel]);
      const G = new Float64Array(q * q);
      passes.sum(G, 0, q * q);
      for (let i = 0; i < q; i++) for (let j = 0; j < i; j++) G[j * q + i] = G[i * q + j]!;
      return G;
    } finally {
      this.arena.release(mark);
    }
  }

  /**
   * Per-row residuals Rᵢ = sᵢ·∂ℓ/∂zᵢ at x (n×K, row-major; binomial sᵢ(σ(zᵢ) − yᵢ), multinomial
   * sᵢ(pᵢ − e_yᵢ)): the pieces of the score, ∇J = Σᵢ Rᵢ ⊗ x̃ᵢ / S + penalty.
   */
  residuals(x: Float64Array): Float64Array {
    const mark = this.arena.mark();
    if (mark !== this.end) throw new Error('kernel memory was taken above a live objective and not given back');
    try {
      const n = this.nSamples;
      const K = this.L.K;
      const out = this.arena.alloc(n * K * 8, false);
      this.load(this.coef, x);
      this.passes.run('residualRows', [...this.head, this.coefP, this.coefP + K * this.L.d * 8, this.yp, this.sp, out, 0]);
      return Float64Array.from(this.arena.f64(out, n * K));
    } finally {
      this.arena.release(mark);
    }
  }

  /**
   * Σᵢ x̃ᵢx̃ᵢᵀ ⊗ (rᵢrᵢᵀ) for given per-row vectors r (n×K, in ordinary memory): the "meat" of
   * sandwich covariances when r are the rows' scores.
   */
  outerGram(r: Float64Array): Float64Array {
    const mark = this.arena.mark();
    if (mark !== this.end) throw new Error('kernel memory was taken above a live objective and not given back');
    const n = this.nSamples;
    const K = this.L.K;
    if (r.length !== n * K) throw new RangeError(`outerGram needs ${n}×${K} values, got ${r.length}`);
    const ptr = this.grow(n * K * 8);
    try {
      this.arena.f64(ptr, n * K).set(r);
      return this.gram(ptr, 2);
    } finally {
      this.arena.release(mark);
      this.end = mark;
    }
  }

  /** Σᵢ sᵢ·ℓᵢ at x, one forward pass; with `out` (a byte offset, or 0) also every unweighted ℓᵢ. */
  private lossSum(x: Float64Array, out: number): number {
    const KD = this.L.K * this.L.d;
    this.load(this.coef, x);
    return this.passes.run('valueRows', [...this.head, this.coefP, this.coefP + KD * 8, this.yp, this.sp, out]);
  }

  /** The data term alone, Σᵢ sᵢ·ℓᵢ / S (the weighted mean negative log-likelihood), in one forward pass. */
  dataLoss(x: Float64Array): number {
    return this.lossSum(x, 0) / this.weightSum;
  }

  /**
   * The data term Σᵢ sᵢℓᵢ / S and the number of rows whose class is the most probable one (as
   * predictions decide it), in one forward pass with no per-row output.
   */
  lossAndCorrect(x: Float64Array): { loss: number; correct: number } {
    const KD = this.L.K * this.L.d;
    this.load(this.coef, x);
    const sum = this.passes.run('accuracyRows', [...this.head, this.coefP, this.coefP + KD * 8, this.yp, this.sp]);
    let correct = 0;
    for (let c = 0; c < this.passes.chunks; c++) correct += this.passes.partial(c, 0);
    return { loss: sum / this.weightSum, correct };
  }

  /** ℓᵢ for every row (unweighted), in one forward pass. */
  rowLosses(x: Float64Array): Float64Array {
    const mark = this.arena.mark();
    try {
      const out = this.arena.alloc(this.nSamples * 8);
      this.lossSum(x, out);
      return Float64Array.from(this.arena.f64(out, this.nSamples));
    } finally {
      this.arena.release(mark);
    }
  }

  /** J(x) (data term plus penalty), without the gradient. */
  value(x: Float64Array): number {
    return this.dataLoss(x) + this.penalty(x, null);
  }
}

/**
 * The chunk areas for the passes of src/loss/wasm/sweep.ts over n rows with K logits on p columns:
 * the sizes of the partial sums and the scratch come from the kernels themselves.
 */
export function lossPasses(arena: Arena, n: number, K: number, p: number, threads: number): RowPasses {
  return new RowPasses(arena, n, arena.fn('partLength')(K, p), arena.fn('scratchLength')(K), threads);
}

function sameVector(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Throws unless every y[i] is an integer class index in [0, nClasses) (one scan, typed when y is). */
function checkClassIndices(y: ArrayLike<number>, nClasses: number): void {
  const bad = (i: number) => new RangeError(`y[${i}] = ${y[i]} is not a class index below ${nClasses}`);
  if (y instanceof Int32Array) {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < y.length; i++) {
      const c = y[i]!;
      lo = c < lo ? c : lo;
      hi = c > hi ? c : hi;
    }
    if (lo >= 0 && hi < nClasses) return;
  }
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    if (!(c >= 0 && c < nClasses)) throw bad(i);
  }
}
