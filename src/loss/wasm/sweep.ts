// AssemblyScript (compiled to WebAssembly by `npm run build`, not by tsc).
//
// The passes of the linear-model objective (src/loss/objective.ts) over one chunk of rows
// [r0, r1): each reads the chunk in blocks small enough to stay in cache, and per block runs the
// forward product, the pointwise loss and the backward product, so X is read from memory once per
// pass. K = 1 is the binomial loss, K ≥ 2 the multinomial one.
//
// The rows are those of a model matrix M (src/backend/wasm/indexed.ts: a dense block and indexed
// blocks, p columns in all) and the coefficients are K×p (layout.ts).
//
// Calling convention (src/backend/pool.ts runs these on several threads): every pass takes
// (r0, r1, part, …) and returns a float64. `part` is the chunk's own area: partLength(K, p)
// float64s of partial sums (G, K×p, then gb, K) that the caller adds up over chunks in a fixed
// order, followed by scratchLength(K) float64s of scratch: a block's logits Z (MAX_BLOCK×K),
// per-row temporaries T (2×MAX_BLOCK), and for mini-batches the block's weights and labels.
// Row-indexed arrays (y int32; s, curv, out float64) are passed at row 0 and indexed by the row.

import { backwardMatrix, forwardMatrix, squaresMatrix } from '../../backend/wasm/indexed';
import { binomialGradient, binomialHessian, binomialProbabilities, binomialValue } from './binomial';
import { sexp } from './vmath';
import {
  multinomialCurvatureDiagonal, multinomialGradient, multinomialHessian, multinomialProbabilities, multinomialValue,
} from './multinomial';

/** Largest block of rows (the scratch is sized for it). */
const MAX_BLOCK: i32 = 256;

/**
 * Rows per block: about 32 KiB of the dense block (a block is read by the forward product, then
 * again by the backward one, which should find it in cache), a multiple of 4 between 16 and MAX_BLOCK.
 */
@inline function blockRows(M: usize): i32 {
  const b = (8192 / max(load<i32>(M, 4), 1)) & ~3;
  return min(max(b, 16), MAX_BLOCK);
}

/** p, the columns of the model matrix M. */
@inline function columns(M: usize): i32 {
  return load<i32>(M, 8);
}

