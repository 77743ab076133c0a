import { describe, expect, it } from 'vitest';
import { parseNumber } from '../../src/data/number.js';
import { createRng } from '../../src/util/random.js';

// parseNumber reads a field from a file's bytes and must be bit-identical to Number() on its
// text, fast path or not.
const same = (s: string) => {
  const bytes = Buffer.from(`x,${s},y`, 'utf8');
  const got = parseNumber(bytes, 2, bytes.length - 2);
  expect(Object.is(got, Number(s))).toBe(true);
};

describe('parseNumber equals Number() bit for bit', () => {
  it('hand-picked forms', () => {
    for (const s of ['0', '-0', '+1', '1.', '.5', '-.5', '3.14159', '1e5', '1E-5', '2.5e+3', '-1.234567890123e-7', '123456789012345',
      '1234567890123456789', '1e23', '1e-23', '9007199254740993', '0.1', '0.30000000000000004', '1e400', ' 7', '7 ', 'abc', '1e', '1.2.3',
      '0x10', 'Infinity', '-', '.', '00012.5000', '5e-324', '1.7976931348623157e308', '\u00a07', '7\u2003', 'é']) same(s);
  });
  it('200,000 seeded random decimals of the %.9g kind and others', () => {
    const rng = createRng(12);
    for (let t = 0; t < 200_000; t++) {
      const mant = (rng.next() * 2 - 1) * 10 ** (rng.int(12) - 4);
      const s = t % 3 === 0 ? mant.toPrecision(1 + rng.int(17)) : t % 3 === 1 ? mant.toExponential(rng.int(16)) : mant.toFixed(rng.int(12));
      same(s);
    }
  });
});
