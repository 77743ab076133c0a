// AssemblyScript (compiled to WebAssembly by `npm run build`, not by tsc).
//
// The body of a CSV file, read into typed columns: the bulk of src/data/csvReader.ts. The file is
// read a window of bytes at a time into kernel memory; `scanRows` finds where the window's rows
// begin (RFC 4180 quotes respected: a line break inside a quoted field does not end a row), and
// `parseRows` (a chunked pass, so several threads share a window) splits rows [r0, r1) into fields
// and writes every column that is read into its output: numbers for numeric columns, byte spans for
// text columns, which `internColumn` (one thread) then turns into level codes through a hash
// dictionary per column that lives across windows.
//
// Fields. An unquoted field is trimmed of spaces, tabs, Unicode spaces (no-break, narrow, em …) and
// byte-order marks at both ends (spaceAt); a quoted field ("…", with "" for a quote inside) is
// taken as written.
// A field that is then empty, or equals one of the missing-value tokens (NA, N/A, NaN, null by
// default; the caller passes them), is missing.
//
// Numbers. A numeric field is [+-]digits[.digits][(e|E)[+-]digits] or [+-].digits[…] with the
// caller's decimal mark ('.' or ','), or inf / infinity in any case with an optional sign. Nothing
// else is a number (no hex, binary or octal literals, no thousands separators): a field that is
// not missing and not a number flags its column as text, and the reader reads the file again with
// that column as text. A number is decided here only when that is exact: at most 15 significant
// digits and a decimal exponent of at most 22 in magnitude (Clinger's fast path: m·10^e or m/10^−e,
// one correctly rounded operation on exact operands, so bit for bit what Number() gives). A longer
// number is written as an "undecided" NaN whose payload holds the field's byte span, and the
// JavaScript side reads it with Number() (src/data/number.ts). A missing number is the ordinary NaN.
//
// Pointers are byte offsets into linear memory; every byte buffer must have 16 readable bytes past
// its length (the SIMD scans read whole vectors).

/** 10⁰ … 10²², every one exact in binary64. */
const POW10 = memory.data<f64>([
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
]);

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Column kinds, as the caller marks every column of the file. */
const SKIP = 0;
const NUMERIC = 1;
const TEXT = 2;

/** The span written for a missing text field. */
const MISSING_SPAN: u32 = 0xffffffff;
/** Bit 31 of a span's length: the field was quoted and holds "" escapes (internColumn unescapes). */
const ESCAPED: u32 = 0x80000000;
/**
 * High word of an undecided number: a quiet NaN with bit 50 set (the ordinary NaN has it clear),
 * the field's length in bits 32..49 and its byte offset in the window in bits 0..31.
 */
const UNDECIDED_HIGH: u64 = 0x7ffc000000000000;
const UNDECIDED_MAX_LENGTH: i32 = 0x3ffff;

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

/** What `decimal` found besides a decided value. */
let undecided = false;

/**
 * The decimal in bytes[p..len) (decimal mark `dec`), when Clinger's fast path decides it; NaN
 * otherwise. Sets `stop` to the first byte that does not continue the number, and `undecided` when
 * the text is a well-formed decimal the fast path cannot decide (more than 15 significant digits,
 * a large exponent). Digits are accumulated as an integer, eight at a time where there are eight.
 */
