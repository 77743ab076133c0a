// AssemblyScript entry of the kernel module, dist/kernels.wasm (`npm run build` compiles it with
// asc; tsc does not see the wasm/ folders). It gathers what each layer compiles to WebAssembly:
// the matrix products, the model matrix's indexed blocks, weighted Gram matrices, the Cholesky
// factorization and the finiteness scan (src/backend/wasm/), the passes of the linear-model
// objective with their losses (src/loss/wasm/), the CSV row parser (src/data/wasm/); and, for the
// tests, the vectorized elementary functions.

import { vexp, vlog1p } from '../loss/wasm/vmath';
import { curvatureDiagonalRows, gradientRows, hessianRows, logitRows, probabilityRows, valueRows } from '../loss/wasm/sweep';

export {
  gradientRows, hessianRows, valueRows, logitRows, probabilityRows, curvatureDiagonalRows, gradientSubset, partLength, scratchLength,
  residualRows, accuracyRows,
} from '../loss/wasm/sweep';
export { firstNonFinite, accumulateParts, columnMoments, standardizeRows, gatherColumns } from '../backend/wasm/matrix';
export { matrixColumns, addLookups } from '../backend/wasm/indexed';
export { gramRows, gramPartLength, gramScratchBytes } from '../backend/wasm/gram';
export { cholesky, choleskySolve, choleskyInverse } from '../backend/wasm/linalg';
export { scanRows, scannedBytes, scannedLines, parseRows, internColumns, rehashDictionary } from '../data/wasm/csv';

/** x[i] ← eˣ⁽ⁱ⁾ for i < n (n even): the SIMD exp, exposed for the tests. */
export function expArray(x: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) v128.store(x + (<usize>i << 3), vexp(v128.load(x + (<usize>i << 3))));
}

/** x[i] ← log1p(x[i]) for i < n (n even): the SIMD log1p, exposed for the tests. */
export function log1pArray(x: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) v128.store(x + (<usize>i << 3), vlog1p(v128.load(x + (<usize>i << 3))));
}

/** End of the module's static data (the constant tables): arenas allocate above it. */
export function heapBase(): usize {
  return __heap_base;
}

/** Bytes of scratch `warm` needs. */
export const WARM_BYTES: i32 = 65536;

/**
 * Runs every pass a few times on small synthetic data in [scratch, scratch + WARM_BYTES), so that
 * the engine compiles them, and starts optimizing them, before real work arrives (called by each
 * worker thread as it starts, and by warmUp() on the main thread). Returns a checksum so the work
 * cannot be optimized away.
 */
export function warm(scratch: usize): f64 {
  const n = 48;
  const d = 12;
  let total = 0.0;
  for (let K = 1; K <= 4; K += 3) {
    // The model matrix: a dense block of d columns and an indexed block of 4 (its codes in y's room: 0..3).
    const p = d + 4;
    const M = scratch;
    const X = M + 64;
    const y = X + <usize>(n * d * 8);
    const s = y + <usize>(n * 8);
    const curv = s + <usize>(n * 8);
    const W = curv + <usize>(n * K * 8);
    const out = W + <usize>((K * p + K) * 8);
    const part = out + <usize>(n * (K + 1) * 8);
    for (let i = 0; i < n * d; i++) store<f64>(X + (<usize>i << 3), <f64>((i * 7919) % 13) / 13 - 0.5);
    for (let i = 0; i < n; i++) {
      store<i32>(y + (<usize>i << 2), i % (K == 1 ? 2 : K));
      store<f64>(s + (<usize>i << 3), 1);
    }
    store<i32>(M, <i32>X);
    store<i32>(M, d, 4);
    store<i32>(M, p, 8);
    store<i32>(M, 1, 12);
    store<i32>(M, <i32>y, 16);
    store<i32>(M, 0, 20);
    store<i32>(M, 4, 24);
    store<i32>(M, d, 28);
    for (let j = 0; j < K * p + K; j++) store<f64>(W + (<usize>j << 3), <f64>(j % 5) / 10 - 0.2);
    const b = W + <usize>(K * p * 8);
    for (let r = 0; r < 20; r++) {
      total += gradientRows(0, n, part, M, K, W, b, y, s, curv);
      total += hessianRows(0, n, part, M, K, W, b, curv);
      total += valueRows(0, n, part, M, K, W, b, y, s, out);
      total += probabilityRows(0, n, part, M, K, W, b, out);
      total += logitRows(0, n, part, M, K, W, b, out);
      total += curvatureDiagonalRows(0, n, part, M, K, curv);
    }
  }
  return total;
}
