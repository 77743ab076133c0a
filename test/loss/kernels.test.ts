import { describe, expect, it } from 'vitest';
import { Arena } from '../../src/backend/arena.js';
import { createRng } from '../../src/util/random.js';

// The vectorized exp and log1p of src/loss/wasm/vmath.ts against V8's Math.exp and Math.log1p
// (fdlibm ports, themselves within 1 ulp of the exact value): distances are counted in units in
// the last place, exactly, from the bit patterns.

function ulpDistance(a: number, b: number): number {
  if (a === b) return 0;
  const bits = new BigInt64Array(new Float64Array([a, b]).buffer);
  const d = bits[0]! - bits[1]!;
  return Number(d < 0n ? -d : d);
}

/** f applied by the kernel `name` to every value (an even count of them). */
function viaKernel(name: string, values: number[]): Float64Array {
  const n = values.length + (values.length % 2);
  const arena = new Arena(n * 8);
  const { ptr, view } = arena.float64(n);
  view.set(values);
  arena.fn(name)(ptr, n);
  return Float64Array.from(view.subarray(0, values.length));
}

describe('vectorized exp', () => {
  it('is within 1 ulp of Math.exp on [−708, 0]', () => {
    const rng = createRng(3);
    const xs = Array.from({ length: 200_000 }, (_, i) => (i % 2 === 0 ? -708 * rng.next() : -2 * rng.next()));
    const got = viaKernel('expArray', xs);
    let worst = 0;
    xs.forEach((x, i) => {
      worst = Math.max(worst, ulpDistance(got[i]!, Math.exp(x)));
    });
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('is exact at 0, flushes below the normal range to 0 and keeps NaN', () => {
    const got = viaKernel('expArray', [0, -0, -1e-300, -5e-324, -708.39, -708.4, -745.2, -1e308, -Infinity, NaN]);
    expect(got[0]).toBe(1);
    expect(got[1]).toBe(1);
    expect(got[2]).toBe(1);
    expect(got[3]).toBe(1);
    expect(got[4]).toBeGreaterThan(2.2250738585072014e-308 * 0.999);
    expect(Array.from(got.subarray(5, 9))).toEqual([0, 0, 0, 0]);
    expect(got[9]).toBeNaN();
  });

  it('is within 1 ulp of Math.exp for the positive arguments it supports (up to 709.77)', () => {
    const xs = [1e-10, 0.5, 1, 10, 100, 700, 709.77];
    const got = viaKernel('expArray', xs);
    xs.forEach((x, i) => expect(ulpDistance(got[i]!, Math.exp(x))).toBeLessThanOrEqual(1));
  });
});

describe('vectorized log1p', () => {
  it('is within 1 ulp of Math.log1p on [0, 20] and on tiny and huge arguments', () => {
    const rng = createRng(4);
    const xs: number[] = Array.from({ length: 200_000 }, (_, i) => (i % 2 === 0 ? rng.next() : 20 * rng.next()));
    for (let e = -320; e <= 300; e += 7) xs.push(10 ** e);
    xs.push(0, 2 ** -52, 2 ** -53, 2 ** -54, 1, 1 - 2 ** -53, 2 ** 1022);
    const got = viaKernel('log1pArray', xs);
    let worst = 0;
    xs.forEach((x, i) => {
      worst = Math.max(worst, ulpDistance(got[i]!, Math.log1p(x)));
    });
    expect(worst).toBeLessThanOrEqual(1);
  });
});