function decimal(bytes: usize, p: i32, len: i32, dec: i32): f64 {
  undecided = false;
  let c = p < len ? byteAt(bytes, p) : -1;
  let negative = false;
  if (c == 45 || c == 43) {
    negative = c == 45;
    p++;
    c = p < len ? byteAt(bytes, p) : -1;
  }
  let m: u64 = 0;
  let digits = 0;
  let significant = 0;
  let frac = 0;
  let dropped = 0;
  for (let part = 0; part < 2; part++) {
    const first = digits;
    // Leading zeros are not significant (0.000000000000000123 has three significant digits).
    if (significant == 0) {
      while (c == 48) {
        digits++;
        p++;
        c = p < len ? byteAt(bytes, p) : -1;
      }
    }
    while (p + 8 <= len && significant + 8 <= 19) {
      const v = load<u64>(bytes + <usize>p);
      if (!eightDigits(v)) break;
      m = m * 100000000 + eightDigitValue(v);
      digits += 8;
      significant += 8;
      p += 8;
    }
    c = p < len ? byteAt(bytes, p) : -1;
    while (c >= 48 && c <= 57) {
      if (significant < 19) {
        m = m * 10 + <u64>(c - 48);
        if (m != 0) significant++;
      } else {
        dropped++;
      }
      digits++;
      p++;
      c = p < len ? byteAt(bytes, p) : -1;
    }
    if (part == 1) frac = digits - first;
    else if (c == dec) {
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
    let big = false;
    while (c >= 48 && c <= 57) {
      if (exp < 100000) exp = exp * 10 + (c - 48);
      else big = true;
      p++;
      c = p < len ? byteAt(bytes, p) : -1;
    }
    stop = p;
    if (p == e0) return NaN;
    if (eneg) exp = -exp;
    if (big) {
      undecided = true;
      return NaN;
    }
  }
  stop = p;
  if (digits == 0) return NaN;
  // Dropped digits past the 19th count in the exponent.
  const e = exp - frac + dropped;
  if (significant > 15 || e > 22 || e < -22) {
    undecided = true;
    return NaN;
  }
  const mf = <f64>m; // exact: below 10¹⁵ < 2⁵³
  const v = e >= 0 ? mf * load<f64>(POW10 + (<usize>e << 3)) : mf / load<f64>(POW10 + (<usize>-e << 3));
  return negative ? -v : v;
}

/** Lower-case ASCII. */
@inline function lower(b: i32): i32 {
  return b >= 65 && b <= 90 ? b + 32 : b;
}

/** ±Infinity when bytes[p..q) is inf or infinity (any case, optional sign), else 0. */
function infinity(bytes: usize, p: i32, q: i32): f64 {
  let sign = 1.0;
  if (p < q && (byteAt(bytes, p) == 45 || byteAt(bytes, p) == 43)) {
    if (byteAt(bytes, p) == 45) sign = -1;
    p++;
  }
  const n = q - p;
  if (n != 3 && n != 8) return 0;
  // "infinity", compared one lower-cased byte at a time.
  const word: u64 = 0x7974696e69666e69; // "infinity" little-endian
  for (let t = 0; t < n; t++) {
    if (lower(byteAt(bytes, p + t)) != <i32>((word >> (<u64>t << 3)) & 0xff)) return 0;
  }
  return sign * Infinity;
}

/**
 * Whether bytes[p..q) equals one of the missing-value tokens: `tokens` holds nTok records of a
 * uint32 length followed by that many bytes, each record padded to a multiple of 4 bytes.
 */
function isToken(bytes: usize, p: i32, q: i32, tokens: usize, nTok: i32): bool {
  const n = q - p;
  let t = tokens;
  for (let k = 0; k < nTok; k++) {
    const len = <i32>load<u32>(t);
    if (len == n && memory.compare(t + 4, bytes + <usize>p, <usize>n) == 0) return true;
    t += 4 + ((<usize>len + 3) & ~3);
  }
  return false;
}

/**
 * Length of the whitespace that starts at p, or 0: space, tab, and the Unicode spaces that data
 * copied from documents carry: U+00A0 (C2 A0), U+2000–U+200A (E2 80 80–8A), U+202F (E2 80 AF),
 * U+3000 (E3 80 80), and the byte-order mark U+FEFF (EF BB BF).
 */
@inline function spaceAt(bytes: usize, p: i32, q: i32): i32 {
  const b = byteAt(bytes, p);
  if (b == 32 || b == 9) return 1;
  if (b == 0xc2) return p + 1 < q && byteAt(bytes, p + 1) == 0xa0 ? 2 : 0;
  if (b < 0xe2 || b > 0xef || p + 2 >= q) return 0;
  const b1 = byteAt(bytes, p + 1);
  const b2 = byteAt(bytes, p + 2);
  if (b == 0xe2 && b1 == 0x80 && ((b2 >= 0x80 && b2 <= 0x8a) || b2 == 0xaf)) return 3;
  if (b == 0xe3 && b1 == 0x80 && b2 == 0x80) return 3;
  if (b == 0xef && b1 == 0xbb && b2 == 0xbf) return 3;
  return 0;
}

/** Length of the whitespace that ends at q (exclusive), or 0 (the same set as spaceAt). */
@inline function spaceBefore(bytes: usize, p: i32, q: i32): i32 {
  const b = byteAt(bytes, q - 1);
  if (b == 32 || b == 9) return 1;
  if (b == 0xa0) return q - 2 >= p && byteAt(bytes, q - 2) == 0xc2 ? 2 : 0;
  if (q - 3 < p) return 0;
  return spaceAt(bytes, q - 3, q) == 3 ? 3 : 0;
}

/** Where the last field that `nextField` read starts, ends, and whether it was quoted with escapes. */
let fieldStart: i32 = 0;
let fieldEnd: i32 = 0;
let fieldQuoted = false;
let fieldEscaped = false;

/**
 * Reads the field that starts at p in a row of bytes[..len): sets fieldStart/fieldEnd to its
 * content (trimmed, or inside the quotes) and returns the position of the byte after it (a
 * delimiter, a line break, or len); −1 when a quoted field is followed by something other than
 * spaces and a delimiter or line break.
 */
function nextField(bytes: usize, p: i32, len: i32, sep: i32): i32 {
  fieldQuoted = false;
  fieldEscaped = false;
  if (p < len && byteAt(bytes, p) == QUOTE) {
    fieldQuoted = true;
    // The closing quote: the first quote not followed by another ("" is a quote inside).
    let c = p + 1;
    while (c < len) {
      if (byteAt(bytes, c) == QUOTE) {
        if (c + 1 >= len || byteAt(bytes, c + 1) != QUOTE) break;
        fieldEscaped = true;
        c += 2;
      } else {
        c++;
      }
    }
    fieldStart = p + 1;
    fieldEnd = min(c, len);
    c++;
    while (c < len && (byteAt(bytes, c) == 32 || byteAt(bytes, c) == 9)) c++;
    if (c < len) {
      const b = byteAt(bytes, c);
      if (b != sep && b != LF && b != CR) return -1;
    }
    return min(c, len);
  }
  let q = p;
  while (q < len) {
    const b = byteAt(bytes, q);
    if (b == sep || b == LF || b == CR) break;
    q++;
  }
  let a = p;
  let e = q;
  for (let s = a < e ? spaceAt(bytes, a, e) : 0; s > 0; s = a < e ? spaceAt(bytes, a, e) : 0) a += s;
  for (let s = a < e ? spaceBefore(bytes, a, e) : 0; s > 0; s = a < e ? spaceBefore(bytes, a, e) : 0) e -= s;
  fieldStart = a;
  fieldEnd = e;
  return q;
}

/** Set by scanRows: bytes of the window taken by complete rows, and the line breaks among them. */
let scanConsumed: i32 = 0;
let scanLines: i32 = 0;
/** Line feeds skipped inside the last quoted field skipQuoted crossed. */
let quotedLines: i32 = 0;

/** Bytes of the window taken by the rows of the last scanRows call. */
export function scannedBytes(): i32 {
  return scanConsumed;
}

/** Line breaks in those bytes (for line numbers). */
export function scannedLines(): i32 {
  return scanLines;
}

/** The first offset ≥ p of a line feed, carriage return or quote in bytes[0..len), or len (sixteen bytes at a time). */
function nextSpecial(bytes: usize, p: i32, len: i32): i32 {
  const lf = i8x16.splat(<i8>LF);
  const cr = i8x16.splat(<i8>CR);
  const qt = i8x16.splat(<i8>QUOTE);
  while (p < len) {
    const v = v128.load(bytes + <usize>p);
    const mask = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, lf), i8x16.eq(v, cr)), i8x16.eq(v, qt)));
    if (mask != 0) return min(p + <i32>ctz(mask), len);
    p += 16;
  }
  return len;
}

