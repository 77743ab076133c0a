// AssemblyScript (compiled to WebAssembly by `npm run build`, not by tsc).
//
// The rows of a plain numeric CSV file, parsed straight into a row-major float64 matrix: the bulk
// of src/data/fastpath.ts. The file's bytes are copied into kernel memory a window at a time;
// lineStarts finds where the window's rows begin, and parseRows (a chunked pass, so several
// threads share a window) reads rows [r0, r1).
//
// A number is decided here only when that is exact: a plain decimal [+-]digits[.digits][e[+-]digits]
// of at most 15 significant digits with a decimal exponent of at most 22 in magnitude (Clinger's
// fast path: m·10^e or m/10^−e, one correctly rounded operation on exact operands, so bit for bit
// what Number() gives). Any other field gets NaN, and the JavaScript side reads it with Number()
// (an exact parser for long decimals would be a project of its own). Anything that is not a row
// of the file's shape — a field too many or too few, an empty feature, a blank label, a lone
// carriage return, a negative weight — stops the pass, and the file is read by csv-parse instead,
// which names the line and column.

/** 10⁰ … 10²², every one exact in binary64. */
const POW10 = memory.data<f64>([
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
]);

/** Where the last call of `decimal` stopped (a global: each thread has its own instance). */
let stop: i32 = 0;

@inline function byteAt(bytes: usize, p: i32): i32 {
  return <i32>load<u8>(bytes + <usize>p);
}

/**
 * Whether the 8 bytes at p are all ASCII digits: every byte's high nibble is 3, and stays 3 when 6
 * is added (fast_float's is_made_of_eight_digits_fast, Lemire et al.).
 */
@inline function eightDigits(v: u64): bool {
  return ((v & 0xf0f0f0f0f0f0f0f0) | (((v + 0x0606060606060606) & 0xf0f0f0f0f0f0f0f0) >> 4)) == 0x3333333333333333;
}

/**
 * The value of 8 ASCII digits loaded little-endian (the first digit in the lowest byte), combined
 * pairwise in three multiplications (fast_float's parse_eight_digits_unrolled).
 */
@inline function eightDigitValue(v: u64): u64 {
  v -= 0x3030303030303030;
  v = v * 10 + (v >> 8);
  return (((v & 0x000000ff000000ff) * (100 + (<u64>1000000 << 32))) + (((v >> 16) & 0x000000ff000000ff) * (1 + (<u64>10000 << 32)))) >> 32;
}

/**
 * The decimal at bytes[p..len), as Number() would read it, when Clinger's fast path decides it;
 * NaN when it does not (no digits, more than 15 of them, a large exponent). Sets `stop` to the
 * first byte that does not continue the number. Digits are accumulated as an integer, eight at a
 * time where there are eight (bytes must have 8 readable bytes past len).
 */
function decimal(bytes: usize, p: i32, len: i32): f64 {
  let c = p < len ? byteAt(bytes, p) : -1;
  let negative = false;
  if (c == 45 || c == 43) {
    negative = c == 45;
    p++;
    c = p < len ? byteAt(bytes, p) : -1;
  }
  let m: u64 = 0;
  let digits = 0;
  let frac = 0;
  for (let part = 0; part < 2; part++) {
    const first = digits;
    while (p + 8 <= len) {
      const v = load<u64>(bytes + <usize>p);
      if (!eightDigits(v)) break;
      m = m * 100000000 + eightDigitValue(v);
      digits += 8;
      p += 8;
    }
    c = p < len ? byteAt(bytes, p) : -1;
    while (c >= 48 && c <= 57) {
      m = m * 10 + <u64>(c - 48);
      digits++;
      p++;
      c = p < len ? byteAt(bytes, p) : -1;
    }
    if (part == 1) frac = digits - first;
    else if (c == 46) {
      p++;
      c = p < len ? byteAt(bytes, p) : -1;
    } else break;
  }
  let exp = 0;
  if (digits > 0 && (c == 101 || c == 69)) {
    p++;
    c = p < len ? byteAt(bytes, p) : -1;
    let eneg = false;
    if (c == 45 || c == 43) {
      eneg = c == 45;
      p++;
      c = p < len ? byteAt(bytes, p) : -1;
    }
    const e0 = p;
    while (c >= 48 && c <= 57 && p - e0 < 5) {
      exp = exp * 10 + (c - 48);
      p++;
      c = p < len ? byteAt(bytes, p) : -1;
    }
    stop = p;
    if (p == e0 || (c >= 48 && c <= 57)) return NaN;
    if (eneg) exp = -exp;
  }
  stop = p;
  const e = exp - frac;
  if (digits == 0 || digits > 15 || e > 22 || e < -22) return NaN;
  const mf = <f64>m; // exact: below 10¹⁵ < 2⁵³
  const v = e >= 0 ? mf * load<f64>(POW10 + (<usize>e << 3)) : mf / load<f64>(POW10 + (<usize>-e << 3));
  return negative ? -v : v;
}

