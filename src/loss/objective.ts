import type { LinearKernels } from '../backend/kernels.js';
import type { StochasticObjective } from '../optim/types.js';
import { type Layout, coefView, interceptView } from './layout.js';
import type { PointwiseLoss } from './pointwise.js';

/** Everything that defines the objective J of a linear model on one data set. */
export interface LinearObjectiveConfig {
  /** Kernels over the (already standardized, if asked) n×d data matrix X. */
  kernels: LinearKernels;
  /** The pointwise loss on logits (binomial with K = 1, or multinomial with K classes). */
  loss: PointwiseLoss;
  /** Coefficient layout (layout.ts); layout.K must equal loss.K and layout.d the columns of X. */
  layout: Layout;
  /** Class index of every row (0/1 for binomial, 0..K−1 for multinomial). */
  y: Int32Array;
  /** sᵢ = sample weight × class weight, or null for all ones. Must be finite and ≥ 0 (checked at the API edge). */
  weights: Float64Array | null;
  /** Inverse regularization strength; Infinity drops the penalty (penalty 'none'). */
  C: number;
}

/**
 * The objective of DESIGN.md, for any pointwise loss lifted through X:
 *
 *     J(W, b) = Σᵢ sᵢ·ℓ(W·xᵢ + b, yᵢ) / S  +  ‖W‖²_F / (2·C·S),     S = Σᵢ sᵢ
 *     ∇_W J   = (Rᵀ·X) / S + W / (C·S),   ∇_b J = 1ᵀR / S,         Rᵢ = sᵢ·∂ℓ/∂zᵢ
 *     ∇²J·v   = (Uᵀ·X, 1ᵀU) / S + (V / (C·S), 0),                  Uᵢ = sᵢ·∇²ℓᵢ·(V·xᵢ + v_b)
 *
 * The intercept is never penalized. Value and gradient come from one fused sweep of X; a Hessian-
 * vector product is one more sweep. This has the same minimizer as scikit-learn's
 * `LogisticRegression(C)` (whose objective is S times this one, up to its normalization).
 */
export class LinearModelObjective implements StochasticObjective {
  readonly dim: number;
  readonly nSamples: number;
  /** S = Σᵢ sᵢ. */
  readonly weightSum: number;
  private readonly cfg: LinearObjectiveConfig;
  /** 1 / (C·S), or 0 without a penalty. */
  private readonly ridge: number;
  private readonly L: Layout;
  /** Per-row curvature at `curvX`, written by the last full valueAndGradient. */
  private readonly curv: Float64Array;
  private readonly curvX: Float64Array;
  private curvValid = false;

  constructor(cfg: LinearObjectiveConfig) {
    const { kernels, loss, layout, y, weights } = cfg;
    if (layout.K !== loss.K) throw new RangeError(`layout has K = ${layout.K} logits but the loss has ${loss.K}`);
    if (layout.d !== kernels.cols) throw new RangeError(`layout has d = ${layout.d} but X has ${kernels.cols} columns`);
    if (y.length !== kernels.rows) throw new RangeError(`y has ${y.length} labels but X has ${kernels.rows} rows`);
    if (weights !== null && weights.length !== kernels.rows) {
      throw new RangeError(`weights has ${weights.length} entries but X has ${kernels.rows} rows`);
    }
    this.cfg = cfg;
    this.L = layout;
    this.dim = layout.dim;
    this.nSamples = kernels.rows;
    let S = kernels.rows;
    if (weights !== null) {
      S = 0;
      for (let i = 0; i < weights.length; i++) S += weights[i]!;
    }
    if (!(S > 0)) throw new RangeError(`the sample weights sum to ${S}; at least one row needs a positive weight`);
    this.weightSum = S;
    this.ridge = Number.isFinite(cfg.C) ? 1 / (cfg.C * S) : 0;
    this.curv = new Float64Array(kernels.rows * loss.curvStride);
    this.curvX = new Float64Array(layout.dim);
  }

  /** ‖W‖²_F / (2·C·S), and adds W/(C·S) to the gradient's W block when `grad` is given. */
  private penalty(x: Float64Array, grad: Float64Array | null): number {
    if (this.ridge === 0) return 0;
    const W = coefView(x, this.L);
    let sq = 0;
    for (let j = 0; j < W.length; j++) {
      const w = W[j]!;
      sq += w * w;
      if (grad !== null) grad[j] += this.ridge * w;
    }
    return 0.5 * this.ridge * sq;
  }

  valueAndGradient(x: Float64Array, grad: Float64Array): number {
    const { kernels, loss, y, weights } = this.cfg;
    const L = this.L;
    const curv = this.curv;
    const lossSum = kernels.sweep(
      coefView(x, L), interceptView(x, L), L.K,
      (Z, count, start, rows) => loss.gradientBlock(Z, count, start, rows, y, weights, curv),
      coefView(grad, L), interceptView(grad, L),
    );
    this.curvX.set(x);
    this.curvValid = true;
    const invS = 1 / this.weightSum;
    for (let j = 0; j < this.dim; j++) grad[j] = grad[j]! * invS;
    return lossSum * invS + this.penalty(x, grad);
  }