@inline function f64At(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

@inline function i32At(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** float64s of partial sums per chunk: G (K×p) and gb (K). */
export function partLength(K: i32, p: i32): i32 {
  return K * p + K;
}

/**
 * float64s of scratch per chunk, after the partial sums: logits, temporaries, weights and labels of a
 * block, and a second copy of the logits (accuracyRows).
 */
export function scratchLength(K: i32): i32 {
  return MAX_BLOCK * (2 * K + 4);
}

/** Where a chunk's block temporaries T start: after its logits. */
@inline function temporaries(Z: usize, K: i32): usize {
  return f64At(Z, MAX_BLOCK * K);
}

/**
 * The fused value-and-gradient pass: returns Σᵢ sᵢ·ℓᵢ over the chunk, writes G = Σᵢ Rᵢ·xᵢ and
 * gb = Σᵢ Rᵢ (Rᵢ = sᵢ·∂ℓ/∂zᵢ) to part, and, when curv ≠ 0, the curvature of every row to curv
 * (K per row).
 */
export function gradientRows(
  r0: i32, r1: i32, part: usize, M: usize, K: i32, W: usize, b: usize, y: usize, s: usize, curv: usize,
): f64 {
  const G = part;
  const gb = f64At(part, K * columns(M));
  const Z = f64At(part, K * columns(M) + K);
  memory.fill(part, 0, <usize>partLength(K, columns(M)) << 3);
  const B = blockRows(M);
  let acc = 0.0;
  for (let i = r0; i < r1; i += B) {
    const e = min(i + B, r1);
    forwardMatrix(M, i, e, W, b, K, Z);
    const c: usize = curv == 0 ? 0 : f64At(curv, i * K);
    acc += K == 1
      ? binomialGradient(Z, e - i, i32At(y, i), f64At(s, i), c)
      : multinomialGradient(Z, e - i, K, i32At(y, i), f64At(s, i), c, temporaries(Z, K));
    backwardMatrix(M, i, e, Z, K, G, gb);
  }
  return acc;
}

/**
 * The Hessian-vector pass for a direction (V, vb): logits U = X·Vᵀ + vb, then U ← sᵢ·∇²ℓᵢ·Uᵢ from
 * the stored curvature, then part = (Uᵀ·X, 1ᵀU). Returns 0.
 */
export function hessianRows(r0: i32, r1: i32, part: usize, M: usize, K: i32, V: usize, vb: usize, curv: usize): f64 {
  const G = part;
  const gb = f64At(part, K * columns(M));
  const U = f64At(part, K * columns(M) + K);
  memory.fill(part, 0, <usize>partLength(K, columns(M)) << 3);
  const B = blockRows(M);
  for (let i = r0; i < r1; i += B) {
    const e = min(i + B, r1);
    forwardMatrix(M, i, e, V, vb, K, U);
    if (K == 1) binomialHessian(U, e - i, f64At(curv, i));
    else multinomialHessian(U, e - i, K, f64At(curv, i * K));
    backwardMatrix(M, i, e, U, K, G, gb);
  }
  return 0;
}

/** Σᵢ sᵢ·ℓᵢ over the chunk (forward only); with out ≠ 0, also the unweighted ℓᵢ of every row. */
export function valueRows(r0: i32, r1: i32, part: usize, M: usize, K: i32, W: usize, b: usize, y: usize, s: usize, out: usize): f64 {
  const Z = f64At(part, K * columns(M) + K);
  const B = blockRows(M);
  let acc = 0.0;
  for (let i = r0; i < r1; i += B) {
    const e = min(i + B, r1);
    forwardMatrix(M, i, e, W, b, K, Z);
    const o: usize = out == 0 ? 0 : f64At(out, i);
    acc += K == 1
      ? binomialValue(Z, e - i, i32At(y, i), f64At(s, i), o)
      : multinomialValue(Z, e - i, K, i32At(y, i), f64At(s, i), o, temporaries(Z, K));
  }
  return acc;
}

/**
 * Per-row residuals Rᵢ = sᵢ·∂ℓ/∂zᵢ (K per row) into out (n×K), and, when curv ≠ 0, the per-row
 * curvature as gradientRows stores it: what the sandwich and Hessian matrices of inference weigh
 * rows by. Returns Σᵢ sᵢ·ℓᵢ over the chunk.
 */
export function residualRows(
  r0: i32, r1: i32, part: usize, M: usize, K: i32, W: usize, b: usize, y: usize, s: usize, out: usize, curv: usize,
): f64 {
  const Z = f64At(part, K * columns(M) + K);
  const B = blockRows(M);
  let acc = 0.0;
  for (let i = r0; i < r1; i += B) {
    const e = min(i + B, r1);
    forwardMatrix(M, i, e, W, b, K, Z);
    const c: usize = curv == 0 ? 0 : f64At(curv, i * K);
    acc += K == 1
      ? binomialGradient(Z, e - i, i32At(y, i), f64At(s, i), c)
      : multinomialGradient(Z, e - i, K, i32At(y, i), f64At(s, i), c, temporaries(Z, K));
    memory.copy(f64At(out, i * K), Z, <usize>((e - i) * K) << 3);
  }
  return acc;
}

/**
 * The training report in one pass: returns Σᵢ sᵢ·ℓᵢ over the chunk and writes to part[0] how many
 * rows have their class as the most probable one, decided on the probabilities exactly as
 * probabilityRows computes them (the first class on an exact tie), so that the count agrees with
 * predictions made from those probabilities. No per-row output: for data of any size.
 */
export function accuracyRows(r0: i32, r1: i32, part: usize, M: usize, K: i32, W: usize, b: usize, y: usize, s: usize): f64 {
  const Z = f64At(part, K * columns(M) + K);
  const tmp = temporaries(Z, K);
  const Z2 = f64At(tmp, 4 * MAX_BLOCK);
  const B = blockRows(M);
  let acc = 0.0;
  let correct = 0;
  for (let i = r0; i < r1; i += B) {
    const e = min(i + B, r1);
    const m = e - i;
    forwardMatrix(M, i, e, W, b, K, Z);
    memory.copy(Z2, Z, <usize>(m * K) << 3);
    acc += K == 1
      ? binomialValue(Z, m, i32At(y, i), f64At(s, i), 0)
      : multinomialValue(Z, m, K, i32At(y, i), f64At(s, i), 0, tmp);
    if (K == 1) {
      for (let t = 0; t < m; t++) {
        const z = load<f64>(f64At(Z2, t));
        const ex = sexp(-Math.abs(z));
        const big = 1 / (1 + ex);
        const small = ex / (1 + ex);
        const predicted = (z >= 0 ? big : small) > (z >= 0 ? small : big) ? 1 : 0;
        if (predicted == load<i32>(i32At(y, i + t))) correct++;
      }
    } else {
      multinomialProbabilities(Z2, m, K, Z2, tmp);
      for (let t = 0; t < m; t++) {
        const row = f64At(Z2, t * K);
        let best = 0;
        for (let k = 1; k < K; k++) if (load<f64>(f64At(row, k)) > load<f64>(f64At(row, best))) best = k;
        if (best == load<i32>(i32At(y, i + t))) correct++;
      }
    }
  }
  store<f64>(part, <f64>correct);
  return acc;
}

/** The logits of the chunk's rows into out (n×K): out[i·K + k] = X_i·W_k + b_k. Returns 0. */
export function logitRows(r0: i32, r1: i32, part: usize, M: usize, K: i32, W: usize, b: usize, out: usize): f64 {
  forwardMatrix(M, r0, r1, W, b, K, f64At(out, r0 * K));
  return 0;
}

/** Class probabilities of the chunk's rows into out (n × classes; classes = 2 when K = 1, else K). Returns 0. */
export function probabilityRows(r0: i32, r1: i32, part: usize, M: usize, K: i32, W: usize, b: usize, out: usize): f64 {
  const Z = f64At(part, K * columns(M) + K);
  const B = blockRows(M);
  const classes = K == 1 ? 2 : K;
  for (let i = r0; i < r1; i += B) {
    const e = min(i + B, r1);
    forwardMatrix(M, i, e, W, b, K, Z);
    if (K == 1) binomialProbabilities(Z, e - i, f64At(out, i * 2));
    else multinomialProbabilities(Z, e - i, K, f64At(out, i * classes), temporaries(Z, K));
  }
  return 0;
}

/**
 * The diagonal of the data term's Hessian, from the stored curvature: part = (Σᵢ Aᵢₖ·Xᵢⱼ², Σᵢ Aᵢₖ)
 * with Aᵢₖ = the k-th diagonal entry of sᵢ·∇²ℓᵢ. Returns 0.
 */
export function curvatureDiagonalRows(r0: i32, r1: i32, part: usize, M: usize, K: i32, curv: usize): f64 {
  const out = part;
  const ab = f64At(part, K * columns(M));
  const A = f64At(part, K * columns(M) + K);
  memory.fill(part, 0, <usize>partLength(K, columns(M)) << 3);
  const B = blockRows(M);
  for (let i = r0; i < r1; i += B) {
    const e = min(i + B, r1);
    const m = e - i;
    if (K == 1) memory.copy(A, f64At(curv, i), <usize>m << 3);
    else multinomialCurvatureDiagonal(f64At(curv, i * K), m, K, A);
    squaresMatrix(M, i, e, A, K, out);
    for (let t = 0; t < m; t++) {
      for (let k = 0; k < K; k++) {
        const p = f64At(ab, k);
        store<f64>(p, load<f64>(p) + load<f64>(f64At(A, t * K + k)));
      }
    }
  }
  return 0;
}

/**
 * The value-and-gradient pass over a subset of rows (a mini-batch): rows rows[0..count) (uint32),
 * in blocks; labels and weights are gathered so the pointwise kernels see contiguous rows. Writes
 * G and gb to part like gradientRows and returns Σ sᵢ·ℓᵢ over the subset. Curvature is not kept.
 */
export function gradientSubset(
  rows: usize, count: i32, part: usize, M: usize, K: i32, W: usize, b: usize, y: usize, s: usize,
): f64 {
  const G = part;
  const gb = f64At(part, K * columns(M));
  const Z = f64At(part, K * columns(M) + K);
  const tmp = temporaries(Z, K);
  const ss = f64At(tmp, 2 * MAX_BLOCK);
  const ys = f64At(ss, MAX_BLOCK);
  memory.fill(part, 0, <usize>partLength(K, columns(M)) << 3);
  let acc = 0.0;
  for (let t0 = 0; t0 < count; t0 += MAX_BLOCK) {
    const m = min(MAX_BLOCK, count - t0);
    for (let t = 0; t < m; t++) {
      const i = <i32>load<u32>(i32At(rows, t0 + t));
      forwardMatrix(M, i, i + 1, W, b, K, f64At(Z, t * K));
      store<i32>(i32At(ys, t), load<i32>(i32At(y, i)));
      store<f64>(f64At(ss, t), load<f64>(f64At(s, i)));
    }
    acc += K == 1 ? binomialGradient(Z, m, ys, ss, 0) : multinomialGradient(Z, m, K, ys, ss, 0, tmp);
    for (let t = 0; t < m; t++) {
      const i = <i32>load<u32>(i32At(rows, t0 + t));
      backwardMatrix(M, i, i + 1, f64At(Z, t * K), K, G, gb);
    }
  }
  return acc;
}
