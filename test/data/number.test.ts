import { describe, expect, it } from 'vitest';
import { fastNumericBody } from '../../src/data/fastpath.js';
import { parseNumber } from '../../src/data/number.js';
import { createRng } from '../../src/util/random.js';

// The fast path reads numbers in the kernel module (Clinger's exact fast path on up to 15 digits)
// and leaves the rest to Number(); either way every field must be bit-identical to Number() of its
// text. A one-column file of the fields, one per row, read by the whole fast path.
function viaFastPath(fields: string[]): Float64Array {
  const bytes = Buffer.from(`x,label\n${fields.map((f) => `${f},0`).join('\n')}\n`, 'utf8');
  const body = fastNumericBody(bytes, 8, ',', 2, [0], 1, -1);
  expect(body).not.toBeNull();
  return body!.X;
}

function expectSameAsNumber(fields: string[]) {
  const got = viaFastPath(fields);
  fields.forEach((s, i) => {
    if (!Object.is(got[i], Number(s))) throw new Error(`${JSON.stringify(s)} read as ${got[i]}, Number() gives ${Number(s)}`);
  });
}

describe('numbers read by the fast path equal Number() bit for bit', () => {
  it('hand-picked forms', () => {
    expectSameAsNumber(['0', '-0', '+1', '1.', '.5', '-.5', '3.14159', '1e5', '1E-5', '2.5e+3', '-1.234567890123e-7', '123456789012345',
      '1234567890123456789', '1e23', '1e-23', '9007199254740993', '0.1', '0.30000000000000004', ' 7', '7 ', '0x10',
      '00012.5000', '5e-324', '1.7976931348623157e308', '\u00a07', '7\u2003', '12345678', '123456789', '1234567.8', '0.00000001',
      '99999999999999.9', '1e22', '1e-22', '12345678e-5', '-87654321.12345678']);
  });

  it('200,000 seeded random decimals of the %.9g kind and others', () => {
    const rng = createRng(12);
    const fields: string[] = [];
    for (let t = 0; t < 200_000; t++) {
      const mant = (rng.next() * 2 - 1) * 10 ** (rng.int(12) - 4);
      fields.push(t % 3 === 0 ? mant.toPrecision(1 + rng.int(17)) : t % 3 === 1 ? mant.toExponential(rng.int(16)) : mant.toFixed(rng.int(12)));
    }
    expectSameAsNumber(fields);
  });

  it('parseNumber, for the fields the kernel leaves undecided, is Number() of the field text', () => {
    const bytes = Buffer.from('a,0x1f,"q",é7,1e400', 'utf8');
    expect(parseNumber(bytes, 2, 6)).toBe(31);
    expect(parseNumber(bytes, 7, 10)).toBeNaN();
    expect(parseNumber(bytes, bytes.length - 5, bytes.length)).toBe(Infinity);
  });
});
