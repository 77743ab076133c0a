/**
 * The objective of docs/architecture.md written the plain way, one row and one term at a time with Math.exp
 * and Math.log: the test oracle for the WebAssembly kernels (which block, tile, vectorize and
 * split the same sums). Logits are shifted by their maximum, so the oracle is exact enough for
 * moderate logits; it is not meant for extreme ones.
 *
 * x is in the layout of src/loss/layout.ts: W (K×d, row-major), then b (K) when fitIntercept.
 * K = 1 is the binomial loss (labels 0/1), K ≥ 2 the multinomial one.
 */
export interface NaiveProblem {
  X: Float64Array;
  n: number;
  d: number;
  K: number;
  y: Int32Array;
  s: Float64Array | null;
  C: number;
  fitIntercept: boolean;
}

function logits(p: NaiveProblem, x: Float64Array, i: number): number[] {
  const z: number[] = [];
  for (let k = 0; k < p.K; k++) {
    let v = p.fitIntercept ? x[p.K * p.d + k]! : 0;
    for (let j = 0; j < p.d; j++) v += x[k * p.d + j]! * p.X[i * p.d + j]!;
    z.push(v);
  }
  return z;
}

/** Class probabilities of row i: [1 − σ(z), σ(z)] for K = 1, softmax(z) otherwise. */
export function naiveProbabilities(p: NaiveProblem, x: Float64Array, i: number): number[] {
  const z = logits(p, x, i);
  if (p.K === 1) {
    const s = 1 / (1 + Math.exp(-z[0]!));
    return [1 - s, s];
  }
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** J(x), ∇J(x) and, for a direction v, ∇²J(x)·v. */
export function naiveObjective(p: NaiveProblem, x: Float64Array, v?: Float64Array) {
  const { n, d, K } = p;
  const dim = K * d + (p.fitIntercept ? K : 0);
  const grad = new Float64Array(dim);
  const hv = new Float64Array(dim);
  let S = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const si = p.s === null ? 1 : p.s[i]!;
    S += si;
    const z = logits(p, x, i);
    const yi = p.y[i]!;
    let r: number[];
    let u: number[] = [];
    if (K === 1) {
      const zi = z[0]!;
      sum += si * (Math.max(zi, 0) - yi * zi + Math.log1p(Math.exp(-Math.abs(zi))));
      const sig = 1 / (1 + Math.exp(-zi));
      r = [si * (sig - yi)];
      if (v !== undefined) u = [si * sig * (1 - sig) * logits(p, v, i)[0]!];
    } else {
      const m = Math.max(...z);
      const e = z.map((t) => Math.exp(t - m));
      const total = e.reduce((a, b) => a + b, 0);
      sum += si * (m + Math.log(total) - z[yi]!);
      const prob = e.map((t) => t / total);
      r = prob.map((q, k) => si * (q - (k === yi ? 1 : 0)));
      if (v !== undefined) {
        const dz = logits(p, v, i);
        const pu = prob.reduce((a, q, k) => a + q * dz[k]!, 0);
        u = prob.map((q, k) => si * q * (dz[k]! - pu));
      }
    }
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < d; j++) {
        grad[k * d + j] += r[k]! * p.X[i * d + j]!;
        if (v !== undefined) hv[k * d + j] += u[k]! * p.X[i * d + j]!;
      }
      if (p.fitIntercept) {
        grad[K * d + k] += r[k]!;
        if (v !== undefined) hv[K * d + k] += u[k]!;
      }
    }
  }
  const ridge = Number.isFinite(p.C) ? 1 / (p.C * S) : 0;
  let sq = 0;
  for (let j = 0; j < K * d; j++) sq += x[j]! * x[j]!;
  for (let j = 0; j < dim; j++) {
    grad[j] = grad[j]! / S + (j < K * d ? ridge * x[j]! : 0);
    if (v !== undefined) hv[j] = hv[j]! / S + (j < K * d ? ridge * v[j]! : 0);
  }
  return { value: sum / S + 0.5 * ridge * sq, grad, hv };
}
