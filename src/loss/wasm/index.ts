// AssemblyScript entry of the kernel module, dist/kernels.wasm (`npm run build` compiles it with
// asc; tsc does not see this folder). It exports the passes of the linear-model objective
// (sweep.ts) and, for the tests, the vectorized elementary functions and the matrix products.

import { vexp, vlog1p } from './vmath';

export {
  gradientRows, hessianRows, valueRows, logitRows, probabilityRows, curvatureDiagonalRows, gradientSubset, partLength, scratchLength,
} from './sweep';
export { forwardRows, backwardRows } from '../../backend/wasm/matrix';

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