/**
 * The closing quote of the quoted field whose content starts at p (a quote not followed by
 * another; "" is a quote inside), or len when there is none in bytes[0..len). Counts the line
 * feeds inside into quotedLines.
 */
function skipQuoted(bytes: usize, p: i32, len: i32): i32 {
  const lf = i8x16.splat(<i8>LF);
  const qt = i8x16.splat(<i8>QUOTE);
  let lines = 0;
  for (;;) {
    let q = len;
    while (p < len) {
      const v = v128.load(bytes + <usize>p);
      const quotes = i8x16.bitmask(i8x16.eq(v, qt));
      let feeds = i8x16.bitmask(i8x16.eq(v, lf));
      const valid = len - p >= 16 ? 0xffff : (1 << (len - p)) - 1;
      if (quotes != 0) {
        const at = <i32>ctz(quotes);
        feeds &= (1 << at) - 1;
        lines += <i32>popcnt(feeds & valid);
        q = min(p + at, len);
        break;
      }
      lines += <i32>popcnt(feeds & valid);
      p += 16;
    }
    if (q + 1 < len && byteAt(bytes, q + 1) == QUOTE) {
      p = q + 2;
      continue;
    }
    quotedLines = lines;
    return q;
  }
}

/**
 * Finds the rows of bytes[0..len): writes their start offsets (uint32) to starts and returns how
 * many, at most cap. A row ends at a line feed, a carriage return and line feed, or a lone carriage
 * return, outside quotes; empty lines are not rows. A quote opens a quoted field only at the start of
 * a field (right after the delimiter `sep` or at the row's start); elsewhere it is an ordinary byte.
 * When `final` is 0, a row not known to be complete (no line break after it yet, or a quoted field
 * or a CR-LF pair cut by the window's end) is left for the next window. Sets scannedBytes() (the
 * offset after the last complete row) and scannedLines(). Returns −1 − (offset of the opening
 * quote) when `final` is set and a quoted field is never closed.
 */
