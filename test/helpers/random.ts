import { createRng } from '../../src/util/random.js';

/** A seeded random problem: X (n×d, standard normal-ish), labels in 0..nClasses−1, positive weights. */
export function randomProblem(n: number, d: number, nClasses: number, seed: number) {
  const rng = createRng(seed);
  const gauss = () => {
    // Box–Muller; 1 − u keeps the log argument in (0, 1].
    const u = 1 - rng.next();
    const v = rng.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = gauss();
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = i < nClasses ? i : rng.int(nClasses);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 + rng.next();
  const vec = (len: number, scale = 1) => Float64Array.from({ length: len }, () => scale * gauss());
  return { X, y, w, vec, rng };
}
