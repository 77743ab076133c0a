/** Powers of ten that are exact in binary64: 10⁰ … 10²². */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

const utf8 = new TextDecoder();

/** Where the last scanDecimal stopped (a byte offset). */
let stop = 0;

/**
 * Reads a decimal number [+-]digits[.digits][(e|E)[+-]digits] from bytes[start..] and stops at the
 * first byte that cannot continue it, or at the end of the bytes (`stop` tells where). Clinger's fast path: when the
 * digits make at most 15 significant figures (an exact integer m below 2⁵³) and the decimal exponent
 * e has |e| ≤ 22 (so 10^|e| is exact), the value is m·10^e or m / 10^−e, one correctly rounded
 * operation on exact operands, which is bit-identical to Number() of the same text. Returns NaN
 * when it cannot decide (no digits, more digits, a larger exponent): the caller then asks Number().
 */
function scanDecimal(bytes: Uint8Array, start: number): number {
  let p = start;
  // Past the end, bytes[p] is undefined, which ends the number like any other non-digit.
  let c = bytes[p]!;
  let sign = 1;
  if (c === 45 /* - */ || c === 43 /* + */) {
    if (c === 45) sign = -1;
    c = bytes[++p]!;
  }
  let m = 0;
  let digits = 0;
  let frac = 0;
  let seenDot = false;
  for (;;) {
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (seenDot) frac++;
    } else if (c === 46 /* . */ && !seenDot) {
      seenDot = true;
    } else break;
    c = bytes[++p]!;
  }
  let exp = 0;
  if (digits > 0 && (c === 101 || c === 69) /* e E */) {
    c = bytes[++p]!;
    let esign = 1;
    if (c === 45 || c === 43) {
      if (c === 45) esign = -1;
      c = bytes[++p]!;
    }
    const e0 = p;
    while (c >= 48 && c <= 57) {
      exp = exp * 10 + (c - 48);
      c = bytes[++p]!;
    }
    stop = p;
    if (p === e0 || p - e0 > 4) return NaN;
    exp *= esign;
  }
  stop = p;
  const e = exp - frac;
  if (digits === 0 || digits > 15 || e > 22 || e < -22) return NaN;
  return sign * (e >= 0 ? m * POW10[e]! : m / POW10[-e]!);
}

/**
 * Number() of the text in bytes [start, end) of a UTF-8 file, without making the string in the
 * common decimal forms (scanDecimal). Anything else (more digits, larger exponents, spaces,
 * "Infinity", hex, …) goes to Number() on the text.
 */
export function parseNumber(bytes: Uint8Array, start: number, end: number): number {
  const v = scanDecimal(bytes, start);
  return stop === end && !Number.isNaN(v) ? v : Number(fieldText(bytes, start, end));
}

/** The text of bytes [start, end) of a UTF-8 file (for fields that are not plain decimal numbers). */
export function fieldText(bytes: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let p = start; p < end && ascii; p++) ascii = bytes[p]! < 128;
  if (!ascii) return utf8.decode(bytes.subarray(start, end));
  let s = '';
  for (let p = start; p < end; p++) s += String.fromCharCode(bytes[p]!);
  return s;
}