export function scanRows(bytes: usize, len: i32, final: i32, sep: i32, starts: usize, cap: i32): i32 {
  let n = 0;
  let p = 0;
  let lines = 0;
  scanConsumed = 0;
  scanLines = 0;
  while (p < len && n < cap) {
    const b = byteAt(bytes, p);
    if (b == LF || b == CR) {
      if (b == CR && p + 1 >= len && final == 0) break;
      p += b == CR && p + 1 < len && byteAt(bytes, p + 1) == LF ? 2 : 1;
      lines++;
      scanConsumed = p;
      scanLines = lines;
      continue;
    }
    const start = p;
    let inside = 0;
    let end = len;
    let complete = true;
    for (;;) {
      const q = nextSpecial(bytes, p, len);
      if (q >= len) break;
      if (byteAt(bytes, q) != QUOTE) {
        end = q;
        break;
      }
      if (q != start && byteAt(bytes, q - 1) != sep) {
        p = q + 1;
        continue;
      }
      const close = skipQuoted(bytes, q + 1, len);
      inside += quotedLines;
      if (close >= len) {
        if (final != 0) return -1 - q;
        complete = false;
        break;
      }
      if (close + 1 >= len && final == 0) {
        complete = false;
        break;
      }
      p = close + 1;
    }
    if (!complete) break;
    if (end == len) {
      if (final == 0) break;
      store<u32>(starts + (<usize>n << 2), start);
      n++;
      p = len;
    } else {
      const c = byteAt(bytes, end);
      if (c == CR && end + 1 >= len && final == 0) break;
      store<u32>(starts + (<usize>n << 2), start);
      n++;
      p = end + (c == CR && end + 1 < len && byteAt(bytes, end + 1) == LF ? 2 : 1);
      lines++;
    }
    lines += inside;
    scanConsumed = p;
    scanLines = lines;
  }
  return n;
}

/**
 * Parses rows [r0, r1) of a window (a chunked pass). Row r starts at starts[r] in bytes[0..len).
 * For every column j of the file (nCols of them), kinds[j] (int32) says what to do: 0 skip it,
 * 1 read a number into numOut + 8·(slots[j]·cap + r), 2 write the content's span (uint32 offset,
 * uint32 length, bit 31 set when "" escapes need undoing; 0xffffffff for a missing field) to
 * spanOut + 8·(slots[j]·cap + r). A numeric column that meets a field that is neither missing nor a
 * number gets textSeen[j] (uint8) set to 1 (the reader then reads the file again with that column
 * as text). Missing numbers are NaN; undecided ones are the tagged NaN described above.
 * `part` (the chunk's own area) receives the count of undecided numbers, then one count of missing
 * values per column of the file (nCols float64s), then the length of the longest field with ""
 * escapes (internColumns needs that much scratch to undo them). tokenFirst is a 256-byte table: non-zero for the
 * first bytes of the missing-value tokens. Returns 0, or
 * −1 − r for the chunk's first row r that does not have nCols fields or has a malformed quoted field.
 */
