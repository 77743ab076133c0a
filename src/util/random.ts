/**
 * Seeded pseudo-random numbers: a leaf utility shared by SGD shuffles and stratified splits.
 *
 * Generator: xoshiro128** (Blackman & Vigna), 128-bit state seeded through SplitMix32, so that
 * every 32-bit seed (including 0) gives a well-mixed, reproducible stream on every platform.
 */
export interface Rng {
  /** A uniform float in [0, 1) with 32 random bits. */
  next(): number;
  /** A uniform integer in [0, n), n ≥ 1, without modulo bias. */
  int(n: number): number;
  /** Shuffles `a` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Creates a generator from an integer seed (taken modulo 2³²). */
export function createRng(seed: number): Rng {
  const init = splitmix32(Math.trunc(seed) >>> 0);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const rng: Rng = {
    next: () => nextU32() / 4294967296,
    int: (n: number) => {
      // Rejection sampling on the top of the 32-bit range removes modulo bias.
      const limit = 4294967296 - (4294967296 % n);
      let u = nextU32();
      while (u >= limit) u = nextU32();
      return u % n;
    },
    shuffle: (arr) => {
      for (let i = arr.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const tmp = arr[i];
        arr[i] = arr[j];
        arr[j] = tmp;
      }
      return arr;
    },
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
