/**
 * The numbers of a CSV file, as the JavaScript side reads the ones the kernel parser
 * (src/data/wasm/csv.ts) leaves undecided: well-formed decimals of more than 15 significant digits
 * or with a large exponent. Number() reads them exactly, so every field reads as Number() reads
 * it, whichever side decided it.
 */

/** The decimal notation a numeric cell may use (decimal mark '.'): what the kernel accepts, as a pattern. */
export const NUMBER_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Number() of a decimal written with the decimal mark `dec` ('.' or ','). */
export function numberFromText(text: string, dec: string): number {
  return Number(dec === ',' ? text.replace(',', '.') : text);
}

/**
 * The number a text cell means, or null: the decimal notation above (with the decimal mark `dec`),
 * or inf / infinity in any case with an optional sign. Surrounding whitespace is ignored. Hex,
 * binary and octal literals, thousands separators and the like are not numbers (as in pandas and R).
 */
export function parseCell(text: string, dec = '.'): number | null {
  const t = text.trim();
  const plain = dec === ',' ? t.replace(',', '.') : t;
  if (dec === ',' && t.includes('.')) return null;
  if (NUMBER_PATTERN.test(plain)) return Number(plain);
  if (/^[+-]?inf(?:inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  return null;
}