export function parseRows(
  r0: i32, r1: i32, part: usize, bytes: usize, len: i32, starts: usize, sep: i32, dec: i32, nCols: i32, kinds: usize, slots: usize,
  numOut: usize, spanOut: usize, cap: i32, tokens: usize, nTok: i32, textSeen: usize, tokenFirst: usize,
): f64 {
  let pending = 0;
  let longestEscaped = 0;
  memory.fill(part + 8, 0, <usize>nCols << 3);
  for (let r = r0; r < r1; r++) {
    let p = <i32>load<u32>(starts + (<usize>r << 2));
    for (let col = 0; col < nCols; col++) {
      const kind = load<i32>(kinds + (<usize>col << 2));
      let q: i32;
      if (kind == NUMERIC) {
        // The common case: a plain number right up to the delimiter, decided in one scan.
        const v = decimal(bytes, p, len, dec);
        q = stop;
        const b = q < len ? byteAt(bytes, q) : LF;
        if (q > p && (b == sep || b == LF || b == CR) && !isNaN(v)) {
          store<f64>(numOut + ((<usize>load<i32>(slots + (<usize>col << 2)) * <usize>cap + <usize>r) << 3), v);
          if (b == sep) {
            if (col == nCols - 1) return <f64>(-1 - r);
            p = q + 1;
          } else if (col != nCols - 1) {
            return <f64>(-1 - r);
          }
          continue;
        }
      }
      q = nextField(bytes, p, len, sep);
      if (q < 0) return <f64>(-1 - r);
      if (kind != SKIP) {
        const at = <usize>load<i32>(slots + (<usize>col << 2)) * <usize>cap + <usize>r;
        const a = fieldStart;
        const e = fieldEnd;
        if (kind == NUMERIC) {
          // The common case first: a number, decided here.
          let v = fieldEscaped ? NaN : decimal(bytes, a, e, dec);
          if (stop != e || fieldEscaped || isNaN(v)) {
            if (missingField(bytes, a, e, tokens, nTok, tokenFirst)) {
              v = NaN;
              countMissing(part, col);
            } else if (!fieldEscaped && stop == e && undecided && e - a <= UNDECIDED_MAX_LENGTH) {
              v = reinterpret<f64>(UNDECIDED_HIGH | (<u64>(e - a) << 32) | <u64>a);
              pending++;
            } else {
              v = fieldEscaped ? 0 : infinity(bytes, a, e);
              if (v == 0) {
                v = NaN;
                store<u8>(textSeen + <usize>col, 1);
              }
            }
          }
          store<f64>(numOut + (at << 3), v);
        } else {
          const o = spanOut + (at << 3);
          if (missingField(bytes, a, e, tokens, nTok, tokenFirst)) {
            countMissing(part, col);
            store<u32>(o, 0);
            store<u32>(o, MISSING_SPAN, 4);
          } else {
            store<u32>(o, a);
            store<u32>(o, <u32>(e - a) | (fieldEscaped ? ESCAPED : 0), 4);
            if (fieldEscaped) longestEscaped = max(longestEscaped, e - a);
          }
        }
      }
      const b = q < len ? byteAt(bytes, q) : LF;
      if (b == sep) {
        if (col == nCols - 1) return <f64>(-1 - r);
        p = q + 1;
      } else if (col != nCols - 1) {
        return <f64>(-1 - r);
      }
    }
  }
  store<f64>(part, <f64>pending);
  store<f64>(part + 8 + (<usize>nCols << 3), <f64>longestEscaped);
  return 0;
}

/**
 * Whether the field just read (bytes[a..e), per nextField) is missing: empty, a missing-value
 * token (tokenFirst[b] ≠ 0 for the first bytes b of the tokens, so most fields skip the token
 * comparison), or whitespace inside quotes (an unquoted field was trimmed already).
 */
