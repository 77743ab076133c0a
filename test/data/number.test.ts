import { describe, expect, it } from 'vitest';
import { readCsvSource } from '../../src/data/csvReader.js';
import { parseCell } from '../../src/data/number.js';
import { bytesSource } from '../../src/data/source.js';
import { createRng } from '../../src/util/random.js';

// The reader decides numbers in the kernel module (Clinger's exact fast path on up to 15
// significant digits) and leaves longer ones to Number(); either way every cell must be
// bit-identical to Number() of its text. A one-column file of the cells, read whole, in windows
// small enough that undecided numbers fall in every position of a window.
function viaReader(cells: string[], windowBytes = 1 << 20): Float64Array {
  const t = readCsvSource(bytesSource('n.csv', Buffer.from(`x,label\n${cells.map((f) => `${f},0`).join('\n')}\n`, 'utf8')), { windowBytes });
  const c = t.columns[0]!;
  if (c.kind !== 'numeric') throw new Error('the column was not read as numbers');
  return c.values;
}

function expectSameAsNumber(cells: string[], windowBytes?: number) {
  const got = viaReader(cells, windowBytes);
  cells.forEach((s, i) => {
    if (!Object.is(got[i], Number(s))) throw new Error(`${JSON.stringify(s)} read as ${got[i]}, Number() gives ${Number(s)}`);
  });
}

describe('numbers read by the CSV reader equal Number() bit for bit', () => {
  const picked = ['0', '-0', '+1', '1.', '.5', '-.5', '3.14159', '1e5', '1E-5', '2.5e+3', '-1.234567890123e-7', '123456789012345',
    '1234567890123456789', '1e23', '1e-23', '9007199254740993', '0.1', '0.30000000000000004', ' 7', '7 ', '1e400', '-1e400',
    '00012.5000', '5e-324', '1.7976931348623157e308', '\u00a07', '7\u2003', '12345678', '123456789', '1234567.8', '0.00000001',
    '99999999999999.9', '1e22', '1e-22', '12345678e-5', '-87654321.12345678', '0.000000000000000000012345678901234567890',
    '123456789012345678901234567890e-10', '1e-400'];
  it('hand-picked forms', () => {
    expectSameAsNumber(picked);
    expectSameAsNumber(picked, 64);
  });

  it('200,000 seeded random decimals of the %.9g kind and others', () => {
    const rng = createRng(12);
    const cells: string[] = [];
    for (let t = 0; t < 200_000; t++) {
      const mant = (rng.next() * 2 - 1) * 10 ** (rng.int(12) - 4);
      cells.push(t % 3 === 0 ? mant.toPrecision(1 + rng.int(17)) : t % 3 === 1 ? mant.toExponential(rng.int(16)) : mant.toFixed(rng.int(12)));
    }
    expectSameAsNumber(cells);
  });

  it('parseCell (option values, labels) follows the same notation: decimal only', () => {
    expect(parseCell(' 2.5 ')).toBe(2.5);
    expect(parseCell('-inf')).toBe(-Infinity);
    expect(parseCell('2,5', ',')).toBe(2.5);
    for (const bad of ['0x1f', '0b1', '0o7', '1_000', '', 'Infinityx', '2,5', '1e', '.']) expect(parseCell(bad)).toBeNull();
    expect(parseCell('2.5', ',')).toBeNull();
  });
});
