/** Powers of ten that are exact in binary64: 10⁰ … 10²². */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Number(text.slice(start, end)), without the slice for the common decimal forms. Clinger's fast
 * path: a field of at most 15 digits (so the digit string m is an exact integer below 2⁵³) with a
 * decimal exponent e, |e| ≤ 22 (so 10^|e| is exact), is m·10^e or m / 10^−e, one correctly rounded
 * operation on exact operands: bit-identical to Number(). Anything else (more digits, larger
 * exponents, spaces, "Infinity", hex, …) goes to Number() on the slice.
 */
export function parseNumber(text: string, start: number, end: number): number {
  let p = start;
  let sign = 1;
  let c = text.charCodeAt(p);
  if (c === 45 /* - */ || c === 43 /* + */) {
    if (c === 45) sign = -1;
    p++;
  }
  let m = 0;
  let digits = 0;
  let frac = 0;
  let seenDot = false;
  let any = false;
  for (; p < end; p++) {
    c = text.charCodeAt(p);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      any = true;
      if (seenDot) frac++;
    } else if (c === 46 /* . */ && !seenDot) {
      seenDot = true;
    } else break;
  }
  let exp = 0;
  if (p < end && any && (c === 101 || c === 69) /* e E */) {
    p++;
    let esign = 1;
    c = text.charCodeAt(p);
    if (c === 45 || c === 43) {
      if (c === 45) esign = -1;
      p++;
    }
    const e0 = p;
    for (; p < end; p++) {
      c = text.charCodeAt(p);
      if (c < 48 || c > 57 || p - e0 > 4) break;
      exp = exp * 10 + (c - 48);
    }
    if (p === e0) return Number(text.slice(start, end));
    exp *= esign;
  }
  if (p !== end || !any || digits > 15) return Number(text.slice(start, end));
  const e = exp - frac;
  if (e > 22 || e < -22) return Number(text.slice(start, end));
  return sign * (e >= 0 ? m * POW10[e]! : m / POW10[-e]!);
}