@inline function missingField(bytes: usize, a: i32, e: i32, tokens: usize, nTok: i32, tokenFirst: usize): bool {
  if (a == e) return true;
  if (load<u8>(tokenFirst + <usize>byteAt(bytes, a)) != 0 && isToken(bytes, a, e, tokens, nTok)) return true;
  return fieldQuoted && allSpace(bytes, a, e);
}

/** One more missing value in column col, counted in the chunk's area after its undecided count. */
@inline function countMissing(part: usize, col: i32): void {
  const o = part + 8 + (<usize>col << 3);
  store<f64>(o, load<f64>(o) + 1);
}

/** Whether bytes[p..q) is all whitespace (a quoted field of spaces is missing too). */
function allSpace(bytes: usize, p: i32, q: i32): bool {
  while (p < q) {
    const s = spaceAt(bytes, p, q);
    if (s == 0) return false;
    p += s;
  }
  return true;
}

// The dictionary of a text column: a header of int32 fields at `dict`, arrays the caller allocates.
const D_COUNT = 0; // levels so far
const D_SLOTS = 1; // pointer to the slots: uint32, 0 empty, else level + 1
const D_SLOT_MASK = 2; // slot count − 1 (a power of two)
const D_OFFSETS = 3; // pointer to the levels' byte offsets in the pool (uint32)
const D_LENGTHS = 4; // pointer to their lengths (uint32)
const D_HASHES = 5; // pointer to their hashes (uint32)
const D_POOL = 6; // pointer to the pool of the levels' bytes
const D_POOL_USED = 7; // bytes of the pool in use
const D_KEYS = 8; // pointer to the levels' first 8 bytes as uint64 (zero-padded): short levels compare in one step
const D_COUNTS = 9; // pointer to the levels' counts of rows (uint32)

@inline function dictField(dict: usize, f: i32): i32 {
  return load<i32>(dict + (<usize>f << 2));
}

/** A hash of bytes[p..p+n): 32-bit multiply-rotate over 4-byte words, then a final mix. */
function hashBytes(p: usize, n: i32): u32 {
  let h: u32 = 0x9747b28c ^ <u32>n;
  let t = 0;
  for (; t + 4 <= n; t += 4) {
    h = rotl<u32>(h ^ (load<u32>(p + <usize>t) * 0xcc9e2d51), 15) * 0x1b873593 + 0xe6546b64;
  }
  let tail: u32 = 0;
  for (let s = 0; t < n; t++, s += 8) tail |= <u32>load<u8>(p + <usize>t) << <u32>s;
  h ^= tail * 0xcc9e2d51;
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  return h ^ (h >> 16);
}

/** The first n ≤ 8 bytes at p as a little-endian uint64, zero-padded (p has 8 readable bytes). */
@inline function shortKey(p: usize, n: i32): u64 {
  const v = load<u64>(p);
  return n >= 8 ? v : v & ((<u64>1 << (<u64>n << 3)) - 1);
}

/**
 * The level of bytes[p..p+n) in the dictionary, added when new (its bytes copied into the pool).
 * A level of at most 8 bytes is found by its bytes as one uint64 (hash and compare in a few
 * instructions); a longer one by a hash of its words, then its bytes. The caller keeps the slots
 * below half full and the pool and level arrays large enough.
 */
