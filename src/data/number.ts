const utf8 = new TextDecoder();

/**
 * Number() of the text in bytes [start, end) of a UTF-8 file: for the fields the kernel parser
 * (src/data/wasm/csv.ts) leaves undecided — more than 15 digits, hex, spaces, "Infinity" — so
 * that every field of the fast path reads exactly as the csv-parse path reads it.
 */
export function parseNumber(bytes: Uint8Array, start: number, end: number): number {
  return Number(fieldText(bytes, start, end));
}

/** The text of bytes [start, end) of a UTF-8 file. */
export function fieldText(bytes: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let p = start; p < end && ascii; p++) ascii = bytes[p]! < 128;
  if (!ascii) return utf8.decode(bytes.subarray(start, end));
  let s = '';
  for (let p = start; p < end; p++) s += String.fromCharCode(bytes[p]!);
  return s;
}