/** The end of the field that starts at p: the next delimiter, line break, or len. */
@inline function fieldEnd(bytes: usize, p: i32, len: i32, sep: i32): i32 {
  while (p < len) {
    const b = byteAt(bytes, p);
    if (b == sep || b == 10 || b == 13) break;
    p++;
  }
  return p;
}

/** The next line feed at or after p (sixteen bytes at a time), or len. Needs 16 readable bytes past len. */
function nextLineFeed(bytes: usize, p: i32, len: i32): i32 {
  const lf = i8x16.splat(10);
  while (p < len) {
    const mask = i8x16.bitmask(i8x16.eq(v128.load(bytes + <usize>p), lf));
    if (mask != 0) {
      const q = p + ctz(mask);
      return q < len ? q : len;
    }
    p += 16;
  }
  return len;
}

/**
 * Writes the byte offsets of the rows of bytes[0..len) into starts (uint32) and returns their
 * count: every line is a row but an empty one (a line feed alone, or a carriage return and line
 * feed), which is skipped as csv-parse skips it. Returns −1 when there are more than cap rows.
 * bytes must have 16 readable bytes past len.
 */
export function lineStarts(bytes: usize, len: i32, starts: usize, cap: i32): i32 {
  let n = 0;
  let p = 0;
  while (p < len) {
    const b = byteAt(bytes, p);
    if (b == 10) {
      p++;
      continue;
    }
    if (b == 13 && p + 1 < len && byteAt(bytes, p + 1) == 10) {
      p += 2;
      continue;
    }
    if (n == cap) return -1;
    store<u32>(starts + (<usize>n << 2), p);
    n++;
    p = nextLineFeed(bytes, p, len) + 1;
  }
  return n;
}

/**
 * Parses rows [r0, r1) of a window (a chunked pass; `part` is unused). Row r starts at
 * starts[r] in bytes[0..len) and ends at its line break. Column j of the file goes to feature
 * colToFeature[j] of X (row-major, d per row; −1: not a feature), is the label (j = tj: its
 * byte span, offset by `offset`, into spans as two uint32, and its value when decided into
 * labels), the weight (j = wj, into weights) or is skipped. Undecided numbers are NaN. Returns 0,
 * or −1 − r for the first row r that is not a plain row of nCols fields.
 */
export function parseRows(
  r0: i32, r1: i32, part: usize, bytes: usize, len: i32, starts: usize, sep: i32, nCols: i32, colToFeature: usize, d: i32,
  X: usize, labels: usize, spans: usize, offset: u32, weights: usize, tj: i32, wj: i32,
): f64 {
  for (let r = r0; r < r1; r++) {
    let p = <i32>load<u32>(starts + (<usize>r << 2));
    const row = X + (<usize>r * <usize>d << 3);
    for (let col = 0; col < nCols; col++) {
      const c = load<i32>(colToFeature + (<usize>col << 2));
      let q: i32;
      if (c >= 0) {
        let v = decimal(bytes, p, len);
        q = stop;
        const b = q < len ? byteAt(bytes, q) : 10;
        if (!(b == sep || b == 10 || b == 13)) {
          q = fieldEnd(bytes, q, len, sep);
          v = NaN;
        }
        if (q == p) return <f64>(-1 - r);
        store<f64>(row + (<usize>c << 3), v);
      } else {
        q = fieldEnd(bytes, p, len, sep);
        if (col == tj) {
          let text = false;
          for (let t = p; t < q && !text; t++) text = byteAt(bytes, t) > 32;
          if (!text) return <f64>(-1 - r);
          store<u32>(spans + (<usize>r << 3), offset + <u32>p);
          store<u32>(spans + (<usize>r << 3), offset + <u32>q, 4);
          const v = decimal(bytes, p, len);
          store<f64>(labels + (<usize>r << 3), stop == q ? v : NaN);
        } else if (col == wj) {
          if (q == p) return <f64>(-1 - r);
          let v = decimal(bytes, p, len);
          if (stop != q) v = NaN;
          if (v < 0) return <f64>(-1 - r);
          store<f64>(weights + (<usize>r << 3), v);
        }
      }
      const b = q < len ? byteAt(bytes, q) : 10;
      if (b == sep) {
        if (col == nCols - 1) return <f64>(-1 - r);
        p = q + 1;
      } else {
        if (col != nCols - 1) return <f64>(-1 - r);
        if (b == 13 && !(q + 1 < len && byteAt(bytes, q + 1) == 10)) return <f64>(-1 - r);
      }
    }
  }
  return 0;
}