  batchValueAndGradient(x: Float64Array, grad: Float64Array, rows: Uint32Array, count: number): number {
    const { kernels, loss, y, weights } = this.cfg;
    const L = this.L;
    let SB = count;
    if (weights !== null) {
      SB = 0;
      for (let t = 0; t < count; t++) SB += weights[rows[t]!]!;
    }
    const lossSum = kernels.sweep(
      coefView(x, L), interceptView(x, L), L.K,
      (Z, m, start, idx) => loss.gradientBlock(Z, m, start, idx, y, weights, null),
      coefView(grad, L), interceptView(grad, L), rows, count,
    );
    if (SB === 0) {
      // A batch whose rows all weigh 0 carries no information on the data term.
      grad.fill(0);
      return this.penalty(x, grad);
    }
    const invS = 1 / SB;
    for (let j = 0; j < this.dim; j++) grad[j] = grad[j]! * invS;
    return lossSum * invS + this.penalty(x, grad);
  }

  /** The per-row curvature at x: a copy of the cached one when x is where the gradient was last taken. */
  private curvatureAt(x: Float64Array): Float64Array {
    if (!this.curvValid || !sameVector(this.curvX, x)) this.valueAndGradient(x, new Float64Array(this.dim));
    return Float64Array.from(this.curv);
  }

  hessVec(x: Float64Array): (v: Float64Array, out: Float64Array) => void {
    const { kernels, loss } = this.cfg;
    const L = this.L;
    const curv = this.curvatureAt(x);
    const invS = 1 / this.weightSum;
    const ridge = this.ridge;
    return (v, out) => {
      kernels.sweep(
        coefView(v, L), interceptView(v, L), L.K,
        (U, count, start, rows) => {
          loss.hessianBlock(U, count, start, rows, curv);
          return 0;
        },
        coefView(out, L), interceptView(out, L),
      );
      const KD = L.K * L.d;
      for (let j = 0; j < this.dim; j++) out[j] = out[j]! * invS + (j < KD ? ridge * v[j]! : 0);
    };
  }

  hessDiag(x: Float64Array): Float64Array {
    const { kernels, loss } = this.cfg;
    const L = this.L;
    const n = this.nSamples;
    const curv = this.curvatureAt(x);
    const A = new Float64Array(n * L.K);
    loss.curvatureDiagonal(curv, n, A);
    const diag = new Float64Array(this.dim);
    kernels.weightedSquares(A, L.K, diag);
    const invS = 1 / this.weightSum;
    const KD = L.K * L.d;
    for (let j = 0; j < KD; j++) diag[j] = diag[j]! * invS + this.ridge;
    if (L.fitIntercept) {
      for (let i = 0; i < n; i++) for (let k = 0; k < L.K; k++) diag[KD + k] += A[i * L.K + k]!;
      for (let k = 0; k < L.K; k++) diag[KD + k] = diag[KD + k]! * invS;
    }
    return diag;
  }

  /** The data term alone, Σᵢ sᵢ·ℓᵢ / S (the weighted mean negative log-likelihood), in one forward sweep. */
  dataLoss(x: Float64Array): number {
    const { kernels, loss, y, weights } = this.cfg;
    const L = this.L;
    const scratch = new Float64Array(this.dim);
    const lossSum = kernels.sweep(
      coefView(x, L), interceptView(x, L), L.K,
      (Z, count, start, rows) => loss.valueBlock(Z, count, start, rows, y, weights),
      coefView(scratch, L), interceptView(scratch, L),
    );
    return lossSum / this.weightSum;
  }

  /** ℓᵢ for every row (unweighted), in one forward sweep. */
  rowLosses(x: Float64Array): Float64Array {
    const { kernels, loss, y } = this.cfg;
    const L = this.L;
    const K = L.K;
    const out = new Float64Array(this.nSamples);
    const scratch = new Float64Array(this.dim);
    kernels.sweep(
      coefView(x, L), interceptView(x, L), K,
      (Z, count, start) => {
        for (let j = 0; j < count; j++) out[start + j] = loss.valueBlock(Z.subarray(j * K, (j + 1) * K), 1, start + j, null, y, null);
        Z.fill(0, 0, count * K);
        return 0;
      },
      coefView(scratch, L), interceptView(scratch, L),
    );
    return out;
  }

  /** J(x) (data term plus penalty), without the gradient. */
  value(x: Float64Array): number {
    return this.dataLoss(x) + this.penalty(x, null);
  }
}

function sameVector(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