function levelOf(dict: usize, p: usize, n: i32): i32 {
  const short = n <= 8;
  const key = short ? shortKey(p, n) : 0;
  const h: u32 = short ? <u32>((key * 0x9e3779b97f4a7c15) >> 32) ^ <u32>n : hashBytes(p, n);
  const slots = <usize>dictField(dict, D_SLOTS);
  const mask = <u32>dictField(dict, D_SLOT_MASK);
  const offsets = <usize>dictField(dict, D_OFFSETS);
  const lengths = <usize>dictField(dict, D_LENGTHS);
  const hashes = <usize>dictField(dict, D_HASHES);
  const keys = <usize>dictField(dict, D_KEYS);
  const pool = <usize>dictField(dict, D_POOL);
  let s = h & mask;
  for (;;) {
    const v = load<u32>(slots + (<usize>s << 2));
    if (v == 0) break;
    const k = <usize>(v - 1);
    if (<i32>load<u32>(lengths + (k << 2)) == n) {
      if (short ? load<u64>(keys + (k << 3)) == key
        : load<u32>(hashes + (k << 2)) == h && memory.compare(pool + <usize>load<u32>(offsets + (k << 2)), p, <usize>n) == 0) {
        const counts = <usize>dictField(dict, D_COUNTS) + (k << 2);
        store<u32>(counts, load<u32>(counts) + 1);
        return <i32>k;
      }
    }
    s = (s + 1) & mask;
  }
  const k = dictField(dict, D_COUNT);
  const used = dictField(dict, D_POOL_USED);
  memory.copy(pool + <usize>used, p, <usize>n);
  store<u32>(offsets + (<usize>k << 2), used);
  store<u32>(lengths + (<usize>k << 2), n);
  store<u32>(hashes + (<usize>k << 2), h);
  store<u64>(keys + (<usize>k << 3), key);
  store<u32>(<usize>dictField(dict, D_COUNTS) + (<usize>k << 2), 1);
  store<u32>(slots + (<usize>s << 2), k + 1);
  store<i32>(dict + (<usize>D_COUNT << 2), k + 1);
  store<i32>(dict + (<usize>D_POOL_USED << 2), used + n);
  return k;
}

/**
 * Turns the spans of `count` rows of one text column (written by parseRows) into level codes
 * (int32, −1 for missing) in codes, through the column's dictionary. Fields with "" escapes are
 * unescaped into `scratch` first (as long as the longest such field). Returns the number of levels.
 */
function internColumn(dict: usize, bytes: usize, spans: usize, count: i32, codes: usize, scratch: usize): i32 {
  for (let r = 0; r < count; r++) {
    const o = spans + (<usize>r << 3);
    const len = load<u32>(o, 4);
    if (len == MISSING_SPAN) {
      store<i32>(codes + (<usize>r << 2), -1);
      continue;
    }
    let p = bytes + <usize>load<u32>(o);
    let n = <i32>(len & ~ESCAPED);
    if ((len & ESCAPED) != 0) {
      // "" → ": copy the content to scratch without the doubled quotes.
      let w = 0;
      for (let t = 0; t < n; t++) {
        const b = load<u8>(p + <usize>t);
        store<u8>(scratch + <usize>w, b);
        w++;
        if (b == QUOTE) t++;
      }
      p = scratch;
      n = w;
    }
    store<i32>(codes + (<usize>r << 2), levelOf(dict, p, n));
  }
  return dictField(dict, D_COUNT);
}

/**
 * The text columns of a window interned, a task per column (a chunked pass over columns: the
 * columns' dictionaries are independent, so the worker threads share the columns): for columns
 * [c0, c1), record c of `table` (three int32: dictionary header, spans, codes) has `count` spans
 * turned into codes. `part` is the chunk's scratch for undoing "" escapes. Returns 0.
 */
export function internColumns(c0: i32, c1: i32, part: usize, table: usize, bytes: usize, count: i32): f64 {
  for (let c = c0; c < c1; c++) {
    const rec = table + (<usize>(c * 3) << 2);
    internColumn(<usize>load<i32>(rec), bytes, <usize>load<i32>(rec, 4), count, <usize>load<i32>(rec, 8), part);
  }
  return 0;
}

/**
 * Rebuilds the slots of a dictionary after the caller gave it a larger, zeroed slot array (its
 * pointer and mask already in the header): every level is inserted again by its stored hash.
 */
export function rehashDictionary(dict: usize): void {
  const slots = <usize>dictField(dict, D_SLOTS);
  const mask = <u32>dictField(dict, D_SLOT_MASK);
  const hashes = <usize>dictField(dict, D_HASHES);
  const count = dictField(dict, D_COUNT);
  for (let k = 0; k < count; k++) {
    let s = load<u32>(hashes + (<usize>k << 2)) & mask;
    while (load<u32>(slots + (<usize>s << 2)) != 0) s = (s + 1) & mask;
    store<u32>(slots + (<usize>s << 2), k + 1);
  }
}
