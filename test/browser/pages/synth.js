// The browser test's synthetic binary problem, in plain JavaScript so that the page and Node.js
// generate it with the same code: the size of the benchmark's "bin 100k×100" (bench/run.ts), n×d
// features and labels from a random linear model with noise. Its random stream is
// src/util/random.ts's (xoshiro128** seeded through SplitMix32; the test checks it value for
// value), and it uses no Math.log, Math.cos or Math.exp: those differ in the last bit between
// V8 versions (Node 20 and a current Chromium disagree on a few percent of arguments), so the
// benchmark's Box–Muller features would not be the same data in both. Normal deviates are
// Irwin–Hall sums of 12 uniforms less 6 (sums of 32-bit fractions, exact in float64), and the
// noise of the labels is such a deviate scaled to the logistic's standard deviation (π/√3).

function splitmix32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x, k) => ((x << k) | (x >>> (32 - k))) >>> 0;

/** xoshiro128**: uniform floats in [0, 1) with 32 random bits. */
export function uniform(seed) {
  const init = splitmix32(Math.trunc(seed) >>> 0);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result / 4294967296;
  };
}

/** The binary problem: X (n·d values, row-major) and labels y (0 or 1). */
export function synthBinary(n, d, seed) {
  const next = uniform(seed);
  const gauss = () => {
    let s = 0;
    for (let k = 0; k < 12; k++) s += next();
    return s - 6;
  };
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = gauss();
  const W = Float64Array.from({ length: d }, () => gauss() / Math.sqrt(d));
  const y = new Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let j = 0; j < d; j++) z += W[j] * X[i * d + j];
    y[i] = 2 * z + 1.8138 * gauss() > 0 ? 1 : 0;
  }
  return { X, y };
}

/** The bytes of float64 values as hexadecimal text: equal texts mean equal bits. */
export function hex(values) {
  const f = Float64Array.from(values);
  return Array.from(new Uint8Array(f.buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}
